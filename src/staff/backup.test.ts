import { describe, expect, it } from 'vitest';
import { coverageOf, gapStep } from './backup.js';

const MIN = 60_000;
const session = { from: 0, to: 180 * MIN };

describe('AB coverage', () => {
  it('is covered by someone signed in at the window, or by the cover named when going out', () => {
    expect(coverageOf('w', [{ userId: 'a', windowId: 'w' }], [])).toBe('covered');
    expect(coverageOf('w', [], [])).toBe('nobody_signed_in');
    const out = [{ userId: 'a', windowId: 'w', coveredBy: 'b' }];
    expect(coverageOf('w', [{ userId: 'a', windowId: 'w' }], out)).toBe('out_without_cover');
    expect(coverageOf('w', [{ userId: 'a', windowId: 'w' }, { userId: 'b', windowId: 'x' }], out)).toBe('covered');
  });
});

describe('gap steps', () => {
  const base = { session, coverage: 'nobody_signed_in' as const, lastLeftAt: null, openGap: null, openGapSessionEnd: null, graceMs: 5 * MIN };
  it('opens a gap once the post has been empty past the grace time, dated from when it became empty', () => {
    expect(gapStep({ ...base, now: 3 * MIN })).toEqual({ action: 'none' });
    expect(gapStep({ ...base, now: 6 * MIN })).toEqual({ action: 'open', reason: 'nobody_signed_in', openedAt: 0 });
    expect(gapStep({ ...base, now: 60 * MIN, lastLeftAt: 50 * MIN })).toEqual({ action: 'open', reason: 'nobody_signed_in', openedAt: 50 * MIN });
  });
  it('keeps one open gap however often it checks, and closes it when covered or when the session ends', () => {
    const open = { ...base, openGap: { openedAt: 0 }, openGapSessionEnd: session.to };
    expect(gapStep({ ...open, now: 30 * MIN })).toEqual({ action: 'none' });
    expect(gapStep({ ...open, now: 40 * MIN, coverage: 'covered' })).toEqual({ action: 'close', closedAt: 40 * MIN });
    expect(gapStep({ ...open, now: 200 * MIN, session: null })).toEqual({ action: 'close', closedAt: 180 * MIN });
  });
});
