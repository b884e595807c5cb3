// What every feedback ledger needs: the hall's clock rules (calendar, hours, lights, settings), numbers,
// deadlines in working days, and notices to staff by role.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { notFound } from '../server/errors.js';
import { users } from '../auth/tables.js';
import type { Role } from '../auth/roles.js';
import { createCalendarService } from '../calendar/service.js';
import {
  DEFAULT_LIGHT_SETTINGS,
  deadlineFor,
  formatInstant,
  fromLocal,
  lightAt,
  localDate,
  type HallHours,
  type Light,
  type LightSettings,
  type WorkingCalendar,
} from '../calendar/index.js';
import { enqueueNotice } from '../notify/outbox.js';
import { halls } from '../org/tables.js';
import { maskPhone } from '../shared/identity.js';
import { FeedbackSettings } from './schemas.js';

/** A hall's rules of time for feedback: loaded before a transaction (the calendar reads on its own handle). */
export interface HallTime {
  hallId: string;
  hallName: string;
  zone: string;
  calendar: WorkingCalendar;
  hours: HallHours;
  lights: LightSettings;
  settings: FeedbackSettings;
  /** The hall's public address for links in SMS and QR codes, when set (settings.publicUrl). */
  publicUrl: string | null;
}

/** A stored setting that no longer parses falls back to the defaults, as the queue's do. */
export function parseFeedbackSettings(raw: unknown): FeedbackSettings {
  const parsed = FeedbackSettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : FeedbackSettings.parse({});
}

// The light thresholds are the hall's, set with the case settings; read defensively, they are not ours.
function lightsOf(settings: Record<string, unknown>): LightSettings {
  const cases = (settings.cases ?? {}) as Record<string, unknown>;
  const y = cases.yellowBeforeMinutes;
  const r = cases.reminderBeforeYellowMinutes;
  return {
    yellowBeforeMinutes: typeof y === 'number' && y >= 0 ? y : DEFAULT_LIGHT_SETTINGS.yellowBeforeMinutes,
    reminderBeforeYellowMinutes: typeof r === 'number' && r >= 0 ? r : DEFAULT_LIGHT_SETTINGS.reminderBeforeYellowMinutes,
  };
}

export function createHallTimes(ctx: AppContext) {
  const calendars = createCalendarService(ctx);
  return async function hallTime(hallId: string): Promise<HallTime> {
    const [hall] = await ctx.db
      .select({ name: halls.name, zone: halls.timeZone, settings: halls.settings })
      .from(halls)
      .where(eq(halls.id, hallId));
    if (!hall) throw notFound('服务中心');
    const [calendar, hours] = await Promise.all([calendars.calendarFor(hallId), calendars.hoursFor(hallId)]);
    const publicUrl = typeof hall.settings.publicUrl === 'string' && hall.settings.publicUrl ? hall.settings.publicUrl.replace(/\/+$/, '') : null;
    return {
      hallId,
      hallName: hall.name,
      zone: hall.zone,
      calendar,
      hours,
      lights: lightsOf(hall.settings),
      settings: parseFeedbackSettings(hall.settings.feedback),
      publicUrl: publicUrl ?? (process.env.ONEWINDOW_PUBLIC_URL?.replace(/\/+$/, '') || null),
    };
  };
}
export type HallTimes = ReturnType<typeof createHallTimes>;

/** Close of the `days`-th working day after `from` (limit 0: close of that working day). */
export function deadlineAfter(time: HallTime, from: Date, days: number): Date {
  const d = deadlineFor({ calendar: time.calendar, hours: time.hours, acceptedAt: from.getTime(), limitDays: days, zone: time.zone });
  // Without pauses a deadline always exists.
  return new Date(d!.at);
}

/** Moves a deadline `days` working days later, to the close of that day (an approved extension). */
export function extendDeadline(time: HallTime, deadline: Date, days: number): Date {
  const day = time.calendar.addWorkingDays(localDate(deadline.getTime(), time.zone), days);
  return deadlineAfter(time, new Date(fromLocal(day, 0, time.zone)), 0);
}

/** The light of something due at `deadline`: judged at its closing when closed, else now. */
export function lightOf(time: HallTime, deadline: Date | null, now: Date, closedAt: Date | null = null): Light | null {
  if (!deadline) return null;
  return lightAt(time.calendar, time.hours, deadline.getTime(), (closedAt ?? now).getTime(), time.lights, time.zone);
}

export const iso = (d: Date | null | undefined, zone = 'Asia/Shanghai'): string | null => (d ? formatInstant(d.getTime(), zone) : null);

/** `TS20250930001`: prefix, the hall's local date and a daily sequence, unique in the hall. */
export async function nextNumber(tx: Db, hallId: string, prefix: string, zone: string, now: Date): Promise<string> {
  const day = localDate(now.getTime(), zone);
  const rows = await tx.execute<{ value: number }>(sql`
    insert into feedback_counters (hall_id, scope, local_date, value) values (${hallId}, ${prefix}, ${day}, 1)
    on conflict (hall_id, scope, local_date) do update set value = feedback_counters.value + 1
    returning value`);
  const value = Number((rows as unknown as { rows: { value: number }[] }).rows[0]!.value);
  return `${prefix}${day.replace(/-/g, '')}${String(value).padStart(3, '0')}`;
}

export interface StaffNotice {
  template: string;
  body: string;
  params?: Record<string, unknown>;
  /** Made unique per recipient, so a notice that must go once is harmless to send again. */
  dedupeKey?: string;
}

/**
 * A notice to every active staff member of the hall with one of `roles`; leaders only of `departmentId`
 * when given (the department concerned), the other roles hall-wide.
 */
export async function notifyRoles(tx: Db, hallId: string, roles: readonly Role[], notice: StaffNotice, at: Date, departmentId?: string | null): Promise<number> {
  const rows = await tx
    .select({ id: users.id, roles: users.roles, departmentId: users.departmentId })
    .from(users)
    .where(and(eq(users.hallId, hallId), eq(users.active, true), sql`${users.roles} && ${`{${roles.join(',')}}`}::text[]`));
  let sent = 0;
  for (const u of rows) {
    const onlyLeader = u.roles.every((r) => r === 'leader' || !roles.includes(r));
    if (onlyLeader && departmentId !== undefined && u.departmentId !== departmentId) continue;
    const queued = await enqueueNotice(tx, {
      hallId,
      channel: 'staff',
      recipient: u.id,
      template: notice.template,
      body: notice.body,
      params: notice.params,
      dedupeKey: notice.dedupeKey ? `${notice.dedupeKey}:${u.id}` : undefined,
      at,
    });
    if (queued) sent++;
  }
  return sent;
}

/** An SMS to a member of the public (the outcome of a complaint, an appeal's answer, a rating link). */
export async function textCitizen(tx: Db, hallId: string, phone: string | null | undefined, notice: StaffNotice, at: Date): Promise<void> {
  if (!phone) return;
  await enqueueNotice(tx, { hallId, channel: 'sms', recipient: phone, template: notice.template, body: notice.body, params: notice.params, dedupeKey: notice.dedupeKey, at });
}

/** A phone as a view shows it: in clear to those who may see the person, masked to everyone else. */
export const shownPhone = (phone: string | null, clear: boolean): string | null => (phone ? (clear ? phone : maskPhone(phone)) : null);

/** Unique violations (a second rating racing the first) become the caller's own conflict. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err, i = 0; e && typeof e === 'object' && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
