import { randomBytes } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { createCalendarService } from '../calendar/service.js';
import { formatInstant, localDate } from '../calendar/index.js';
import { DEFAULT_APPOINTMENT } from '../catalog/schemas.js';
import { enqueueNotice } from '../notify/outbox.js';
import { halls, services, windows, windowServices } from '../org/tables.js';
import { users } from '../auth/tables.js';
import { createQueueService } from '../queue/service.js';
import type { TimerHandler } from '../jobs/timers.js';
import { cancelTimer, scheduleTimer } from '../jobs/timers.js';
import { ID_NUMBER_MESSAGES, idNumberProblem, maskIdNumber, maskName, maskPhone, normalizeIdNumber } from '../shared/identity.js';
import { keyring } from '../shared/data-key.js';
import { AppointmentSettings, type AppointmentChannel, type BookingInput, type HomeVisit, type PublicAppointment } from './schemas.js';
import { ageOn, ELDERLY_AGE, ticketPriorityOf } from './channels.js';
import { bookingCode, checkInTiming, offeredAt, slotsOn, withinHorizon } from './slots.js';
import { appointmentBlocks, appointmentPersonDays, appointments, appointmentSlots } from './tables.js';

export const NO_SHOW_TIMER = 'appointment.no-show';
const DAY_MS = 86_400_000;

const unavailable = (message = '该时段不可预约', details: Record<string, unknown> = {}) => new DomainError(409, 'SLOT_UNAVAILABLE', message, details);
const slotFull = () => new DomainError(409, 'SLOT_FULL', '该时段已约满，请选择其他时段');
const notMatching = () => new DomainError(404, 'NOT_FOUND', '未找到与预约码和证件号码相符的预约');

function checkedIdNumber(raw: string, now: number): string {
  const id = normalizeIdNumber(raw);
  const problem = idNumberProblem(id, localDate(now));
  if (problem) throw new DomainError(400, 'INVALID_ID_NUMBER', ID_NUMBER_MESSAGES[problem]);
  return id;
}

export async function appointmentSettings(db: Db, hallId: string): Promise<AppointmentSettings> {
  const [hall] = await db.select({ s: sql<unknown>`${halls.settings}->'appointments'` }).from(halls).where(eq(halls.id, hallId));
  if (!hall) throw notFound('服务中心');
  const parsed = AppointmentSettings.safeParse(hall.s ?? {});
  return parsed.success ? parsed.data : AppointmentSettings.parse({});
}

type Row = typeof appointments.$inferSelect;

/** Gives a booked place back to its slot. */
export async function releasePlace(tx: Db, serviceId: string, start: Date) {
  await tx
    .update(appointmentSlots)
    .set({ booked: sql`greatest(${appointmentSlots.booked} - 1, 0)` })
    .where(and(eq(appointmentSlots.serviceId, serviceId), eq(appointmentSlots.startAt, start)));
}

/** What a result pick-up booking (预约领取) carries besides a booking: the case it picks up. */
export interface PickupLink {
  caseId: string;
  caseNumber: string;
}

/** Gives back a person's count for a day (see `countPersonDay`). */
export async function uncountPersonDay(tx: Db, hallId: string, idHash: string, date: string) {
  await tx
    .update(appointmentPersonDays)
    .set({ booked: sql`greatest(${appointmentPersonDays.booked} - 1, 0)` })
    .where(and(eq(appointmentPersonDays.hallId, hallId), eq(appointmentPersonDays.idHash, idHash), eq(appointmentPersonDays.localDate, date)));
}

