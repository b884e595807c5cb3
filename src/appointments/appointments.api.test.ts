import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { createTimerRunner } from '../jobs/timers.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { booking, testIdNumber } from './test-helpers.js';

const SLOT = '2025-09-30T14:00:00+08:00';
/** Any 18-character ID number in clear (masked ones carry asterisks). */
const FULL_ID = /\d{17}[\dXx]/;

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const book = (body: Record<string, unknown>) => t.api(null, { method: 'POST', url: '/appointments', payload: body });

describe('slots', () => {
  it('offers the hall hours in slots of the item, with what remains', async () => {
    const res = await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-10-09' });
    expect(res.statusCode).toBe(200);
    // 2025-10-09 is beyond 7 days from 2025-09-30.
    expect(res.json()).toEqual([]);
    const today = (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json();
    // 09:00 now with a 60-minute same-day cut-off: the first slot is 10:30; 4 afternoon hours give 8 slots.
    expect(today[0]).toEqual({ start: '2025-09-30T10:30:00+08:00', end: '2025-09-30T11:00:00+08:00', capacity: 3, remaining: 3 });
    expect(today).toHaveLength(3 + 8);
  });

  it('has no slot on a statutory holiday and slots on the make-up working day', async () => {
    expect((await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-10-01' })).json()).toEqual([]);
    t.clock.set('2025-10-09T09:00:00+08:00');
    const makeUp = (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-10-11' })).json();
    expect(makeUp).toHaveLength(14);
    expect(makeUp[0].start).toBe('2025-10-11T09:00:00+08:00');
    expect((await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-10-12' })).json()).toEqual([]);
  });

  it('a closed slot disappears and its bookings are cancelled with an SMS', async () => {
    const b = (await book(booking(SLOT))).json();
    const res = await t.api('manager', { method: 'POST', url: '/appointments/close', payload: { serviceCode: 'T-001', start: SLOT, reason: '系统维护' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ closedSlots: 1, cancelled: 1 });
    const slots = (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json();
    expect(slots.map((s: { start: string }) => s.start)).not.toContain(SLOT);
    const mine = (await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: b.code, idNumber: testIdNumber(1) } })).json();
    expect(mine.status).toBe('cancelled');
    const sms = await t.database.query<{ body: string }>(`SELECT body FROM notifications WHERE template = 'appointment.slot-closed'`);
    expect(sms[0]!.body).toContain('系统维护');
  });
});

describe('booking', () => {
  it('50 simultaneous bookings for a slot with 3 places give exactly 3 bookings and 47 SLOT_FULL', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => book(booking(SLOT, i + 1))));
    const created = results.filter((r) => r.statusCode === 201);
    const full = results.filter((r) => r.statusCode === 409 && r.json().error.code === 'SLOT_FULL');
    expect(created).toHaveLength(3);
    expect(full).toHaveLength(47);
    const [row] = await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM appointments WHERE status = 'booked'`);
    expect(row!.n).toBe(3);
    const slot = (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json().find((s: { start: string }) => s.start === SLOT);
    expect(slot.remaining).toBe(0);
  });

  it('books with a code, masks personal data and never shows or stores the full ID number', async () => {
    const res = await book(booking(SLOT, 1, { idNumber: '11010519491231002X' }));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ serviceCode: 'T-001', start: SLOT, end: '2025-09-30T14:30:00+08:00', status: 'booked' });
    expect(body.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(body.idNumber).toBe('1101**********002X');
    const lookup = await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: body.code, idNumber: '11010519491231002X' } });
    const ics = await t.api(null, { method: 'GET', url: `/appointments/${body.id}/ics?code=${body.code}` });
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('DTSTART:20250930T060000Z');
    for (const r of [res, lookup, ics]) expect(r.body).not.toMatch(FULL_ID);
    const audit = await t.database.query<{ row: string }>(`SELECT row_to_json(a)::text AS row FROM audit_events a`);
    for (const a of audit) expect(a.row).not.toContain('11010519491231002X');
    const stored = await t.database.query<{ row: string }>(`SELECT row_to_json(a)::text AS row FROM appointments a`);
    expect(stored[0]!.row).not.toContain('11010519491231002X');
    expect(stored[0]!.row).not.toContain('13800138000');
    const sms = await t.database.query<{ body: string }>(`SELECT body FROM notifications WHERE template = 'appointment.confirmed'`);
    expect(sms[0]!.body).toContain(body.code);
  });

  it.each([
    ['a wrong check digit', '110105194912310021'],
    ['an impossible birth date', '110105194902300020'],
    ['a wrong length', '11010519491231002'],
  ])('%s gets 400 INVALID_ID_NUMBER and books nothing', async (_what, idNumber) => {
    const before = await t.counts();
    const res = await book(booking(SLOT, 1, { idNumber }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_ID_NUMBER');
    expect(await t.counts()).toEqual(before);
  });

  it('bad input is 400 and changes nothing', async () => {
    const before = await t.counts();
    for (const payload of [booking(SLOT, 1, { phone: '12345' }), booking(SLOT, 1, { name: '' }), booking('tomorrow', 1), {}]) {
      const res = await book(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.counts()).toEqual(before);
  });

  it('a slot in the past, off the grid or on a holiday is SLOT_UNAVAILABLE', async () => {
    for (const start of ['2025-09-30T08:30:00+08:00', '2025-09-30T14:10:00+08:00', '2025-10-01T10:00:00+08:00']) {
      const res = await book(booking(start));
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('SLOT_UNAVAILABLE');
    }
  });

  it('one booking a day per person', async () => {
    expect((await book(booking(SLOT))).statusCode).toBe(201);
    const second = await book(booking('2025-09-30T15:00:00+08:00'));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('BOOKING_LIMIT');
  });

  it('a hold keeps the place while the form is filled in, and the booking consumes it', async () => {
    const hold = await t.api(null, { method: 'POST', url: '/appointments/holds', payload: { serviceCode: 'T-001', start: SLOT } });
    expect(hold.statusCode).toBe(201);
    const slotsNow = async () => (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json().find((s: { start: string }) => s.start === SLOT).remaining;
    expect(await slotsNow()).toBe(2);
    const res = await book(booking(SLOT, 1, { holdId: hold.json().holdId }));
    expect(res.statusCode).toBe(201);
    expect(await slotsNow()).toBe(2);
    // An abandoned hold gives its place back after it expires.
    await t.api(null, { method: 'POST', url: '/appointments/holds', payload: { serviceCode: 'T-001', start: SLOT } });
    expect(await slotsNow()).toBe(1);
    t.clock.advance(6 * 60_000);
    expect((await book(booking(SLOT, 2))).statusCode).toBe(201);
    expect(await slotsNow()).toBe(1);
  });
});

describe('cancel and reschedule', () => {
  it('the person cancels with code and ID number until 2 hours before', async () => {
    const b = (await book(booking(SLOT))).json();
    const wrong = await t.api(null, { method: 'POST', url: `/appointments/${b.id}/cancel`, payload: { code: b.code, idNumber: testIdNumber(2) } });
    expect(wrong.statusCode).toBe(404);
    t.clock.set('2025-09-30T12:01:00+08:00');
    const late = await t.api(null, { method: 'POST', url: `/appointments/${b.id}/cancel`, payload: { code: b.code, idNumber: testIdNumber(1) } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CANCEL_TOO_LATE');
    t.clock.set('2025-09-30T11:59:00+08:00');
    const ok = await t.api(null, { method: 'POST', url: `/appointments/${b.id}/cancel`, payload: { code: b.code, idNumber: testIdNumber(1) } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('cancelled');
  });

  it('reschedules to another slot and frees the first', async () => {
    const b = (await book(booking(SLOT))).json();
    const res = await t.api(null, { method: 'POST', url: `/appointments/${b.id}/reschedule`, payload: { code: b.code, idNumber: testIdNumber(1), start: '2025-09-30T15:00:00+08:00' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().start).toBe('2025-09-30T15:00:00+08:00');
    const slots = (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json();
    expect(slots.find((s: { start: string }) => s.start === SLOT).remaining).toBe(3);
  });
});

describe('check-in', () => {
  it('within the margin gives an appointment-priority ticket; too early or late offers a normal ticket', async () => {
    const b = (await book(booking(SLOT))).json();
    t.clock.set('2025-09-30T13:29:00+08:00');
    const early = await t.api(null, { method: 'POST', url: '/appointments/check-in', payload: { code: b.code, idNumber: testIdNumber(1) } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details.offerNormalTicket).toBe(true);
    expect(early.json().error.message).toMatch(/签到/);
    const otherId = await t.api(null, { method: 'POST', url: '/appointments/check-in', payload: { code: b.code, idNumber: testIdNumber(2) } });
    expect(otherId.statusCode).toBe(404);
    t.clock.set('2025-09-30T13:45:00+08:00');
    const ok = await t.api(null, { method: 'POST', url: `/appointments/${b.id}/check-in`, payload: { idNumber: testIdNumber(1) } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().number).toBeTruthy();
    expect(ok.body).not.toMatch(FULL_ID);
    const [ticket] = await t.database.query<{ priority: string; channel: string }>(`SELECT priority, channel FROM tickets`);
    expect(ticket).toMatchObject({ priority: 'appointment', channel: 'appointment' });
  });

  it('too late is refused with a clear message', async () => {
    const b = (await book(booking(SLOT))).json();
    t.clock.set('2025-09-30T14:16:00+08:00');
    const late = await t.api(null, { method: 'POST', url: '/appointments/check-in', payload: { code: b.code, idNumber: testIdNumber(1) } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'CHECK_IN_TOO_LATE', details: { offerNormalTicket: true } });
  });
});

describe('no-shows', () => {
  it('a warning after the first, and a block with its end date after the second', async () => {
    const runner = createTimerRunner({ db: t.ctx.db, clock: t.clock }, timerHandlers(t.ctx));
    const b1 = (await book(booking(SLOT))).json();
    t.clock.set('2025-09-30T14:31:00+08:00');
    await runner.runDue();
    expect((await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: b1.code, idNumber: testIdNumber(1) } })).json().status).toBe('no_show');
    const warn = await t.database.query(`SELECT 1 FROM notifications WHERE template = 'appointment.no-show-warning'`);
    expect(warn).toHaveLength(1);
    const b2 = (await book(booking('2025-09-30T16:00:00+08:00'))).json();
    expect(b2.code).toBeTruthy();
    t.clock.set('2025-09-30T16:31:00+08:00');
    await runner.runDue();
    t.clock.set('2025-10-09T09:00:00+08:00');
    const blocked = await book(booking('2025-10-10T10:00:00+08:00'));
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('BOOKING_BLOCKED');
    expect(blocked.json().error.details.until).toBe('2025-12-29');
    expect(blocked.json().error.message).toContain('2025-12-29');
  });
});
