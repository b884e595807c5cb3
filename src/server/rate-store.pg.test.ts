import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { freePort, scratchDatabase, spawnServer, type ServerProcess } from '../testing/server-process.js';
import { sharedRateLimitStore } from './rate-store.js';

const running: ServerProcess[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
});

describe('rate limits shared by the nodes of one PostgreSQL', () => {
  it('gives a client one allowance across two nodes behind nginx', async () => {
    const scratch = await scratchDatabase('ratelimit');
    try {
      // Production limits scaled to 3 progress queries a minute per client.
      const env = { DATABASE_URL: scratch.url, ONEWINDOW_RATE_LIMIT_FACTOR: '0.1' };
      const a = spawnServer({ port: await freePort(), env });
      running.push(a);
      await a.started;
      const b = spawnServer({ port: await freePort(), env });
      running.push(b);
      await b.started;

      // nginx spreads one phone's queries over both nodes, round robin.
      const answers: { status: number; body: { error: { code: string; message: string } } }[] = [];
      for (const node of [a, b, a, b, a]) {
        const res = await fetch(`${node.url}/api/v1/public/cases/NOPE${answers.length}`);
        answers.push({ status: res.status, body: (await res.json()) as { error: { code: string; message: string } } });
      }
      expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 429, 429]);
      expect(answers[3]!.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/^请求过于频繁，请 \d+ 秒后再试$/) });
      for (const s of [a, b]) {
        s.child.kill('SIGTERM');
        expect(await s.exited).toBe(0);
      }
    } finally {
      await scratch.drop();
    }
  }, 120_000);

  it('counts requests arriving together on two nodes exactly under a small limit: every place in the count once', async () => {
    const scratch = await scratchDatabase('ratestore');
    const [one, two] = [await openDatabase({ databaseUrl: scratch.url }), await openDatabase({ databaseUrl: scratch.url })];
    try {
      await migrate(one);
      const stores = [one, two].map((database) => new (sharedRateLimitStore(database))({}));
      const route = { routeInfo: { method: 'POST', url: '/api/v1/tickets' } } as never;
      const [onOne, onTwo] = stores.map((s) => s.child(route)) as [FastifyRateLimitStore, FastifyRateLimitStore];
      const incr = (store: FastifyRateLimitStore, key: string) =>
        new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (err, res) => (err ? reject(err) : resolve(res!)), 60_000, 19));
      // 60 requests of one client and 10 of another, at once, half through each node.
      const counts = await Promise.all([
        ...Array.from({ length: 60 }, (_, i) => incr(i % 2 ? onOne : onTwo, 'ip:203.0.113.7')),
        ...Array.from({ length: 10 }, (_, i) => incr(i % 2 ? onOne : onTwo, 'ip:203.0.113.8')),
      ]);
      const places = (from: number, to: number) => counts.slice(from, to).map((c) => c.current).sort((x, y) => x - y);
      expect(places(0, 60)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(places(60, 70)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      for (const c of counts) expect(c.ttl).toBeGreaterThan(0), expect(c.ttl).toBeLessThanOrEqual(60_000);
      // Another route's count for the same client starts at one.
      const other = stores[0]!.child({ routeInfo: { method: 'GET', url: '/api/v1/public/cases/:caseNumber' } } as never);
      expect((await incr(other, 'ip:203.0.113.7')).current).toBe(1);
    } finally {
      await one.close();
      await two.close();
      await scratch.drop();
    }
  }, 60_000);

  it('under a large limit claims places ahead: fewer statements, never a place twice, never more let through than the limit', async () => {
    const scratch = await scratchDatabase('ratelease');
    const [one, two] = [await openDatabase({ databaseUrl: scratch.url }), await openDatabase({ databaseUrl: scratch.url })];
    try {
      await migrate(one);
      let statements = 0;
      const counting = (database: typeof one) => ({ query: ((...args: Parameters<typeof one.query>) => (statements++, database.query(...args))) as typeof one.query });
      const route = { routeInfo: { method: 'GET', url: '/api/v1/public/cases/:caseNumber' } } as never;
      const [onOne, onTwo] = [one, two].map((d) => new (sharedRateLimitStore(counting(d)))({}).child(route)) as [FastifyRateLimitStore, FastifyRateLimitStore];
      const incr = (store: FastifyRateLimitStore, max: number) =>
        new Promise<number>((resolve, reject) => store.incr('ip:203.0.113.9', (err, res) => (err ? reject(err) : resolve(res!.current)), 60_000, max));
      // A limit of 1,000: each node claims up to 50 places at a time.
      const places: number[] = [];
      for (let round = 0; round < 10; round++) places.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => incr(i % 2 ? onOne : onTwo, 1000)))));
      expect(new Set(places).size).toBe(300);
      expect(statements).toBeLessThan(40);
      const [row] = await one.query<{ hits: number }>(`SELECT hits FROM rate_limit_hits WHERE key LIKE '%203.0.113.9'`);
      expect(Math.max(...places)).toBeLessThanOrEqual(row!.hits);
      // Past the limit every request is refused (its place is above 1,000), whichever node answers.
      const more = await Promise.all(Array.from({ length: 900 }, (_, i) => incr(i % 2 ? onOne : onTwo, 1000)));
      const allowed = [...places, ...more].filter((p) => p <= 1000);
      expect(allowed.length).toBeLessThanOrEqual(1000);
      expect(allowed.length).toBeGreaterThan(1000 - 2 * 50);
      expect(new Set([...places, ...more]).size).toBe(1200);
    } finally {
      await one.close();
      await two.close();
      await scratch.drop();
    }
  }, 60_000);
});