export function createAppointmentService(ctx: AppContext) {
  const { db, clock } = ctx;
  const calendars = createCalendarService(ctx);
  const queue = createQueueService(ctx, calendars);

  async function serviceOf(hallId: string, code: string) {
    const [row] = await db
      .select({ id: services.id, code: services.code, name: services.name, bookable: services.bookable, appointment: services.appointment, greenChannel: services.greenChannel })
      .from(services)
      .where(and(eq(services.hallId, hallId), eq(services.code, code)));
    if (!row) throw notFound('事项', { serviceCode: code });
    if (!row.bookable) throw unavailable('该事项不接受预约', { serviceCode: code });
    return { ...row, appointment: row.appointment ?? DEFAULT_APPOINTMENT };
  }

  /** The hall's hours, plus the own hours of windows taking the item (weekend appointment days). */
  async function hoursList(hallId: string, serviceId: string) {
    const own = await db
      .select({ hours: windows.hours })
      .from(windows)
      .innerJoin(windowServices, eq(windowServices.windowId, windows.id))
      .where(and(eq(windows.hallId, hallId), eq(windowServices.serviceId, serviceId), isNotNull(windows.hours)));
    return [await calendars.hoursFor(hallId), ...own.map((w) => w.hours!)];
  }

  async function offeredSlots(hallId: string, item: Awaited<ReturnType<typeof serviceOf>>, date: string) {
    const settings = await appointmentSettings(db, hallId);
    const now = clock.now().getTime();
    if (!withinHorizon(date, now, item.appointment.daysAhead)) return { settings, slots: [] };
    const calendar = await calendars.calendarFor(hallId);
    const times = slotsOn(calendar, await hoursList(hallId, item.id), date, item.appointment).filter((s) => offeredAt(s.start, now, settings.sameDayCutoffMinutes));
    if (times.length === 0) return { settings, slots: [] };
    const rows = await db
      .select()
      .from(appointmentSlots)
      .where(and(eq(appointmentSlots.serviceId, item.id), gte(appointmentSlots.startAt, new Date(times[0]!.start)), lt(appointmentSlots.startAt, new Date(times.at(-1)!.end))));
    const byStart = new Map(rows.map((r) => [r.startAt.getTime(), r]));
    const slots = times
      .filter((t) => !byStart.get(t.start)?.closed)
      .map((t) => {
        const row = byStart.get(t.start);
        const capacity = row?.capacity ?? item.appointment.capacity;
        return { ...t, capacity, remaining: Math.max(0, capacity - (row?.booked ?? 0)) };
      });
    return { settings, slots };
  }

  async function slotOrThrow(hallId: string, item: Awaited<ReturnType<typeof serviceOf>>, start: string) {
    const ms = Date.parse(start);
    const date = localDate(ms);
    const { settings, slots } = await offeredSlots(hallId, item, date);
    const slot = slots.find((s) => s.start === ms);
    if (!slot) throw unavailable('该时段不可预约（已过、未开放或已关闭），请重新选择', { start });
    return { settings, slot, date };
  }

  /** Takes one place atomically: the conditional upsert returns no row when the slot is full or closed. */
  async function takePlace(tx: Db, hallId: string, serviceId: string, start: number, capacity: number) {
    const rows = await tx
      .insert(appointmentSlots)
      .values({ hallId, serviceId, startAt: new Date(start), capacity, booked: 1 })
      .onConflictDoUpdate({
        target: [appointmentSlots.serviceId, appointmentSlots.startAt],
        set: { booked: sql`${appointmentSlots.booked} + 1` },
        setWhere: sql`${appointmentSlots.booked} < ${appointmentSlots.capacity} AND NOT ${appointmentSlots.closed}`,
      })
      .returning({ booked: appointmentSlots.booked });
    if (rows.length === 0) throw slotFull();
  }

  /**
   * Moves one place from a booking's slot to another in the caller's transaction. The two slot rows are
   * locked in key order, so two people swapping slots at the same moment never deadlock.
   */
  async function movePlace(tx: Db, hallId: string, serviceId: string, from: Date, to: { start: number; capacity: number }) {
    if (from.getTime() < to.start) {
      await releasePlace(tx, serviceId, from);
      await takePlace(tx, hallId, serviceId, to.start, to.capacity);
    } else {
      await takePlace(tx, hallId, serviceId, to.start, to.capacity);
      await releasePlace(tx, serviceId, from);
    }
  }

  /**
   * Counts a person's open booking on a day, atomically against the daily limit (like a slot's places);
   * `uncountPersonDay` gives it back when the booking is cancelled, checked in or missed.
   */
  async function countPersonDay(tx: Db, hallId: string, idHash: string, date: string, limit: number) {
    const rows = await tx
      .insert(appointmentPersonDays)
      .values({ hallId, idHash, localDate: date, booked: 1 })
      .onConflictDoUpdate({
        target: [appointmentPersonDays.hallId, appointmentPersonDays.idHash, appointmentPersonDays.localDate],
        set: { booked: sql`${appointmentPersonDays.booked} + 1` },
        setWhere: sql`${appointmentPersonDays.booked} < ${limit}`,
      })
      .returning({ booked: appointmentPersonDays.booked });
    if (rows.length === 0) throw new DomainError(409, 'BOOKING_LIMIT', `每人每天最多预约 ${limit} 次`, { limit });
  }

  /** Held places past their time go back to the slot; run before counting or taking places. */
  async function releaseExpiredHolds(tx: Db, serviceId: string) {
    const expired = await tx
      .update(appointments)
      .set({ status: 'cancelled', cancelReason: 'hold_expired', updatedAt: clock.now() })
      .where(and(eq(appointments.serviceId, serviceId), eq(appointments.status, 'held'), lt(appointments.holdExpiresAt, clock.now())))
      .returning({ startAt: appointments.startAt });
    for (const h of expired) await releasePlace(tx, serviceId, h.startAt);
  }

  async function publicView(row: Row, serviceCode: string, serviceName?: string): Promise<PublicAppointment> {
    const keys = await keyring(db);
    return {
      id: row.id,
      code: row.code,
      serviceCode,
      serviceName,
      start: formatInstant(row.startAt.getTime()),
      end: formatInstant(row.endAt.getTime()),
      status: row.status,
      channel: row.channel,
      name: maskName(row.name),
      idNumber: row.idNumberEnc ? maskIdNumber(keys.open(row.idNumberEnc)) : undefined,
      phone: row.phoneEnc ? maskPhone(keys.open(row.phoneEnc)) : undefined,
    };
  }

  /** The booking whose code and ID number both match; a wrong pair looks the same as no booking. */
  async function proven(tx: Db, hallId: string, code: string, idNumber: string, lock = false) {
    const keys = await keyring(db);
    const id = normalizeIdNumber(idNumber);
    const q = tx.select().from(appointments).where(and(eq(appointments.hallId, hallId), eq(appointments.code, code.toUpperCase())));
    const [row] = lock ? await q.for('update') : await q;
    if (!row || row.idHash !== keys.hash('id', id)) throw notMatching();
    return row;
  }

  async function serviceCodeOf(serviceId: string) {
    const [s] = await db.select({ code: services.code, name: services.name }).from(services).where(eq(services.id, serviceId));
    return s!;
  }

  async function assertNotBlocked(tx: Db, hallId: string, idHash: string, today: string) {
    const [block] = await tx
      .select()
      .from(appointmentBlocks)
      .where(and(eq(appointmentBlocks.hallId, hallId), eq(appointmentBlocks.idHash, idHash), gte(appointmentBlocks.untilDate, today)))
      .orderBy(sql`${appointmentBlocks.untilDate} DESC`)
      .limit(1);
    if (block) {
      throw new DomainError(409, 'BOOKING_BLOCKED', `${block.reason}，${block.untilDate} 之后可再次预约`, { until: block.untilDate, reason: block.reason });
    }
  }

  /** The per-item limit; the daily one is the person-day counter (`countPersonDay`). */
  async function assertWithinItemLimit(tx: Db, hallId: string, serviceId: string, idHash: string, settings: AppointmentSettings, except?: string) {
    const others = await tx
      .select({ id: appointments.id })
      .from(appointments)
      .where(
        and(
          eq(appointments.hallId, hallId),
          eq(appointments.idHash, idHash),
          eq(appointments.serviceId, serviceId),
          inArray(appointments.status, ['held', 'booked']),
          gte(appointments.localDate, localDate(clock.now().getTime())),
        ),
      );
    if (others.filter((m) => m.id !== except).length >= settings.perPersonPerItem) {
      throw new DomainError(409, 'BOOKING_LIMIT', `同一事项每人最多保留 ${settings.perPersonPerItem} 个有效预约`, { limit: settings.perPersonPerItem });
    }
  }

  function assertBeforeCutoff(row: Row, settings: AppointmentSettings, now: number, action: string) {
    if (row.status !== 'booked') throw new DomainError(409, 'INVALID_TRANSITION', `该预约已取消、已签到或已失约，不能${action}`, { status: row.status });
    if (now > row.startAt.getTime() - settings.cancelCutoffMinutes * 60_000) {
      throw new DomainError(409, 'CANCEL_TOO_LATE', `距预约时间不足 ${settings.cancelCutoffMinutes / 60} 小时，不能在线取消或改约`, { cutoffMinutes: settings.cancelCutoffMinutes });
    }
  }

  /** The green-channel rules a booking keeps wherever it moves. */
  function assertChannel(channel: AppointmentChannel, item: { greenChannel: boolean }, idNumber: string, date: string, now: number) {
    // 涉老 is open for every item (the elderly window takes all); the other green channels are per item.
    if (channel !== 'normal' && channel !== 'elderly' && !item.greenChannel) throw validationFailed('该事项未开通绿色通道', { channel });
    if (channel === 'same_day' && date !== localDate(now)) throw validationFailed('立等可取预约只能预约当天', { channel });
    if (channel === 'elderly' && ageOn(idNumber, date) < ELDERLY_AGE) {
      throw validationFailed(`涉老服务通道供 ${ELDERLY_AGE} 周岁以上老人使用（证件号码显示未满 ${ELDERLY_AGE} 周岁）`, { channel });
    }
  }

  async function newCode(tx: Db, hallId: string): Promise<string> {
    for (;;) {
      const code = bookingCode(randomBytes(8));
      const [taken] = await tx.select({ id: appointments.id }).from(appointments).where(and(eq(appointments.hallId, hallId), eq(appointments.code, code)));
      if (!taken) return code;
    }
  }

  const service = {
    settings: (hallId: string) => appointmentSettings(db, hallId),

    async setSettings(actor: Actor, hallId: string, input: AppointmentSettings) {
      const before = await appointmentSettings(db, hallId);
      await db.transaction(async (tx) => {
        await tx.update(halls).set({ settings: sql`jsonb_set(${halls.settings}, '{appointments}', ${JSON.stringify(input)}::jsonb)` }).where(eq(halls.id, hallId));
        await recordAudit(tx, actor, { hallId, action: 'appointment.settings', entityType: 'hall', entityId: hallId, before, after: input });
      });
      return input;
    },

    async slots(hallId: string, serviceCode: string, date: string) {
      const item = await serviceOf(hallId, serviceCode);
      const { slots } = await offeredSlots(hallId, item, date);
      return slots.map((s) => ({ start: formatInstant(s.start), end: formatInstant(s.end), capacity: s.capacity, remaining: s.remaining }));
    },

    /** Holds a place for a few minutes while the person fills in the form. */
    async hold(actor: Actor, hallId: string, input: { serviceCode: string; start: string }) {
      const item = await serviceOf(hallId, input.serviceCode);
      const { settings, slot, date } = await slotOrThrow(hallId, item, input.start);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + settings.holdMinutes * 60_000);
      const id = await db.transaction(async (tx) => {
        await releaseExpiredHolds(tx, item.id);
        await takePlace(tx, hallId, item.id, slot.start, slot.capacity);
        const [row] = await tx
          .insert(appointments)
          .values({ hallId, serviceId: item.id, code: await newCode(tx, hallId), startAt: new Date(slot.start), endAt: new Date(slot.end), localDate: date, status: 'held', holdExpiresAt: expiresAt, createdAt: now, updatedAt: now })
          .returning({ id: appointments.id });
        await recordAudit(tx, actor, { hallId, action: 'appointment.hold', entityType: 'appointment', entityId: row!.id, after: { serviceCode: item.code, start: input.start } });
        return row!.id;
      });
      return { holdId: id, expiresAt: formatInstant(expiresAt.getTime()) };
    },

    async releaseHold(actor: Actor, hallId: string, holdId: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(appointments)
          .set({ status: 'cancelled', cancelReason: 'hold_released', updatedAt: clock.now() })
          .where(and(eq(appointments.id, holdId), eq(appointments.hallId, hallId), eq(appointments.status, 'held')))
          .returning();
        if (!row) return;
        await releasePlace(tx, row.serviceId, row.startAt);
        await recordAudit(tx, actor, { hallId, action: 'appointment.hold.release', entityType: 'appointment', entityId: holdId });
      });
    },

    async book(actor: Actor, hallId: string, input: BookingInput, pickup?: PickupLink) {
      const now = clock.now();
      const idNumber = checkedIdNumber(input.idNumber, now.getTime());
      const item = await serviceOf(hallId, input.serviceCode);
      if (input.channel === 'home_visit' && !input.address) throw validationFailed('上门服务须填写地址', { field: 'address' });
      const { settings, slot, date } = await slotOrThrow(hallId, item, input.start);
      assertChannel(input.channel, item, idNumber, date, now.getTime());
      const keys = await keyring(db);
      const idHash = keys.hash('id', idNumber);
      const row = await db.transaction(async (tx) => {
        await releaseExpiredHolds(tx, item.id);
        await assertNotBlocked(tx, hallId, idHash, localDate(now.getTime()));
        await assertWithinItemLimit(tx, hallId, item.id, idHash, settings, input.holdId);
        const personal = {
          name: input.name,
          idNumberEnc: keys.seal(idNumber),
          idHash,
          phoneEnc: keys.seal(input.phone),
          channel: input.channel,
          details: input.channel === 'home_visit' ? { address: input.address } : pickup ? { caseNumber: pickup.caseNumber } : {},
          caseId: pickup?.caseId ?? null,
          status: 'booked' as const,
          holdExpiresAt: null,
          updatedAt: now,
        };
        let booked: Row | undefined;
        if (input.holdId) {
          [booked] = await tx
            .update(appointments)
            .set(personal)
            .where(and(eq(appointments.id, input.holdId), eq(appointments.hallId, hallId), eq(appointments.status, 'held'), eq(appointments.serviceId, item.id), eq(appointments.startAt, new Date(slot.start))))
            .returning();
        }
        if (!booked) {
          await takePlace(tx, hallId, item.id, slot.start, slot.capacity);
          [booked] = await tx
            .insert(appointments)
            .values({ hallId, serviceId: item.id, code: await newCode(tx, hallId), startAt: new Date(slot.start), endAt: new Date(slot.end), localDate: date, createdAt: now, ...personal })
            .returning();
        }
        const b = booked!;
        await countPersonDay(tx, hallId, idHash, date, settings.perPersonPerDay);
        // A home visit is served where the person lives: nobody checks in, so it can never be a no-show.
        if (b.channel !== 'home_visit') await scheduleTimer(tx, { hallId, kind: NO_SHOW_TIMER, key: b.id, dueAt: b.endAt });
        await enqueueNotice(tx, {
          hallId,
          channel: 'sms',
          recipient: input.phone,
          template: 'appointment.confirmed',
          body: `您已预约${pickup ? `领取办件 ${pickup.caseNumber}（${item.name}）的办理结果` : item.name}，时间 ${formatInstant(slot.start).slice(0, 16).replace('T', ' ')}，预约码 ${b.code}。请携带身份证按时到场签到。`,
          params: { code: b.code },
          at: now,
        });
        await recordAudit(tx, actor, {
          hallId,
          action: 'appointment.book',
          entityType: 'appointment',
          entityId: b.id,
          after: { code: b.code, serviceCode: item.code, start: formatInstant(slot.start), channel: b.channel, idNumber: maskIdNumber(idNumber), ...(pickup ? { caseNumber: pickup.caseNumber } : {}) },
        });
        return b;
      });
      return publicView(row, item.code, item.name);
    },

    async lookup(hallId: string, code: string, idNumber: string) {
      const row = await proven(db, hallId, code, idNumber);
      const s = await serviceCodeOf(row.serviceId);
      return publicView(row, s.code, s.name);
    },

    async get(id: string, code: string) {
      const [row] = await db.select().from(appointments).where(and(eq(appointments.id, id), eq(appointments.code, code.toUpperCase())));
      if (!row || row.status === 'held') throw notFound('预约');
      const s = await serviceCodeOf(row.serviceId);
      return { row, view: await publicView(row, s.code, s.name), serviceName: s.name };
    },

    async cancel(actor: Actor, hallId: string, id: string, proof: { code: string; idNumber: string }) {
      const settings = await appointmentSettings(db, hallId);
      const now = clock.now().getTime();
      const row = await db.transaction(async (tx) => {
        const row = await proven(tx, hallId, proof.code, proof.idNumber, true);
        if (row.id !== id) throw notMatching();
        assertBeforeCutoff(row, settings, now, '取消');
        const [done] = await tx.update(appointments).set({ status: 'cancelled', cancelReason: 'by_person', updatedAt: new Date(now) }).where(eq(appointments.id, row.id)).returning();
        await releasePlace(tx, row.serviceId, row.startAt);
        await uncountPersonDay(tx, hallId, row.idHash!, row.localDate);
        await cancelTimer(tx, NO_SHOW_TIMER, row.id);
        await recordAudit(tx, actor, { hallId, action: 'appointment.cancel', entityType: 'appointment', entityId: row.id, before: { status: 'booked' }, after: { status: 'cancelled' } });
        return done!;
      });
      const s = await serviceCodeOf(row.serviceId);
      return publicView(row, s.code, s.name);
    },

    /**
     * 改约: moves a booking to another slot of the same item in one transaction, under a new booking's
     * rules (the old slot's cut-off, the new slot's places, the person's limits); any refusal changes nothing.
     */
    async reschedule(actor: Actor, hallId: string, id: string, input: { code: string; idNumber: string; start: string }) {
      const current = await proven(db, hallId, input.code, input.idNumber);
      if (current.id !== id) throw notMatching();
      const s = await serviceCodeOf(current.serviceId);
      const item = await serviceOf(hallId, s.code);
      const { settings, slot, date } = await slotOrThrow(hallId, item, input.start);
      const now = clock.now();
      const keys = await keyring(db);
      const row = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(appointments).where(eq(appointments.id, id)).for('update');
        assertBeforeCutoff(row!, settings, now.getTime(), '改约');
        if (row!.startAt.getTime() === slot.start) throw validationFailed('新时段与原预约时段相同，请选择另一个时段', { start: input.start });
        assertChannel(row!.channel, item, normalizeIdNumber(input.idNumber), date, now.getTime());
        const idHash = row!.idHash!;
        await releaseExpiredHolds(tx, item.id);
        await assertNotBlocked(tx, hallId, idHash, localDate(now.getTime()));
        await assertWithinItemLimit(tx, hallId, item.id, idHash, settings, row!.id);
        await movePlace(tx, hallId, item.id, row!.startAt, slot);
        if (row!.localDate !== date) {
          await uncountPersonDay(tx, hallId, idHash, row!.localDate);
          await countPersonDay(tx, hallId, idHash, date, settings.perPersonPerDay);
        }
        const [moved] = await tx
          .update(appointments)
          .set({ startAt: new Date(slot.start), endAt: new Date(slot.end), localDate: date, updatedAt: now })
          .where(eq(appointments.id, id))
          .returning();
        if (row!.channel !== 'home_visit') await scheduleTimer(tx, { hallId, kind: NO_SHOW_TIMER, key: id, dueAt: new Date(slot.end) });
        if (row!.phoneEnc) {
          await enqueueNotice(tx, {
            hallId,
            channel: 'sms',
            recipient: keys.open(row!.phoneEnc),
            template: 'appointment.rescheduled',
            body: `您预约的${item.name}已改到 ${formatInstant(slot.start).slice(0, 16).replace('T', ' ')}，预约码 ${row!.code} 不变。`,
            params: { code: row!.code },
            at: now,
          });
        }
        await recordAudit(tx, actor, { hallId, action: 'appointment.reschedule', entityType: 'appointment', entityId: id, before: { start: formatInstant(row!.startAt.getTime()) }, after: { start: formatInstant(slot.start) } });
        return moved!;
      });
      return publicView(row, s.code, s.name);
    },

    /**
     * Check-in at the kiosk or a window: within the margin the booking becomes a ticket of its class
     * (appointment, or its green channel); outside it the person is told why and offered a normal ticket.
     * The ticket is written through the queue's own issue path in the same transaction as the check-in,
     * so numbers, events and screens are the queue's, and two check-ins at once never print two tickets.
     */
    async checkIn(actor: Actor, hallId: string, input: { id?: string; code?: string; idNumber: string }) {
      const settings = await appointmentSettings(db, hallId);
      const now = clock.now().getTime();
      const idNumber = checkedIdNumber(input.idNumber, now);
      const keys = await keyring(db);
      const idHash = keys.hash('id', idNumber);
      let row: Row | undefined;
      if (input.code) {
        row = await proven(db, hallId, input.code, idNumber);
      } else {
        // By ID number alone: today's booking nearest to now.
        const rows = await db
          .select()
          .from(appointments)
          .where(and(eq(appointments.hallId, hallId), eq(appointments.idHash, idHash), eq(appointments.localDate, localDate(now)), eq(appointments.status, 'booked')))
          .orderBy(asc(appointments.startAt));
        row = rows.sort((a, b) => Math.abs(a.startAt.getTime() - now) - Math.abs(b.startAt.getTime() - now))[0];
        if (!row) throw new DomainError(404, 'NOT_FOUND', '未找到该证件今日的预约');
      }
      if (input.id && row.id !== input.id) throw notMatching();
      if (row.status !== 'booked') throw new DomainError(409, 'INVALID_TRANSITION', '该预约已取消、已签到或已失约，不能签到', { status: row.status });
      const priority = ticketPriorityOf(row.channel);
      if (!priority) throw new DomainError(409, 'HOME_VISIT', '上门服务预约由工作人员上门办理，无需到大厅签到');
      const timing = checkInTiming({ start: row.startAt.getTime(), end: row.endAt.getTime() }, now, settings.checkInEarlyMinutes, settings.checkInLateMinutes);
      if (timing !== 'ok') {
        const message =
          timing === 'early'
            ? `签到时间未到：请于预约时间前 ${settings.checkInEarlyMinutes} 分钟内签到，或现在领取普通号`
            : `已超过签到时间（预约时间后 ${settings.checkInLateMinutes} 分钟内），预约失效，可领取普通号`;
        throw new DomainError(409, timing === 'early' ? 'CHECK_IN_TOO_EARLY' : 'CHECK_IN_TOO_LATE', message, { offerNormalTicket: true });
      }
      const s = await serviceCodeOf(row.serviceId);
      const booking = row;
      const ticketInput = { serviceCode: s.code, channel: 'kiosk' as const, priority: 'normal' as const, thenServiceCodes: [], name: booking.name, idNumber };
      const plan = await queue.prepareIssue(hallId, ticketInput);
      const ticketId = await db.transaction(async (tx) => {
        const claimed = await tx
          .update(appointments)
          .set({ status: 'checked_in', updatedAt: new Date(now) })
          .where(and(eq(appointments.id, booking.id), eq(appointments.status, 'booked')))
          .returning({ id: appointments.id });
        if (claimed.length === 0) throw new DomainError(409, 'INVALID_TRANSITION', '该预约已签到');
        const ticketId = await queue.issueIn(tx, actor, plan, ticketInput, { channel: 'appointment', priority });
        await tx.update(appointments).set({ ticketId }).where(eq(appointments.id, booking.id));
        await uncountPersonDay(tx, hallId, booking.idHash!, booking.localDate);
        await cancelTimer(tx, NO_SHOW_TIMER, booking.id);
        await recordAudit(tx, actor, { hallId, action: 'appointment.check-in', entityType: 'appointment', entityId: booking.id, before: { status: 'booked' }, after: { status: 'checked_in', ticketId, priority } });
        return ticketId;
      });
      return queue.get(ticketId);
    },

    /** Each day's load per item and slot, for the manager. */
    async load(hallId: string, date: string) {
      const items = await db
        .select({ id: services.id, code: services.code, name: services.name, appointment: services.appointment })
        .from(services)
        .where(and(eq(services.hallId, hallId), eq(services.bookable, true)))
        .orderBy(asc(services.code));
      const calendar = await calendars.calendarFor(hallId);
      const out = [];
      for (const it of items) {
        const setting = it.appointment ?? DEFAULT_APPOINTMENT;
        const times = slotsOn(calendar, await hoursList(hallId, it.id), date, setting);
        const rows = await db.select().from(appointmentSlots).where(eq(appointmentSlots.serviceId, it.id));
        const byStart = new Map(rows.map((r) => [r.startAt.getTime(), r]));
        out.push({
          serviceCode: it.code,
          serviceName: it.name,
          slots: times.map((t) => {
            const r = byStart.get(t.start);
            return { start: formatInstant(t.start), end: formatInstant(t.end), capacity: r?.capacity ?? setting.capacity, booked: r?.booked ?? 0, closed: r?.closed ?? false };
          }),
        });
      }
      return out;
    },

    /** 上门服务 of a day: a manager sees all of them, other staff the visits assigned to them. */
    async homeVisits(user: { id: string; hallId: string; roles: readonly string[] }, date: string): Promise<HomeVisit[]> {
      const managing = user.roles.some((r) => r === 'admin' || r === 'manager');
      const rows = await db
        .select({ a: appointments, serviceName: services.name, staffName: users.displayName })
        .from(appointments)
        .innerJoin(services, eq(services.id, appointments.serviceId))
        .leftJoin(users, eq(users.id, appointments.assignedStaffId))
        .where(
          and(
            eq(appointments.hallId, user.hallId),
            eq(appointments.channel, 'home_visit'),
            eq(appointments.localDate, date),
            inArray(appointments.status, ['booked', 'checked_in']),
            managing ? undefined : eq(appointments.assignedStaffId, user.id),
          ),
        )
        .orderBy(asc(appointments.startAt));
      const keys = await keyring(db);
      return rows.map(({ a, serviceName, staffName }) => ({
        id: a.id,
        code: a.code,
        serviceName,
        start: formatInstant(a.startAt.getTime()),
        end: formatInstant(a.endAt.getTime()),
        status: a.status,
        name: a.name,
        phone: a.phoneEnc ? keys.open(a.phoneEnc) : '',
        address: String(a.details.address ?? ''),
        staffId: a.assignedStaffId,
        staffName,
      }));
    },

    /** Assigns a home visit to the staff member who goes; the visit then shows on that person's list. */
    async assign(actor: Actor, hallId: string, id: string, staffId: string) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(appointments).where(and(eq(appointments.id, id), eq(appointments.hallId, hallId))).for('update');
        if (!row || row.channel !== 'home_visit') throw notFound('上门服务预约');
        if (row.status !== 'booked') throw new DomainError(409, 'INVALID_TRANSITION', '该预约已取消或已办结，不能再派人', { status: row.status });
        const [staff] = await tx.select({ id: users.id, name: users.displayName, active: users.active }).from(users).where(and(eq(users.id, staffId), eq(users.hallId, hallId)));
        if (!staff || !staff.active) throw validationFailed('该工作人员不存在或已停用', { staffId });
        await tx.update(appointments).set({ assignedStaffId: staffId, updatedAt: clock.now() }).where(eq(appointments.id, id));
        await recordAudit(tx, actor, { hallId, action: 'appointment.assign', entityType: 'appointment', entityId: id, before: { staffId: row.assignedStaffId }, after: { staffId, staffName: staff.name } });
        return { id, staffId, staffName: staff.name };
      });
    },

    /** Closes a slot or a whole day: bookings there are cancelled and each person gets an SMS. */
    async close(actor: Actor, hallId: string, input: { serviceCode: string; start?: string; date?: string; reason: string }) {
      const [item] = await db.select().from(services).where(and(eq(services.hallId, hallId), eq(services.code, input.serviceCode)));
      if (!item) throw notFound('事项', { serviceCode: input.serviceCode });
      const setting = item.appointment ?? DEFAULT_APPOINTMENT;
      const date = input.date ?? localDate(Date.parse(input.start!));
      const calendar = await calendars.calendarFor(hallId);
      const all = slotsOn(calendar, await hoursList(hallId, item.id), date, setting);
      const chosen = input.start ? all.filter((s) => s.start === Date.parse(input.start!)) : all;
      if (chosen.length === 0) throw validationFailed('该时段不在开放时间内', { start: input.start, date: input.date });
      const keys = await keyring(db);
      const now = clock.now();
      return db.transaction(async (tx) => {
        let cancelled = 0;
        for (const s of chosen) {
          await tx
            .insert(appointmentSlots)
            .values({ hallId, serviceId: item.id, startAt: new Date(s.start), capacity: setting.capacity, booked: 0, closed: true })
            .onConflictDoUpdate({ target: [appointmentSlots.serviceId, appointmentSlots.startAt], set: { closed: true, booked: 0 } });
          const hit = await tx
            .update(appointments)
            .set({ status: 'cancelled', cancelReason: 'slot_closed', updatedAt: now })
            .where(and(eq(appointments.serviceId, item.id), eq(appointments.startAt, new Date(s.start)), inArray(appointments.status, ['booked', 'held'])))
            .returning();
          for (const b of hit) {
            cancelled++;
            await cancelTimer(tx, NO_SHOW_TIMER, b.id);
            if (b.idHash) await uncountPersonDay(tx, hallId, b.idHash, b.localDate);
            if (!b.phoneEnc) continue;
            await enqueueNotice(tx, {
              hallId,
              channel: 'sms',
              recipient: keys.open(b.phoneEnc),
              template: 'appointment.slot-closed',
              body: `很抱歉，您预约的${item.name}（${formatInstant(b.startAt.getTime()).slice(0, 16).replace('T', ' ')}）因${input.reason}取消，请重新预约。`,
              params: { code: b.code },
              at: now,
            });
          }
        }
        await recordAudit(tx, actor, { hallId, action: 'appointment.close', entityType: 'service', entityId: item.id, after: { date, start: input.start ?? null, reason: input.reason, cancelled } });
        return { closedSlots: chosen.length, cancelled };
      });
    },
  };
  return service;
}

