import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTimerRunner } from '../jobs/timers.js';
import { halls } from '../org/tables.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { addWindow, as, take } from './test-helpers.js';

// The test hall closes at 17:00 on working days; the sweep runs an hour later (sweepAfterMinutes = 60).
describe("the day's sweep (日终清号)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const runTimers = () => createTimerRunner(t.ctx, timerHandlers(t.ctx)).runDue();
  const status = async (id: string) => (await t.api(null, { method: 'GET', url: `/tickets/${id}` })).json().status as string;
  const staff = (method: 'POST' | 'GET', url: string) => t.api('staff', { method, url });

  it('ends tickets still waiting, called or being served after closing, once, and counts them as unserved', async () => {
    const second = await addWindow(t, 2, [t.hall.serviceId]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await take(t)).json().id);
    const w1 = `/windows/${t.hall.windowId}/call-next`;
    expect((await staff('POST', w1)).json().id).toBe(ids[0]);
    await staff('POST', `/tickets/${ids[0]}/complete`);
    expect((await staff('POST', w1)).json().id).toBe(ids[1]);
    await staff('POST', `/tickets/${ids[1]}/skip`);
    expect((await staff('POST', w1)).json().id).toBe(ids[2]);
    await staff('POST', `/tickets/${ids[2]}/start`);
    expect((await as(t, second.token, { method: 'POST', url: `/windows/${second.windowId}/call-next` })).json().id).toBe(ids[3]);

    // After closing the windows may still serve the people left in line (extended service): nothing ends yet.
    t.clock.set('2025-09-30T17:30:00+08:00');
    await runTimers();
    expect(await Promise.all(ids.map(status))).toEqual(['done', 'skipped', 'serving', 'called', 'waiting']);

    // Two nodes' workers at once: the sweep runs on one of them only.
    t.clock.set('2025-09-30T18:01:00+08:00');
    await Promise.all([runTimers(), runTimers()]);
    expect(await Promise.all(ids.map(status))).toEqual(['done', 'skipped', 'cancelled', 'cancelled', 'cancelled']);
    await runTimers();
    const events = await t.database.query<{ ticket_id: string; details: { reason: string; status: string }; window_id: string | null }>(
      `select ticket_id, details, window_id from ticket_events where type = 'cancelled' order by ticket_id`,
    );
    expect(events).toHaveLength(3);
    const byTicket = new Map(events.map((e) => [e.ticket_id, e]));
    expect(byTicket.get(ids[2]!)).toMatchObject({ details: { reason: 'day_closed', status: 'serving' }, window_id: t.hall.windowId });
    expect(byTicket.get(ids[3]!)).toMatchObject({ details: { reason: 'day_closed', status: 'called' }, window_id: second.windowId });
    expect(byTicket.get(ids[4]!)).toMatchObject({ details: { reason: 'day_closed', status: 'waiting' }, window_id: null });
    const [audits] = await t.database.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'ticket.sweep'`);
    expect(audits!.n).toBe(3);

    // The statistics count them as not served; the no-show stays a no-show.
    const stats = await t.api('manager', { method: 'GET', url: '/queue/stats?from=2025-09-30&to=2025-09-30' });
    expect(stats.statusCode).toBe(200);
    expect(stats.json().totals).toMatchObject({ tickets: 5, called: 4, served: 1, unserved: 3, noShows: 1 });

    // The next working day (after National Day) starts with an empty line and free windows.
    t.clock.set('2025-10-09T09:00:00+08:00');
    const login = await t.api(null, { method: 'POST', url: '/auth/login', payload: { username: 'staff', password: TEST_PASSWORD } });
    const token = login.json().token as string;
    expect((await as(t, token, { method: 'POST', url: w1 })).statusCode).toBe(204);
    expect((await as(t, token, { method: 'GET', url: `/windows/${t.hall.windowId}/console` })).json()).toMatchObject({ current: null, waitingCount: 0 });
    expect((await take(t)).json()).toMatchObject({ number: 'T001', ahead: 0 });
  });

  it('waits for the new closing when the hours were extended after the first ticket', async () => {
    const id = (await take(t)).json().id as string;
    await t.ctx.db
      .update(halls)
      .set({ hours: { workday: [['09:00', '12:00'], ['13:00', '19:00']], weekend: [], ticketCutoffMinutes: 30 } })
      .where(eq(halls.id, t.hall.hallId));
    t.clock.set('2025-09-30T18:01:00+08:00');
    await runTimers();
    expect(await status(id)).toBe('waiting');
    t.clock.set('2025-09-30T20:01:00+08:00');
    await runTimers();
    expect(await status(id)).toBe('cancelled');
  });
});
