import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { secondNode, type SecondNode } from '../testing/second-node.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { addWindow } from './test-helpers.js';
import { openStream, type StreamReader } from './test-stream.js';

// Two app nodes on one PostgreSQL database, as a city hall runs behind a load balancer.
describe('two app nodes on one PostgreSQL', () => {
  let t: TestApp;
  let second: SecondNode;
  let nodeB: FastifyInstance;
  let urls: [string, string];

  beforeAll(async () => {
    t = await createTestApp();
    second = await secondNode(t);
    nodeB = second.app;
    urls = [await t.app.listen({ host: '127.0.0.1', port: 0 }), await nodeB.listen({ host: '127.0.0.1', port: 0 })];
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const post = async (base: string, path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body ?? {}),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
  };

  it('never repeats a number and shows every call on the screens of both nodes', async () => {
    const screens: StreamReader[] = [await openStream(`${urls[0]}/api/v1/display/stream`), await openStream(`${urls[1]}/api/v1/display/stream`)];
    try {
      await Promise.all(screens.map((s) => s.next('state')));
      const taken = await Promise.all(
        Array.from({ length: 80 }, (_, i) => post(urls[i % 2]!, '/tickets', { serviceCode: 'T-001', channel: 'kiosk' })),
      );
      expect(taken.every((r) => r.status === 201)).toBe(true);
      const numbers = taken.map((r) => r.body!.number as string);
      expect(new Set(numbers).size).toBe(80);
      expect([...numbers].sort()).toEqual(Array.from({ length: 80 }, (_, i) => `T${String(i + 1).padStart(3, '0')}`));

      const staff = [];
      for (let i = 0; i < 6; i++) staff.push(await addWindow(t, 10 + i, [t.hall.serviceId]));
      const called: string[] = [];
      await Promise.all(
        staff.map(async ({ windowId, token }, i) => {
          const base = urls[i % 2]!;
          for (;;) {
            const res = await post(base, `/windows/${windowId}/call-next`, {}, token);
            if (res.status === 204) return;
            expect(res.status).toBe(200);
            called.push(res.body!.number as string);
            expect((await post(base, `/tickets/${res.body!.id as string}/complete`, {}, token)).status).toBe(200);
          }
        }),
      );
      expect([...called].sort()).toEqual([...numbers].sort());
      for (const screen of screens) {
        const seen: string[] = [];
        for (let i = 0; i < 80; i++) seen.push(((await screen.next('call')) as { number: string }).number);
        expect(seen.sort()).toEqual([...numbers].sort());
      }
    } finally {
      for (const s of screens) s.close();
    }
  });
});