export type AppointmentService = ReturnType<typeof createAppointmentService>;

/** Marks a booking nobody checked in for by the end of its slot, warns after the first, blocks after the limit. */
export function appointmentTimerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  return {
    [NO_SHOW_TIMER]: async (tx, timer) => {
      const [row] = await tx
        .update(appointments)
        .set({ status: 'no_show', updatedAt: timer.dueAt })
        .where(and(eq(appointments.id, timer.key), eq(appointments.status, 'booked')))
        .returning();
      if (!row || !row.idHash) return;
      await uncountPersonDay(tx, row.hallId, row.idHash, row.localDate);
      const settings = await appointmentSettings(tx, row.hallId);
      const since = localDate(timer.dueAt.getTime() - settings.noShowWindowDays * DAY_MS);
      const [count] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(appointments)
        .where(and(eq(appointments.hallId, row.hallId), eq(appointments.idHash, row.idHash), eq(appointments.status, 'no_show'), gte(appointments.localDate, since)));
      const n = count?.n ?? 0;
      // The shared db, not tx: one cached key per database.
      const keys = await keyring(ctx.db);
      const phone = row.phoneEnc ? keys.open(row.phoneEnc) : null;
      if (n >= settings.noShowLimit) {
        const until = localDate(timer.dueAt.getTime() + settings.blockDays * DAY_MS);
        await tx.insert(appointmentBlocks).values({ hallId: row.hallId, idHash: row.idHash, untilDate: until, reason: `${settings.noShowWindowDays} 天内失约 ${n} 次，暂停预约` });
        if (phone) await enqueueNotice(tx, { hallId: row.hallId, channel: 'sms', recipient: phone, template: 'appointment.blocked', body: `您 ${settings.noShowWindowDays} 天内预约未到 ${n} 次，${until} 前暂停预约服务。`, at: timer.dueAt });
      } else if (n === 1 && phone) {
        await enqueueNotice(tx, { hallId: row.hallId, channel: 'sms', recipient: phone, template: 'appointment.no-show-warning', body: `您预约的时段未到场签到，已记失约一次。${settings.noShowWindowDays} 天内失约 ${settings.noShowLimit} 次将暂停预约 ${settings.blockDays} 天。`, at: timer.dueAt });
      }
      await recordAudit(tx, SYSTEM_ACTOR, { hallId: row.hallId, action: 'appointment.no-show', entityType: 'appointment', entityId: row.id, after: { status: 'no_show', noShows: n } });
    },
  };
}
