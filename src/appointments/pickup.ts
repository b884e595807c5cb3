// 预约领取 (issue 7, results): once a case's result waits at the window, the applicant books a slot to pick
// it up, through the completion SMS's link. The booking is an ordinary booking of the case's item, under
// every booking rule (slots, per-person limits, blocks, check-in margins), linked to the case; checking in
// gives a ticket for the windows that take the item, where the case was received and its result waits;
// handing the result over (the case's 领取 step) closes the booking in the same transaction.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { openContacts, personalData } from '../cases/personal.js';
import { cases, type CaseRow } from '../cases/tables.js';
import { cancelTimer } from '../jobs/timers.js';
import { services } from '../org/tables.js';
import { isMobilePhone, maskName, normalizeIdNumber } from '../shared/identity.js';
import { formatInstant } from '../calendar/index.js';
import type { PickupBookingInput, PickupProof } from './schemas.js';
import { createAppointmentService, NO_SHOW_TIMER, releasePlace, uncountPersonDay } from './service.js';
import { appointments } from './tables.js';

// One answer for an unknown number and a wrong ID number, so case numbers cannot be probed.
const noSuchCase = () => new DomainError(404, 'NOT_FOUND', '未找到与受理编号和证件号码相符的办件');

/** Why a case's result cannot be booked for pick-up now; null when it can. */
export function pickupRefusal(c: Pick<CaseRow, 'status' | 'deliveryMethod' | 'applicantType'>): string | null {
  if (c.deliveryMethod !== 'pickup') return '本件办理结果以邮寄方式送达，无需预约领取';
  if (c.status === 'delivered') return '本件办理结果已领取';
  if (c.status !== 'completed') return '本件尚未办结，办结后将短信通知您预约领取';
  // A booking is a person's (one ID card, real name): a company's result is fetched by its agent at the window.
  if (c.applicantType !== 'person') return '单位办件请由经办人持授权委托书到窗口领取';
  return null;
}

export function createPickupService(ctx: AppContext) {
  const { db } = ctx;
  const bookings = createAppointmentService(ctx);

  /** The case whose number and applicant's ID number both match, with its item and its open pick-up booking. */
  async function provenCase(hallId: string, proof: PickupProof) {
    const [row] = await db
      .select({ c: cases, serviceCode: services.code, bookable: services.bookable })
      .from(cases)
      .innerJoin(services, eq(services.id, cases.serviceId))
      .where(and(eq(cases.hallId, hallId), eq(cases.caseNumber, proof.caseNumber.trim())));
    if (!row) throw noSuchCase();
    const contacts = openContacts(await personalData(db), row.c);
    if (!contacts.idNumber || normalizeIdNumber(contacts.idNumber) !== normalizeIdNumber(proof.idNumber)) throw noSuchCase();
    const [booking] = await db.select().from(appointments).where(and(eq(appointments.caseId, row.c.id), eq(appointments.status, 'booked')));
    return { ...row, contacts, booking };
  }

  return {
    /** What the pick-up page shows: the case, whether it can be booked, and the booking already made. */
    async lookup(hallId: string, proof: PickupProof) {
      const { c, serviceCode, bookable, booking } = await provenCase(hallId, proof);
      return {
        caseNumber: c.caseNumber,
        serviceName: c.serviceName,
        serviceCode,
        applicantName: maskName(c.applicantName),
        bookable: bookable && pickupRefusal(c) === null,
        refusal: pickupRefusal(c) ?? (bookable ? null : '该事项暂不提供预约，请在办公时间到受理窗口领取'),
        booking: booking ? { id: booking.id, code: booking.code, start: formatInstant(booking.startAt.getTime()), end: formatInstant(booking.endAt.getTime()) } : null,
      };
    },

    async book(actor: Actor, hallId: string, input: PickupBookingInput) {
      const { c, serviceCode, booking, contacts } = await provenCase(hallId, input);
      const refusal = pickupRefusal(c);
      if (refusal) throw new DomainError(409, 'PICKUP_NOT_AVAILABLE', refusal);
      if (booking) throw new DomainError(409, 'PICKUP_ALREADY_BOOKED', `本件已预约 ${formatInstant(booking.startAt.getTime()).slice(0, 16).replace('T', ' ')} 领取，预约码 ${booking.code}；如需改时间请改约`);
      const phone = input.phone ?? (isMobilePhone(contacts.phone) ? contacts.phone : null);
      if (!phone) throw new DomainError(400, 'VALIDATION_FAILED', '请填写接收预约短信的手机号码', { field: 'phone' });
      try {
        return await bookings.book(actor, hallId, { serviceCode, start: input.start, name: c.applicantName, idNumber: input.idNumber, phone, channel: 'normal' }, { caseId: c.id, caseNumber: c.caseNumber });
      } catch (err) {
        // Two bookings racing for one case: the unique index lets one through.
        if ((err as { cause?: { code?: string } }).cause?.code === '23505' || (err as { code?: string }).code === '23505') throw new DomainError(409, 'PICKUP_ALREADY_BOOKED', '本件已预约领取');
        throw err;
      }
    },
  };
}

/**
 * The case's 领取 step, in its transaction: a pick-up booking that was checked in is marked handed over; one
 * still waiting (the person came without it) is released, its place and the person's count given back.
 */
export async function closePickup(tx: Db, caseId: string, at: Date, actor: Actor): Promise<void> {
  const rows = await tx
    .select()
    .from(appointments)
    .where(eq(appointments.caseId, caseId))
    .for('update');
  for (const b of rows) {
    if (b.status === 'checked_in' && !b.handedOverAt) {
      await tx.update(appointments).set({ handedOverAt: at, updatedAt: at }).where(eq(appointments.id, b.id));
      await recordAudit(tx, actor, { hallId: b.hallId, action: 'appointment.handed-over', entityType: 'appointment', entityId: b.id, after: { caseId, handedOverAt: at.toISOString() } });
    } else if (b.status === 'booked') {
      await tx.update(appointments).set({ status: 'cancelled', cancelReason: 'picked_up', updatedAt: at }).where(eq(appointments.id, b.id));
      await releasePlace(tx, b.serviceId, b.startAt);
      await uncountPersonDay(tx, b.hallId, b.idHash!, b.localDate);
      await cancelTimer(tx, NO_SHOW_TIMER, b.id);
      await recordAudit(tx, actor, { hallId: b.hallId, action: 'appointment.cancel', entityType: 'appointment', entityId: b.id, before: { status: 'booked' }, after: { status: 'cancelled', reason: 'picked_up' } });
    }
  }
}
