import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../audit/tables.js';
import { notifications } from '../notify/tables.js';
import { keyring } from '../shared/data-key.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { appointments } from './tables.js';
import { testIdNumber } from './test-helpers.js';

const SLOT = '2025-09-30T14:00:00+08:00';
const ID = testIdNumber(7);

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

/** A case of the fixture item received at 09:00; completed unless told otherwise. Returns its number. */
async function caseFor(idNumber = ID, complete = true): Promise<string> {
  const res = await t.api('staff', { method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: { name: '李四', idNumber, phone: '13912345678' }, materials: [] } });
  expect(res.statusCode, res.body).toBe(201);
  const no = res.json().caseNumber as string;
  if (complete) expect((await t.api('staff', { method: 'POST', url: `/cases/${no}/actions`, payload: { action: 'complete', result: '准予许可' } })).statusCode).toBe(200);
  return no;
}
const lookup = (caseNumber: string, idNumber = ID) => t.api(null, { method: 'POST', url: '/appointments/pickups/lookup', payload: { caseNumber, idNumber } });
const bookPickup = (caseNumber: string, extra: Record<string, unknown> = {}) => t.api(null, { method: 'POST', url: '/appointments/pickups', payload: { caseNumber, idNumber: ID, start: SLOT, ...extra } });
const slotLeft = async () => (await t.api(null, { method: 'GET', url: '/services/T-001/slots?date=2025-09-30' })).json().find((s: { start: string }) => s.start === SLOT).remaining;

describe('results picked up by appointment (预约领取)', () => {
  it('offers the booking in the completion SMS, books a slot linked to the case, checks in for a ticket, and closes with the hand-over', async () => {
    const no = await caseFor();
    const [sms] = await t.ctx.db.select().from(notifications).where(eq(notifications.template, 'case.completed'));
    expect(sms!.body).toContain(`/portal/pickup?no=${no}`);

    const found = await lookup(no);
    expect(found.json()).toMatchObject({ caseNumber: no, serviceCode: 'T-001', applicantName: '李*', bookable: true, refusal: null, booking: null });
    const booked = await bookPickup(no);
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ status: 'booked', start: SLOT, name: '李*', phone: '139****5678' });
    expect(await slotLeft()).toBe(2);
    const [confirm] = await t.ctx.db.select().from(notifications).where(eq(notifications.template, 'appointment.confirmed'));
    expect(confirm!.body).toContain(`领取办件 ${no}`);
    expect((await keyring(t.ctx.db)).openOrClear(confirm!.recipient)).toBe('13912345678');
    expect((await lookup(no)).json().booking).toMatchObject({ code: booked.json().code, start: SLOT });
    // One pick-up booking per case.
    expect((await bookPickup(no, { start: '2025-09-30T15:00:00+08:00' })).json().error.code).toBe('PICKUP_ALREADY_BOOKED');

    // Checked in like any booking: a ticket for the item's windows.
    t.clock.set('2025-09-30T13:50:00+08:00');
    const ticket = await t.api(null, { method: 'POST', url: '/appointments/check-in', payload: { code: booked.json().code, idNumber: ID } });
    expect(ticket.statusCode, ticket.body).toBe(201);
    expect(ticket.json()).toMatchObject({ number: 'T001', priority: 'appointment', holderName: '李*' });

    // Handing the result over is the case's 领取 step: it closes the booking in the same transaction.
    const handed = await t.api('staff', { method: 'POST', url: `/cases/${no}/actions`, payload: { action: 'pick_up' } });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().status).toBe('delivered');
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, booked.json().id));
    expect(row).toMatchObject({ status: 'checked_in', handedOverAt: new Date('2025-09-30T13:50:00+08:00') });
    const audit = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.entityId, booked.json().id));
    expect(audit.map((a) => a.action)).toEqual(['appointment.book', 'appointment.check-in', 'appointment.handed-over']);
    expect((await lookup(no)).json()).toMatchObject({ bookable: false, refusal: '本件办理结果已领取' });
  });

  it('gives a booked place back when the result is handed over without the booking', async () => {
    const no = await caseFor();
    const booked = (await bookPickup(no)).json();
    expect(await slotLeft()).toBe(2);
    expect((await t.api('staff', { method: 'POST', url: `/cases/${no}/actions`, payload: { action: 'pick_up' } })).statusCode).toBe(200);
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, booked.id));
    expect(row).toMatchObject({ status: 'cancelled', cancelReason: 'picked_up' });
    expect(await slotLeft()).toBe(3);
  });

  it('refuses an unfinished case, a wrong ID number and a bad slot, booking nothing', async () => {
    const open = await caseFor(ID, false);
    const done = await caseFor(testIdNumber(8));
    const before = await t.counts();
    expect((await lookup(open)).json()).toMatchObject({ bookable: false, refusal: '本件尚未办结，办结后将短信通知您预约领取' });
    expect((await bookPickup(open)).json().error).toMatchObject({ code: 'PICKUP_NOT_AVAILABLE' });
    // Another person's ID number looks exactly like an unknown case.
    const wrong = await lookup(done, ID);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.message).toBe((await lookup('SX20250930999', ID)).json().error.message);
    expect((await bookPickup(done)).statusCode).toBe(404);
    expect((await bookPickup(open, { start: '2025-09-30T14:10:00+08:00' })).statusCode).toBe(409);
    expect((await t.api(null, { method: 'POST', url: '/appointments/pickups', payload: { caseNumber: done, idNumber: testIdNumber(8), start: SLOT, phone: '123' } })).statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
  });
});
