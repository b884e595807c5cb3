import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { notifications } from '../notify/tables.js';
import { outbox } from '../notify/test-helpers.js';
import { windows } from '../org/tables.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { ticketEvents } from './tables.js';
import { addService, addWindow, as, take } from './test-helpers.js';

describe('taking a ticket', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('gives numbers in the service prefix, in order, with the people ahead', async () => {
    const first = await take(t);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      id: expect.any(String),
      number: 'T001',
      serviceCode: 'T-001',
      status: 'waiting',
      ahead: 0,
      issuedAt: '2025-09-30T09:00:00+08:00',
    });
    const second = await take(t, { channel: 'mobile' });
    expect(second.json()).toMatchObject({ number: 'T002', ahead: 1, estimatedWaitMinutes: 10 });
    const view = await t.api(null, { method: 'GET', url: `/tickets/${second.json().id}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ number: 'T002', status: 'waiting', ahead: 1, windowName: null });
  });

  it('starts again at 001 on the next local day', async () => {
    await take(t);
    await take(t);
    t.clock.set('2025-10-09T09:00:00+08:00');
    expect((await take(t)).json().number).toBe('T001');
  });

  it('refuses an unknown service with 404 and bad input with 400, changing nothing', async () => {
    const before = await t.counts();
    const unknown = await take(t, { serviceCode: 'NOPE' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    for (const payload of [{ channel: 'fax' }, { priority: 'vip' }, { priority: 'appointment' }, { phone: '12345' }, { serviceCode: '' }]) {
      const res = await take(t, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const badId = await take(t, { name: '张三', idNumber: '110105194912310021' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error).toMatchObject({ code: 'INVALID_ID_NUMBER', message: expect.stringContaining('校验位') });
    expect(await t.counts()).toEqual(before);
  });

  it('is refused with HALL_CLOSED on a Sunday, a holiday and after the cut-off, naming the next opening', async () => {
    const cases: [string, string][] = [
      ['2025-10-19T10:00:00+08:00', '2025-10-20T09:00:00+08:00'], // Sunday
      ['2025-10-01T10:00:00+08:00', '2025-10-09T09:00:00+08:00'], // National Day
      ['2025-09-30T16:31:00+08:00', '2025-10-09T09:00:00+08:00'], // 30 minutes before closing
      ['2025-09-30T11:45:00+08:00', '2025-09-30T13:00:00+08:00'], // before lunch
    ];
    for (const [now, next] of cases) {
      t.clock.set(now);
      const res = await take(t);
      expect(res.statusCode, now).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'HALL_CLOSED', details: { nextOpening: next } });
      expect(res.json().error.message).toContain('不在取号时间');
    }
    expect((await t.counts()).tickets).toBe(0);
  });

  it('is open on a Saturday when a window taking the service keeps Saturday hours', async () => {
    await t.ctx.db
      .update(windows)
      .set({ hours: { workday: [['09:00', '12:00'], ['13:00', '17:00']], weekend: [['09:00', '12:00']], ticketCutoffMinutes: 30 } })
      .where(eq(windows.id, t.hall.windowId));
    t.clock.set('2025-10-18T10:00:00+08:00');
    expect((await take(t)).statusCode).toBe(201);
    t.clock.set('2025-10-18T11:40:00+08:00');
    expect((await take(t)).json().error.code).toBe('HALL_CLOSED');
  });

  it('is refused on a day the hall closed in its own calendar', async () => {
    const closed = await t.api('manager', { method: 'PUT', url: '/calendar/days/2025-09-30', payload: { workday: false, name: '临时闭厅' } });
    expect(closed.statusCode).toBe(200);
    const res = await take(t);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'HALL_CLOSED', details: { nextOpening: '2025-10-09T09:00:00+08:00' } });
  });

  it('stops at the service daily cap with DAILY_CAP_REACHED', async () => {
    const settings = await t.api('manager', { method: 'PUT', url: '/queue/settings', payload: { dailyCaps: { 'T-001': 2 } } });
    expect(settings.statusCode).toBe(200);
    expect((await take(t)).statusCode).toBe(201);
    expect((await take(t)).statusCode).toBe(201);
    const third = await take(t);
    expect(third.statusCode).toBe(409);
    expect(third.json().error).toMatchObject({ code: 'DAILY_CAP_REACHED', message: expect.stringContaining('每日限 2 个') });
    t.clock.set('2025-10-09T09:00:00+08:00');
    expect((await take(t)).statusCode).toBe(201);
  });

  it('returns the same ticket when a kiosk retries with the same Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'kiosk-3-000123' };
    const [a, b] = await Promise.all([take(t, {}, key), take(t, {}, key)]);
    const c = await take(t, {}, key);
    expect(a.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(c.json()).toMatchObject({ id: a.json().id, number: 'T001' });
    expect(c.headers['idempotent-replayed']).toBe('true');
    expect((await t.counts()).tickets).toBe(1);
    expect((await take(t)).json().number).toBe('T002');
  });

  it('issues real-name tickets once per ID per item per day and shows only the masked name', async () => {
    await t.api('manager', { method: 'PUT', url: '/queue/settings', payload: { realName: true } });
    const anonymous = await take(t);
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().error.message).toContain('实名');
    const mine = await take(t, { name: '张三', idNumber: '11010519491231002x' });
    expect(mine.statusCode).toBe(201);
    expect(mine.json().holderName).toBe('张*');
    expect(JSON.stringify(mine.json())).not.toContain('1101051949');
    const again = await take(t, { name: '张三', idNumber: '11010519491231002X' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ALREADY_HAS_TICKET', details: { number: 'T001' } });
  });

  it('lets a visitor cancel a waiting ticket so it leaves the line', async () => {
    const a = (await take(t)).json();
    const b = (await take(t)).json();
    const cancel = await t.api(null, { method: 'POST', url: `/tickets/${a.id}/cancel` });
    expect(cancel.json().status).toBe('cancelled');
    expect((await t.api(null, { method: 'GET', url: `/tickets/${b.id}` })).json().ahead).toBe(0);
    expect((await t.api(null, { method: 'POST', url: `/tickets/${a.id}/cancel` })).json().error.code).toBe('INVALID_TRANSITION');
  });
});

describe('the window console', () => {
  let t: TestApp;
  const callNext = (windowId = t.hall.windowId) => t.api('staff', { method: 'POST', url: `/windows/${windowId}/call-next` });
  const act = (id: string, action: string, payload?: object) => t.api('staff', { method: 'POST', url: `/tickets/${id}/${action}`, payload });
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('calls the next visitor, shows the window on the ticket, and answers 204 when nobody waits', async () => {
    expect((await callNext()).statusCode).toBe(204);
    const ticket = (await take(t)).json();
    const called = await callNext();
    expect(called.statusCode).toBe(200);
    expect(called.json()).toMatchObject({ id: ticket.id, number: 'T001', status: 'called', windowName: '测试窗口', recallsLeft: 2 });
    const view = (await t.api(null, { method: 'GET', url: `/tickets/${ticket.id}` })).json();
    expect(view).toMatchObject({ status: 'called', windowName: '测试窗口', windowNumber: 1, calledAt: '2025-09-30T09:00:00+08:00' });
    const busy = await callNext();
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('WINDOW_BUSY');
    expect((await act(ticket.id, 'start')).json().status).toBe('serving');
    expect((await act(ticket.id, 'complete')).json().status).toBe('done');
    expect((await callNext()).statusCode).toBe(204);
  });

  it('is not blocked the next day by a ticket left unfinished the day before', async () => {
    await take(t);
    await callNext();
    t.clock.set('2025-10-09T09:00:00+08:00');
    const today = (await take(t)).json();
    // Yesterday's session has expired: sign in again, as the staff member would.
    const login = await t.api(null, { method: 'POST', url: '/auth/login', payload: { username: 'staff', password: TEST_PASSWORD } });
    const next = await as(t, login.json().token, { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
    expect(next.statusCode).toBe(200);
    expect(next.json()).toMatchObject({ id: today.id, number: 'T001' });
  });

  it('refuses staff of another window and moves the state machine does not allow', async () => {
    const other = await addWindow(t, 2, [t.hall.serviceId]);
    const ticket = (await take(t)).json();
    const foreign = await t.api('staff', { method: 'POST', url: `/windows/${other.windowId}/call-next` });
    expect(foreign.statusCode).toBe(403);
    const waiting = await act(ticket.id, 'complete');
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.code).toBe('INVALID_TRANSITION');
    await callNext();
    const notMine = await as(t, other.token, { method: 'POST', url: `/tickets/${ticket.id}/complete` });
    expect(notMine.statusCode).toBe(403);
    await act(ticket.id, 'complete');
    const twice = await act(ticket.id, 'skip');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'done', action: 'skip' } });
  });

  it('calls priority tickets first but never more than the hall ratio allows (2 normal : 1 priority)', async () => {
    for (let i = 0; i < 3; i++) await take(t);
    for (let i = 0; i < 3; i++) await take(t, { priority: 'elderly' });
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const called = (await callNext()).json();
      order.push(called.priority === 'normal' ? 'N' : 'P');
      await act(called.id, 'complete');
    }
    expect(order.join('')).toBe('PNNPNP');
  });

  it('recalls up to the hall limit, then counts the ticket as missed', async () => {
    const ticket = (await take(t)).json();
    await callNext();
    expect((await act(ticket.id, 'recall')).json()).toMatchObject({ status: 'called', recallsLeft: 1 });
    expect((await act(ticket.id, 'recall')).json()).toMatchObject({ status: 'called', recallsLeft: 0 });
    const missed = await act(ticket.id, 'recall');
    expect(missed.json()).toMatchObject({ status: 'skipped', restorableUntil: '2025-09-30T09:30:00+08:00' });
  });

  it('restores a no-show to its place within the grace period, and not after it', async () => {
    const a = (await take(t)).json();
    const b = (await take(t)).json();
    await callNext();
    expect((await act(a.id, 'skip')).json().status).toBe('skipped');
    t.clock.advance(10 * 60_000);
    expect((await act(a.id, 'restore')).json().status).toBe('waiting');
    expect((await callNext()).json().id).toBe(a.id); // back before b, who came later
    await act(a.id, 'skip');
    t.clock.advance(31 * 60_000);
    const late = await act(a.id, 'restore');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('RESTORE_EXPIRED');
    expect((await callNext()).json().id).toBe(b.id);
  });

  it('transfers a visitor to another service keeping the place in line', async () => {
    const taxId = await addService(t, 'TAX-01', 'S', '契税申报');
    const taxWindow = await addWindow(t, 2, [taxId]);
    const mine = (await take(t)).json();
    const later = [(await take(t, { serviceCode: 'TAX-01' })).json(), (await take(t, { serviceCode: 'TAX-01' })).json()];
    expect(later.map((x) => x.number)).toEqual(['S001', 'S002']);
    await callNext();
    const moved = await act(mine.id, 'transfer', { serviceCode: 'TAX-01' });
    expect(moved.json()).toMatchObject({ status: 'waiting', number: 'T001', serviceCode: 'TAX-01', ahead: 0 });
    const next = await as(t, taxWindow.token, { method: 'POST', url: `/windows/${taxWindow.windowId}/call-next` });
    expect(next.json()).toMatchObject({ id: mine.id, number: 'T001', windowName: '2号窗口' });
    const unknown = await as(t, taxWindow.token, { method: 'POST', url: `/tickets/${mine.id}/transfer`, payload: { serviceCode: 'NOPE' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('carries one number through a one-window chain: finishing a step queues the next', async () => {
    const taxId = await addService(t, 'TAX-01', 'S', '契税申报');
    const regId = await addService(t, 'REG-01', 'R', '不动产登记');
    const taxWindow = await addWindow(t, 2, [taxId]);
    const regWindow = await addWindow(t, 3, [regId]);
    const ticket = (await take(t, { thenServiceCodes: ['TAX-01', 'REG-01'] })).json();
    expect(ticket.steps.map((s: { state: string }) => s.state)).toEqual(['current', 'next', 'next']);
    await callNext();
    const afterFirst = (await act(ticket.id, 'complete')).json();
    expect(afterFirst).toMatchObject({ number: 'T001', status: 'waiting', serviceCode: 'TAX-01' });
    expect(afterFirst.steps).toEqual([
      { serviceCode: 'T-001', serviceName: '测试事项', state: 'done' },
      { serviceCode: 'TAX-01', serviceName: '契税申报', state: 'current' },
      { serviceCode: 'REG-01', serviceName: '不动产登记', state: 'next' },
    ]);
    const taxCall = await as(t, taxWindow.token, { method: 'POST', url: `/windows/${taxWindow.windowId}/call-next` });
    expect(taxCall.json().number).toBe('T001');
    await as(t, taxWindow.token, { method: 'POST', url: `/tickets/${ticket.id}/complete` });
    await as(t, regWindow.token, { method: 'POST', url: `/windows/${regWindow.windowId}/call-next` });
    const done = await as(t, regWindow.token, { method: 'POST', url: `/tickets/${ticket.id}/complete` });
    expect(done.json()).toMatchObject({ number: 'T001', status: 'done' });
    expect((await t.counts()).tickets).toBe(1);
  });

  it('pauses a window only with a reason, refuses calls while paused, and resumes', async () => {
    await take(t);
    const noReason = await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/pause`, payload: { reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
    const paused = await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/pause`, payload: { reason: '外出' } });
    expect(paused.json()).toEqual({ id: t.hall.windowId, status: 'paused', pauseReason: '外出' });
    const refused = await callNext();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('WINDOW_PAUSED');
    const display = (await t.api(null, { method: 'GET', url: '/display/state' })).json();
    expect(display.windows[0]).toMatchObject({ status: 'paused', pauseReason: '外出' });
    await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/resume` });
    expect((await callNext()).statusCode).toBe(200);
  });

  it('texts a visitor who left a phone once, when three or fewer are ahead', async () => {
    for (let i = 0; i < 4; i++) await take(t);
    const mine = (await take(t, { channel: 'mobile', phone: '13812345678' })).json();
    expect(mine.ahead).toBe(4);
    let sms = await outbox(t.ctx.db, eq(notifications.template, 'queue.near_front'));
    expect(sms).toHaveLength(0);
    const first = (await callNext()).json();
    await act(first.id, 'complete');
    sms = await outbox(t.ctx.db, eq(notifications.template, 'queue.near_front'));
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ recipient: '13812345678', body: expect.stringContaining('T005 号') });
    expect(sms[0]!.body).toContain('前面还有 3 人');
    await callNext();
    expect(await outbox(t.ctx.db, eq(notifications.template, 'queue.near_front'))).toHaveLength(1);
  });

  it('shows the console: current visitor, who is next, and the missed tickets it can restore', async () => {
    const a = (await take(t)).json();
    await take(t, { priority: 'green' });
    await take(t);
    await callNext(); // green first
    const green = (await t.api('staff', { method: 'GET', url: `/windows/${t.hall.windowId}/console` })).json();
    await act(green.current.id, 'skip');
    const view = (await t.api('staff', { method: 'GET', url: `/windows/${t.hall.windowId}/console` })).json();
    expect(view).toMatchObject({ window: { number: 1, status: 'open' }, current: null, waitingCount: 2, recallLimit: 2 });
    expect(view.nextUp.map((n: { number: string }) => n.number)).toEqual([a.number, 'T003']);
    expect(view.missed).toEqual([expect.objectContaining({ number: 'T002', restorableUntil: '2025-09-30T09:30:00+08:00' })]);
  });
});

