import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { readAll } from '../db/reads.js';
import type { AppContext } from '../server/context.js';
import { notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { halls, windows } from '../org/tables.js';
import { KNOWN_YEARS } from './holidays.js';
import type { HallHours } from './hours.js';
import { calendarAnnouncedYears, calendarOverrides } from './tables.js';
import { WorkingCalendar } from './working-calendar.js';
import { localDate, HALL_ZONE } from './zone.js';

/** How long another node may keep using a calendar after a manager changed it. */
const CACHE_MS = 30_000;
/** The longest range one calendar request may list. */
export const MAX_RANGE_DAYS = 400;

/**
 * A hall's working calendar read through `db`: the database, or an open transaction. Timer handlers run
 * inside one and read it there: the service's cache reads through the pool, which on PGlite (one
 * connection) would wait for their transaction.
 */
export async function readCalendar(db: Db, hallId: string): Promise<WorkingCalendar> {
  const [overrides, announced] = await readAll(db, [
    () => db.select().from(calendarOverrides).where(eq(calendarOverrides.hallId, hallId)).orderBy(asc(calendarOverrides.date)),
    () => db.select({ year: calendarAnnouncedYears.year }).from(calendarAnnouncedYears).where(eq(calendarAnnouncedYears.hallId, hallId)),
  ]);
  return new WorkingCalendar({ overrides, announcedYears: announced.map((a) => a.year) });
}

// Shared by every service instance on the same database, so a change made through one is seen by all.
const caches = new WeakMap<object, Map<string, { at: number; calendar: Promise<WorkingCalendar> }>>();

export function createCalendarService({ db, clock }: AppContext) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));

  const service = {
    /** The hall's working calendar: national data plus its overrides. */
    calendarFor(hallId: string): Promise<WorkingCalendar> {
      const now = Date.now(); // cache age is wall time of this process, not the hall's clock
      const hit = cache.get(hallId);
      if (hit && now - hit.at < CACHE_MS) return hit.calendar;
      const calendar = readCalendar(db, hallId);
      cache.set(hallId, { at: now, calendar });
      calendar.catch(() => cache.delete(hallId));
      return calendar;
    },

    /** Opening hours: the window's own when it has them, else the hall's. */
    async hoursFor(hallId: string, windowId?: string): Promise<HallHours> {
      if (windowId) {
        const [win] = await db.select({ hours: windows.hours }).from(windows).where(and(eq(windows.id, windowId), eq(windows.hallId, hallId)));
        if (win?.hours) return win.hours;
      }
      const [hall] = await db.select({ hours: halls.hours }).from(halls).where(eq(halls.id, hallId));
      if (!hall) throw notFound('服务中心');
      return hall.hours;
    },

    async days(hallId: string, from: string, to: string) {
      if (to < from) throw validationFailed('结束日期不能早于开始日期', { from, to });
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (span > MAX_RANGE_DAYS) throw validationFailed(`一次最多查询 ${MAX_RANGE_DAYS} 天`, { from, to });
      const [calendar, overrides] = await Promise.all([
        service.calendarFor(hallId),
        db
          .select({ date: calendarOverrides.date })
          .from(calendarOverrides)
          .where(and(eq(calendarOverrides.hallId, hallId), gte(calendarOverrides.date, from), lte(calendarOverrides.date, to))),
      ]);
      const overridden = new Set(overrides.map((o) => o.date));
      return calendar.days(from, to).map((d) => ({ ...d, overridden: overridden.has(d.date) }));
    },

    async setDay(actor: Actor, hallId: string, date: string, input: { workday: boolean; name?: string | null }) {
      const calendar = await service.calendarFor(hallId);
      const before = calendar.day(date);
      await db.transaction(async (tx) => {
        await tx
          .insert(calendarOverrides)
          .values({ hallId, date, workday: input.workday, name: input.name ?? null, updatedAt: clock.now() })
          .onConflictDoUpdate({
            target: [calendarOverrides.hallId, calendarOverrides.date],
            set: { workday: input.workday, name: input.name ?? null, updatedAt: clock.now() },
          });
        await recordAudit(tx, actor, { hallId, action: 'calendar.day_set', entityType: 'calendar_day', entityId: date, before, after: input });
      });
      cache.delete(hallId);
      return (await service.calendarFor(hallId)).day(date);
    },

    /** Removes the hall's change to a day, back to the national calendar. */
    async clearDay(actor: Actor, hallId: string, date: string) {
      await db.transaction(async (tx) => {
        const [removed] = await tx
          .delete(calendarOverrides)
          .where(and(eq(calendarOverrides.hallId, hallId), eq(calendarOverrides.date, date)))
          .returning();
        if (!removed) throw notFound('该日期的调整');
        await recordAudit(tx, actor, { hallId, action: 'calendar.day_cleared', entityType: 'calendar_day', entityId: date, before: removed });
      });
      cache.delete(hallId);
      return (await service.calendarFor(hallId)).day(date);
    },

    /** Enters a year's State Council notice: its holidays and make-up days, all or nothing. */
    async importNotice(actor: Actor, hallId: string, notice: { year: number; source: string; days: { date: string; workday: boolean; name: string }[] }) {
      const outside = notice.days.filter((d) => !d.date.startsWith(`${notice.year}-`) && !d.date.startsWith(`${notice.year - 1}-12`));
      if (outside.length) throw validationFailed(`以下日期不属于 ${notice.year} 年的通知：${outside.map((d) => d.date).join('、')}`, { dates: outside.map((d) => d.date) });
      const seen = new Set<string>();
      const repeated = notice.days.filter((d) => (seen.has(d.date) ? true : (seen.add(d.date), false)));
      if (repeated.length) throw validationFailed(`日期重复：${repeated.map((d) => d.date).join('、')}`);
      await db.transaction(async (tx) => {
        for (const d of notice.days) {
          await tx
            .insert(calendarOverrides)
            .values({ hallId, date: d.date, workday: d.workday, name: d.name, updatedAt: clock.now() })
            .onConflictDoUpdate({ target: [calendarOverrides.hallId, calendarOverrides.date], set: { workday: d.workday, name: d.name, updatedAt: clock.now() } });
        }
        await tx
          .insert(calendarAnnouncedYears)
          .values({ hallId, year: notice.year, source: notice.source })
          .onConflictDoUpdate({ target: [calendarAnnouncedYears.hallId, calendarAnnouncedYears.year], set: { source: notice.source } });
        await recordAudit(tx, actor, { hallId, action: 'calendar.notice_imported', entityType: 'calendar_year', entityId: String(notice.year), after: notice });
      });
      cache.delete(hallId);
      return { year: notice.year, days: notice.days.length };
    },

    /**
     * Which years have holiday data. From December on, a missing next year is a warning for the manager:
     * without it every deadline running into January is counted Monday to Friday.
     */
    async status(hallId: string) {
      const calendar = await service.calendarFor(hallId);
      const today = localDate(clock.now().getTime(), HALL_ZONE);
      const year = Number(today.slice(0, 4));
      const month = Number(today.slice(5, 7));
      const nextMissing = !calendar.hasDataFor(year + 1);
      const warnings: string[] = [];
      if (!calendar.hasDataFor(year)) warnings.push(`缺少 ${year} 年的节假日安排，期限按周一至周五计算，请尽快录入国务院通知`);
      if (month === 12 && nextMissing) warnings.push(`尚未录入 ${year + 1} 年的节假日安排：国务院通知发布后请在“工作日历”中导入`);
      return { today, shippedYears: { from: KNOWN_YEARS[0], to: KNOWN_YEARS.at(-1) }, missingYears: calendar.missingYears(year, year + 1), warnings };
    },
  };
  return service;
}
export type CalendarService = ReturnType<typeof createCalendarService>;
