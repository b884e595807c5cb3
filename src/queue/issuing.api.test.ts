import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { addService, addWindow, take } from './test-helpers.js';

// Group commit: tickets requested at the same moment on one node are written together. The first request
// is written alone and the ones arriving meanwhile form the next batch (the tests check that they did:
// rows written by one transaction share its xmin).
type Answer = Awaited<ReturnType<typeof take>>;

describe('tickets taken at the same moment (written as one batch)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await addService(t, 'U-002', 'U');
    const [u] = await t.database.query<{ id: string }>(`select id from services where code = 'U-002'`);
    await addWindow(t, 2, [u!.id]);
    expect((await take(t)).json().number).toBe('T001'); // fills this node's caches
  });
  afterEach(() => t.close());

  /**
   * Sends the requests at once after a first one, so that they are written as one batch: the counters are
   * held meanwhile, so the first request's write waits and the others, arriving, queue behind it.
   */
  const burst = async <T extends (() => Promise<Answer>)[]>(...requests: T): Promise<{ [K in keyof T]: Answer }> => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const hold = t.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`lock table queue_counters in exclusive mode`);
      await released;
    });
    const answers = Promise.all([take(t), ...requests.map((r) => r())]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    release();
    await hold;
    return (await answers).slice(1) as { [K in keyof T]: Answer };
  };

  /** How many transactions wrote the hall's tickets (rows written by one transaction share its xmin). */
  const writers = async () => (await t.database.query<{ n: number }>(`select count(distinct xmin::text)::int as n from tickets`))[0]!.n;

  it('answers each request on its own: the cap refuses some, the rest of the batch gets its tickets', async () => {
    // The cap counts the tickets issued since it was set: the lone first request of the burst takes one.
    expect((await t.api('manager', { method: 'PUT', url: '/queue/settings', payload: { dailyCaps: { 'T-001': 3 } } })).statusCode).toBe(200);
    const u = () => take(t, { serviceCode: 'U-002' });
    const answers = await burst(() => take(t), u, () => take(t), () => take(t), u, () => take(t));
    const ok = answers.filter((a) => a.statusCode === 201).map((a) => a.json().number as string);
    expect(ok.sort()).toEqual(['T003', 'T004', 'U001', 'U002']);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.statusCode).toBe(409);
      expect(r.json().error).toMatchObject({ code: 'DAILY_CAP_REACHED', message: expect.stringContaining('每日限 3 个') });
    }
    expect(await writers()).toBe(3); // the warm-up, the lone first request, one batch for the other six
    // Every ticket has its `issued` event and audit row; a refused request left nothing behind.
    const [written] = await t.database.query<{ tickets: number; events: number; audits: number }>(`
      select (select count(*)::int from tickets) as tickets,
             (select count(*)::int from ticket_events where type = 'issued') as events,
             (select count(*)::int from audit_events where action = 'ticket.issued') as audits`);
    expect(written).toEqual({ tickets: 6, events: 6, audits: 6 });
    expect((await take(t)).json().error.code).toBe('DAILY_CAP_REACHED');
  });

  it('prints one ticket for the same Idempotency-Key sent twice in one batch, and refuses the key for another item', async () => {
    const key = { 'idempotency-key': 'kiosk-7-000042' };
    const [a, b, other, c] = await burst(() => take(t, {}, key), () => take(t, {}, key), () => take(t, { serviceCode: 'U-002' }, key), () => take(t));
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ id: a.json().id, number: a.json().number });
    expect([a, b].filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { number: a.json().number } });
    expect(c.statusCode).toBe(201);
    expect([a.json().number, c.json().number].sort()).toEqual(['T003', 'T004']);
    expect(await writers()).toBe(3);
    expect((await t.counts()).tickets).toBe(4);
  });

  it('gives one ticket per ID number per item when the same person asks twice at once', async () => {
    await t.api('manager', { method: 'PUT', url: '/queue/settings', payload: { realName: true } });
    const me = { name: '张三', idNumber: '11010519491231002X' };
    const [a, b] = await burst(() => take(t, me), () => take(t, me));
    const answers = [a, b].sort((x, y) => x.statusCode - y.statusCode);
    expect(answers[0]!.statusCode).toBe(201);
    expect(answers[1]!.statusCode).toBe(409);
    expect(answers[1]!.json().error).toMatchObject({ code: 'ALREADY_HAS_TICKET', details: { number: answers[0]!.json().number } });
  });

  it('numbers a batch in the order of its draws and tells each visitor the people ahead, priority first', async () => {
    const answers = await burst(() => take(t), () => take(t), () => take(t, { priority: 'elderly' }), () => take(t));
    expect(await writers()).toBe(3);
    const tickets = answers.map((a) => a.json() as { id: string; number: string; ahead: number; priority: string });
    // The elderly ticket goes ahead of every normal ticket; the normal ones keep their numbers' order.
    const elderly = tickets.find((x) => x.priority === 'elderly')!;
    expect(elderly.ahead).toBe(0);
    const normal = tickets.filter((x) => x.priority === 'normal').sort((x, y) => x.number.localeCompare(y.number));
    expect(normal.map((x) => x.ahead)).toEqual([3, 4, 5]); // T001, T002 and the elderly ticket are ahead of the first
    // What each visitor was told is what their ticket page shows.
    for (const x of tickets) expect((await t.api(null, { method: 'GET', url: `/tickets/${x.id}` })).json().ahead).toBe(x.ahead);
    const [order] = await t.database.query<{ numbers: string[] }>(`select array_agg(number order by seq) as numbers from tickets`);
    expect(order!.numbers).toEqual([...order!.numbers].sort());
  });
});