describe('twenty windows over one shared line', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('calls every ticket exactly once, however many windows call at the same moment', async () => {
    const staff = [];
    for (let i = 0; i < 20; i++) staff.push(await addWindow(t, 10 + i, [t.hall.serviceId]));
    const issued: string[] = [];
    for (let i = 0; i < 60; i++) issued.push((await take(t, { priority: i % 5 === 0 ? 'elderly' : 'normal' })).json().id);
    const calledBy = new Map<string, string[]>();
    await Promise.all(
      staff.map(async ({ windowId, token }) => {
        for (;;) {
          const res = await as(t, token, { method: 'POST', url: `/windows/${windowId}/call-next` });
          if (res.statusCode === 204) return;
          expect(res.statusCode).toBe(200);
          const id = res.json().id as string;
          calledBy.set(id, [...(calledBy.get(id) ?? []), windowId]);
          expect((await as(t, token, { method: 'POST', url: `/tickets/${id}/complete` })).statusCode).toBe(200);
        }
      }),
    );
    expect([...calledBy.keys()].sort()).toEqual([...issued].sort());
    expect([...calledBy.values()].every((windows) => windows.length === 1)).toBe(true);
    const calls = await t.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.type, 'called'));
    expect(calls).toHaveLength(60);
  });
});

describe('queue statistics', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('reports waiting, walking and service time, no-shows and idle time per window and staff member', async () => {
    const a = (await take(t)).json();
    const b = (await take(t)).json();
    t.clock.advance(5 * 60_000);
    await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
    t.clock.advance(60_000);
    await t.api('staff', { method: 'POST', url: `/tickets/${a.id}/start` });
    t.clock.advance(8 * 60_000);
    await t.api('staff', { method: 'POST', url: `/tickets/${a.id}/complete` });
    t.clock.advance(2 * 60_000);
    await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
    await t.api('staff', { method: 'POST', url: `/tickets/${b.id}/skip` });
    const res = await t.api('manager', { method: 'GET', url: '/queue/stats?from=2025-09-30&to=2025-09-30' });
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats.totals).toMatchObject({ tickets: 2, called: 2, served: 1, noShows: 1, avgWaitMinutes: 10.5, maxWaitMinutes: 16, avgWalkMinutes: 1, avgServiceMinutes: 8 });
    expect(stats.byService[0]).toMatchObject({ serviceCode: 'T-001', served: 1 });
    expect(stats.byWindow[0]).toMatchObject({ windowName: '测试窗口', idleMinutes: 2 });
    expect(stats.byStaff[0]).toMatchObject({ staffName: '测试staff', served: 1 });
    expect(stats.byHour[0]).toMatchObject({ hour: 9, tickets: 2 });
    expect((await t.api('staff', { method: 'GET', url: '/queue/stats?from=2025-09-30&to=2025-09-30' })).statusCode).toBe(403);
    expect((await t.api('manager', { method: 'GET', url: '/queue/stats?from=2025-09-30&to=2025-09-01' })).statusCode).toBe(400);
  });
});
