import { describe, expect, it } from 'vitest';
import { createBatchedLookup, createGroupCommit } from './group-commit.js';

/** A write that records each batch it is given and finishes when the test says so. */
function recorder() {
  const batches: number[][] = [];
  const release: (() => void)[] = [];
  const write = async (batch: number[]) => {
    batches.push(batch);
    await new Promise<void>((resolve) => release.push(resolve));
    return batch.map((n) => (n < 0 ? { ok: false as const, error: new Error(`refused ${n}`) } : { ok: true as const, value: n * 10 }));
  };
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { batches, write, releaseAll: async () => { while (release.length) release.shift()!(); await tick(); }, tick };
}

describe('group commit', () => {
  it('sends a lone request at once and gathers those arriving meanwhile into the next batch', async () => {
    const r = recorder();
    const commit = createGroupCommit(r.write);
    const first = commit.submit(1);
    const rest = [2, 3, 4].map((n) => commit.submit(n));
    await r.tick();
    expect(r.batches).toEqual([[1]]);
    await r.releaseAll();
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
    await r.releaseAll();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
  });

  it('sends the next batch before answering the last one, so the answers overlap the database work', async () => {
    const r = recorder();
    const commit = createGroupCommit(r.write);
    let sentWhenAnswered = 0;
    const first = commit.submit(1).then((v) => ((sentWhenAnswered = r.batches.length), v));
    const second = commit.submit(2);
    await r.tick();
    await r.releaseAll();
    expect(await first).toBe(10);
    expect(sentWhenAnswered).toBe(2);
    await r.releaseAll();
    expect(await second).toBe(20);
  });

  it('refuses one request without failing the others in its batch', async () => {
    const r = recorder();
    const commit = createGroupCommit(r.write);
    const answers = [5, -1, 6].map((n) => commit.submit(n).catch((e: Error) => e.message));
    await r.releaseAll();
    await r.releaseAll();
    expect(await Promise.all(answers)).toEqual([50, 'refused -1', 60]);
  });

  it('puts no more than maxBatch requests in one batch', async () => {
    const r = recorder();
    const commit = createGroupCommit(r.write, 3);
    const answers = [1, 2, 3, 4, 5, 6, 7].map((n) => commit.submit(n));
    await r.releaseAll();
    await r.releaseAll();
    await r.releaseAll();
    expect(r.batches).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('retries each request alone after a batch fails unexpectedly, so only the one at fault fails', async () => {
    const seen: number[][] = [];
    const commit = createGroupCommit(async (batch: number[]) => {
      seen.push(batch);
      if (batch.includes(13)) throw new Error('bad row');
      return batch.map((n) => ({ ok: true as const, value: n }));
    });
    const lone = commit.submit(0);
    const answers = [11, 13, 12].map((n) => commit.submit(n).catch(() => 'failed'));
    expect(await lone).toBe(0);
    expect(await Promise.all(answers)).toEqual([11, 'failed', 12]);
    expect(seen).toEqual([[0], [11, 13, 12], [11], [13], [12]]);
  });
});

describe('batched lookup', () => {
  it('reads keys asked together once each, and answers undefined for keys not found', async () => {
    const loads: string[][] = [];
    let gate!: () => void;
    const lookup = createBatchedLookup(async (keys: string[]) => {
      loads.push(keys);
      if (loads.length === 1) await new Promise<void>((resolve) => (gate = resolve));
      return new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.toUpperCase()]));
    });
    const first = lookup('a');
    const later = ['b', 'none', 'b', 'c'].map(lookup);
    await new Promise((resolve) => setImmediate(resolve));
    gate();
    expect(await first).toBe('A');
    expect(await Promise.all(later)).toEqual(['B', undefined, 'B', 'C']);
    expect(loads).toEqual([['a'], ['b', 'none', 'c']]);
  });
});
