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

  const reschedule = (b: { id: string; code: string }, start: string, n = 1) =>
    t.api(null, { method: 'POST', url: `/appointments/${b.id}/reschedule`, payload: { code: b.code, idNumber: testIdNumber(n), start } });
  const remaining = async (date: string, start: string) =>
    (await t.api(null, { method: 'GET', url: `/services/T-001/slots?date=${date}` })).json().find((s: { start: string }) => s.start === start)?.remaining;

  it('reschedules to another slot in one step: the first is freed, the person is told, the code stays', async () => {
    const b = (await book(booking(SLOT))).json();
    const res = await reschedule(b, '2025-09-30T15:00:00+08:00');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: b.code, start: '2025-09-30T15:00:00+08:00', status: 'booked' });
    expect(await remaining('2025-09-30', SLOT)).toBe(3);
    expect(await remaining('2025-09-30', '2025-09-30T15:00:00+08:00')).toBe(2);
    const sms = await t.database.query<{ body: string }>(`SELECT body FROM notifications WHERE template = 'appointment.rescheduled'`);
    expect(sms[0]!.body).toContain('15:00');
    const audit = await t.database.query(`SELECT 1 FROM audit_events WHERE action = 'appointment.reschedule'`);
    expect(audit).toHaveLength(1);
  });

  it('rescheduling into a full slot is 409 SLOT_FULL and changes nothing', async () => {
    const full = '2025-09-30T15:00:00+08:00';
    for (const n of [2, 3, 4]) expect((await book(booking(full, n))).statusCode).toBe(201);
    const b = (await book(booking(SLOT))).json();
    const before = await t.counts();
    const res = await reschedule(b, full);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SLOT_FULL');
    expect(await t.counts()).toEqual(before);
    expect(await remaining('2025-09-30', SLOT)).toBe(2);
    expect(await remaining('2025-09-30', full)).toBe(0);
    const mine = (await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: b.code, idNumber: testIdNumber(1) } })).json();
    expect(mine.start).toBe(SLOT);
  });

  it('rescheduling keeps the cut-off and the daily limit', async () => {
    t.clock.set('2025-10-09T09:00:00+08:00');
    const settings = (await t.api('manager', { method: 'GET', url: '/appointments/settings' })).json();
    // Lift the one-booking-per-item limit so that the daily one is what refuses.
    expect((await t.api('manager', { method: 'PUT', url: '/appointments/settings', payload: { ...settings, perPersonPerItem: 5 } })).statusCode).toBe(200);
    const b = (await book(booking('2025-10-10T10:00:00+08:00'))).json();
    expect((await book(booking('2025-10-11T10:00:00+08:00'))).statusCode).toBe(201);
    const limit = await reschedule(b, '2025-10-11T11:00:00+08:00');
    expect(limit.statusCode).toBe(409);
    expect(limit.json().error.code).toBe('BOOKING_LIMIT');
    expect(await remaining('2025-10-11', '2025-10-11T11:00:00+08:00')).toBe(3);
    expect(await remaining('2025-10-10', '2025-10-10T10:00:00+08:00')).toBe(2);
    // Moving to a free day works and frees the first day for another booking.
    expect((await reschedule(b, '2025-10-13T10:00:00+08:00')).statusCode).toBe(200);
    expect((await book(booking('2025-10-10T16:00:00+08:00'))).statusCode).toBe(201);
    t.clock.set('2025-10-13T08:01:00+08:00');
    const late = await reschedule(b, '2025-10-13T15:00:00+08:00');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CANCEL_TOO_LATE');
  });
});

