import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTimerRunner } from '../jobs/timers.js';
import { timers } from '../jobs/tables.js';
import { notifications } from '../notify/tables.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { LIGHT_TIMER } from './service.js';
import { cases } from './tables.js';
import { act, as, receive } from './test-helpers.js';

describe('red and yellow lights', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  // Light timers only: the hall's nightly retention run is armed with its first case too.
  const lightsOnly = () => ({ [LIGHT_TIMER]: timerHandlers(t.ctx)[LIGHT_TIMER]! });
  const runner = () => createTimerRunner({ db: t.ctx.db, clock: t.clock }, lightsOnly());
  const reminders = () => t.ctx.db.select().from(notifications).where(eq(notifications.template, 'case.light'));
  const pending = () => t.ctx.db.select().from(timers).where(and(eq(timers.kind, 'case.light')));

  it('a case whose light turned yellow while the server was down raises its reminder once after restart', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    // Armed at the first change: the reminder light, six working hours before 10-11 17:00.
    expect((await pending()).map((r) => r.dueAt.toISOString())).toEqual(['2025-10-11T02:00:00.000Z']);
    // Down from before 10:00 until 14:00: the reminder light came and went, now it is yellow.
    t.clock.set('2025-10-11T14:00:00+08:00');
    expect(await runner().runDue()).toBe(1);
    const sent = await reminders();
    // Once to the handling staff member and once to the department's leader, for the yellow light only.
    expect(sent).toHaveLength(2);
    expect(sent.every((n) => n.channel === 'staff' && n.params.light === 'yellow' && n.body.includes(caseNumber))).toBe(true);
    const [row] = await t.ctx.db.select().from(cases);
    expect(row).toMatchObject({ light: 'yellow' });
    expect(row!.nextLightChangeAt?.toISOString()).toBe('2025-10-11T09:00:00.001Z');
    // A second start of the workers (another node, or a restart) fires nothing more.
    expect(await runner().runDue()).toBe(0);
    expect(await createTimerRunner({ db: t.ctx.db, clock: t.clock }, lightsOnly()).runDue()).toBe(0);
    expect(await reminders()).toHaveLength(2);
    // At the deadline it turns red, once.
    t.clock.set('2025-10-11T17:30:00+08:00');
    expect(await runner().runDue()).toBe(1);
    expect(await runner().runDue()).toBe(0);
    expect((await reminders()).filter((n) => n.params.light === 'red')).toHaveLength(2);
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}` })).json().light).toBe('red');
    // Red is the last light: nothing left to fire.
    expect((await pending()).filter((r) => r.firedAt === null)).toEqual([]);
  });

  it('moves the timer with the deadline, and drops it when the case is finished', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    t.clock.set('2025-10-09T09:00:00+08:00');
    await act(t, caseNumber, { action: 'pause', pauseKind: 'expert_review', reason: '专家评审' });
    // The clock is stopped: no light, nothing armed.
    expect(await pending()).toEqual([]);
    t.clock.set('2025-10-10T09:00:00+08:00');
    await act(t, caseNumber, { action: 'resume' });
    expect((await pending()).map((r) => r.dueAt.toISOString())).toEqual(['2025-10-13T02:00:00.000Z']);
    await act(t, caseNumber, { action: 'complete' });
    expect(await pending()).toEqual([]);
    t.clock.set('2025-10-20T09:00:00+08:00');
    expect(await runner().runDue()).toBe(0);
    expect(await reminders()).toEqual([]);
  });
});