describe('settings', () => {
  it('a partial or stray settings body is 400 and resets nothing', async () => {
    const settings = (await t.api('manager', { method: 'GET', url: '/appointments/settings' })).json();
    expect((await t.api('manager', { method: 'PUT', url: '/appointments/settings', payload: { ...settings, perPersonPerDay: 3 } })).statusCode).toBe(200);
    for (const payload of [{ perPersonPerItem: 2 }, { ...settings, perPersonPerDay: 3, extra: 1 }, {}]) {
      const res = await t.api('manager', { method: 'PUT', url: '/appointments/settings', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.api('manager', { method: 'GET', url: '/appointments/settings' })).json()).toEqual({ ...settings, perPersonPerDay: 3 });
  });
});

describe('daily limit in the database', () => {
  it('concurrent bookings of one person for different slots of a day: exactly one passes', async () => {
    const settings = (await t.api('manager', { method: 'GET', url: '/appointments/settings' })).json();
    // Only the daily limit applies here, so its counter is what must hold under concurrency.
    expect((await t.api('manager', { method: 'PUT', url: '/appointments/settings', payload: { ...settings, perPersonPerItem: 10 } })).statusCode).toBe(200);
    const starts = ['14:00', '14:30', '15:00', '15:30', '16:00', '16:30'].map((hm) => `2025-09-30T${hm}:00+08:00`);
    const results = await Promise.all(starts.map((start) => book(booking(start, 9))));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r.json().error.code).toBe('BOOKING_LIMIT');
    const [row] = await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM appointments WHERE status = 'booked'`);
    expect(row!.n).toBe(1);
    const slots = (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json() as { remaining: number }[];
    expect(slots.reduce((sum, s) => sum + 3 - s.remaining, 0)).toBe(1);
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

describe('green channels', () => {
  /** 75 at the slot. */
  const ELDER_ID = testIdNumber(2, '19500301');
  const checkIn = (code: string, idNumber: string) => t.api(null, { method: 'POST', url: '/appointments/check-in', payload: { code, idNumber } });
  const openGreenChannel = () => t.database.query(`UPDATE services SET green_channel = true WHERE code = 'T-001'`);

  it('an elderly booking checks in to an elderly-priority ticket through the queue', async () => {
    const b = await book(booking(SLOT, 1, { idNumber: ELDER_ID, channel: 'elderly' }));
    expect(b.statusCode).toBe(201);
    expect(b.json().channel).toBe('elderly');
    t.clock.set('2025-09-30T13:50:00+08:00');
    const ticket = await checkIn(b.json().code, ELDER_ID);
    expect(ticket.statusCode).toBe(201);
    expect(ticket.json()).toMatchObject({ number: 'T001', priority: 'elderly', status: 'waiting', serviceCode: 'T-001' });
    // The queue's own issue path: the ticket has its "issued" event and is on the public ticket page.
    const events = await t.database.query<{ type: string }>(`SELECT type FROM ticket_events`);
    expect(events.map((e) => e.type)).toEqual(['issued']);
    expect((await t.api(null, { method: 'GET', url: `/tickets/${ticket.json().id}` })).json().priority).toBe('elderly');
    const mine = (await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: b.json().code, idNumber: ELDER_ID } })).json();
    expect(mine.status).toBe('checked_in');
  });

  it('涉老 is for people aged 60 or more; other green channels only on items that offer them', async () => {
    const before = await t.counts();
    const young = await book(booking(SLOT, 1, { channel: 'elderly' }));
    expect(young.statusCode).toBe(400);
    expect(young.json().error.message).toContain('60');
    const notOffered = await book(booking(SLOT, 1, { channel: 'green_window' }));
    expect(notOffered.statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
  });

  it('a 场内绿色通道 booking checks in to a green-channel ticket, a plain one to an appointment ticket', async () => {
    await openGreenChannel();
    const green = (await book(booking(SLOT, 1, { channel: 'green_window' }))).json();
    const plain = (await book(booking(SLOT, 2))).json();
    t.clock.set('2025-09-30T13:50:00+08:00');
    expect((await checkIn(green.code, testIdNumber(1))).json().priority).toBe('green');
    expect((await checkIn(plain.code, testIdNumber(2))).json()).toMatchObject({ priority: 'appointment', number: 'T002' });
  });

  it('a home visit needs an address, is assigned to staff, shows on their list and never checks in', async () => {
    await openGreenChannel();
    const noAddress = await book(booking(SLOT, 1, { channel: 'home_visit' }));
    expect(noAddress.statusCode).toBe(400);
    const visit = (await book(booking(SLOT, 1, { channel: 'home_visit', address: '随县厉山镇神农村 3 组 12 号' }))).json();
    const list = (await t.api('manager', { method: 'GET', url: '/appointments/home-visits?date=2025-09-30' })).json();
    expect(list).toEqual([expect.objectContaining({ code: visit.code, address: '随县厉山镇神农村 3 组 12 号', phone: '13800138000', staffId: null })]);
    expect((await t.api('staff', { method: 'GET', url: '/appointments/home-visits?date=2025-09-30' })).json()).toEqual([]);

    const [staff] = await t.database.query<{ id: string }>(`SELECT id FROM users WHERE username = 'staff'`);
    const byStaff = await t.api('staff', { method: 'POST', url: `/appointments/${visit.id}/assign`, payload: { staffId: staff!.id } });
    expect(byStaff.statusCode).toBe(403);
    const assigned = await t.api('manager', { method: 'POST', url: `/appointments/${visit.id}/assign`, payload: { staffId: staff!.id } });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().staffName).toBe('测试staff');
    const mine = (await t.api('staff', { method: 'GET', url: '/appointments/home-visits?date=2025-09-30' })).json();
    expect(mine).toEqual([expect.objectContaining({ code: visit.code, staffName: '测试staff', name: '张三1' })]);
    expect((await t.api('leader', { method: 'GET', url: '/appointments/home-visits?date=2025-09-30' })).json()).toEqual([]);
    const audit = await t.database.query(`SELECT 1 FROM audit_events WHERE action = 'appointment.assign'`);
    expect(audit).toHaveLength(1);

    t.clock.set('2025-09-30T13:50:00+08:00');
    const refused = await checkIn(visit.code, testIdNumber(1));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('HOME_VISIT');
    const timers = await t.database.query(`SELECT 1 FROM timers WHERE key = '${visit.id}'`);
    expect(timers).toEqual([]);
  });

  it('a 立等可取 booking moves within its day only', async () => {
    await openGreenChannel();
    t.clock.set('2025-10-09T09:00:00+08:00');
    const b = (await book(booking('2025-10-09T14:00:00+08:00', 1, { channel: 'same_day' }))).json();
    expect(b.channel).toBe('same_day');
    const move = (start: string) => t.api(null, { method: 'POST', url: `/appointments/${b.id}/reschedule`, payload: { code: b.code, idNumber: testIdNumber(1), start } });
    const before = await t.counts();
    const otherDay = await move('2025-10-10T10:00:00+08:00');
    expect(otherDay.statusCode).toBe(400);
    expect(otherDay.json().error.message).toContain('立等可取');
    expect(await t.counts()).toEqual(before);
    expect((await move('2025-10-09T15:00:00+08:00')).statusCode).toBe(200);
  });
});

describe('closing a day', () => {
  it('cancels every booking of the day with an SMS each, and the day offers no slot', async () => {
    const a = (await book(booking(SLOT, 1))).json();
    const b = (await book(booking('2025-09-30T10:30:00+08:00', 2))).json();
    const before = await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' });
    expect(before.json().length).toBeGreaterThan(0);
    const res = await t.api('manager', { method: 'POST', url: '/appointments/close', payload: { serviceCode: 'T-001', date: '2025-09-30', reason: '停电检修' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ closedSlots: 14, cancelled: 2 });
    expect((await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json()).toEqual([]);
    for (const [x, n] of [[a, 1], [b, 2]] as const) {
      const mine = (await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: x.code, idNumber: testIdNumber(n) } })).json();
      expect(mine.status).toBe('cancelled');
    }
    const sms = await t.database.query<{ body: string }>(`SELECT body FROM notifications WHERE template = 'appointment.slot-closed'`);
    expect(sms).toHaveLength(2);
    for (const m of sms) expect(m.body).toContain('停电检修');
    const audit = await t.database.query(`SELECT 1 FROM audit_events WHERE action = 'appointment.close'`);
    expect(audit).toHaveLength(1);
  });

  it('a bad close request is 400 and changes nothing', async () => {
    await book(booking(SLOT));
    await t.api('manager', { method: 'GET', url: '/appointments/settings' });
    const before = await t.counts();
    for (const payload of [{ serviceCode: 'T-001', date: '2025-09-30' }, { serviceCode: 'T-001', reason: '无' }, { serviceCode: 'T-001', date: '2025-10-01', reason: '节假日' }]) {
      const res = await t.api('manager', { method: 'POST', url: '/appointments/close', payload });
      expect(res.statusCode).toBe(400);
    }
    expect(await t.counts()).toEqual(before);
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
