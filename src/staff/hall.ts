// What every staff service reads about a hall: its zone, its settings, its calendar, each window's hours
// and sessions on a date, and the month's dates. Queries only; the rules are in the pure files.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { readAll } from '../db/reads.js';
import { users, userWindows } from '../auth/tables.js';
import { fromLocal, localDate, sessionsOn, WorkingCalendar, type HallHours } from '../calendar/index.js';
import { departments, halls, windows } from '../org/tables.js';
import { notFound } from '../server/errors.js';
import { halfOfSession, type DaySession } from './attendance.js';
import { StaffSettings } from './schemas.js';

export interface HallContext {
  hallId: string;
  name: string;
  zone: string;
  settings: StaffSettings;
  hours: HallHours;
  /** Each window's own hours, or the hall's. */
  windowHours: Map<string, HallHours>;
  windows: { id: string; name: string; number: number; departmentId: string | null; status: string }[];
  departments: { id: string; name: string; sortOrder: number }[];
  calendar: WorkingCalendar;
}

export function parseSettings(raw: unknown): StaffSettings {
  // A setting saved by an older version that no longer parses falls back to the defaults.
  const parsed = StaffSettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : StaffSettings.parse({});
}

export async function loadHall(db: Db, hallId: string, calendarFor: (hallId: string) => Promise<WorkingCalendar>): Promise<HallContext> {
  const [hall] = await db.select({ name: halls.name, zone: halls.timeZone, hours: halls.hours, staff: sql<unknown>`${halls.settings}->'staff'` }).from(halls).where(eq(halls.id, hallId));
  if (!hall) throw notFound('服务中心');
  // Timer handlers load the hall inside their transaction.
  const [windowRows, deptRows, calendar] = await readAll(db, [
    () =>
      db
        .select({ id: windows.id, name: windows.name, number: windows.number, departmentId: windows.departmentId, status: windows.status, hours: windows.hours })
        .from(windows)
        .where(eq(windows.hallId, hallId))
        .orderBy(asc(windows.number)),
    () => db.select({ id: departments.id, name: departments.name, sortOrder: departments.sortOrder }).from(departments).where(eq(departments.hallId, hallId)).orderBy(asc(departments.sortOrder), asc(departments.name)),
    () => calendarFor(hallId),
  ]);
  return {
    hallId,
    name: hall.name,
    zone: hall.zone,
    settings: parseSettings(hall.staff),
    hours: hall.hours,
    windowHours: new Map(windowRows.map((w) => [w.id, w.hours ?? hall.hours])),
    windows: windowRows.map(({ hours: _hours, ...w }) => w),
    departments: deptRows,
    calendar,
  };
}

const minuteOf = (time: string) => (time === '24:00' ? 1440 : Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)));

/** The sessions a window (or the hall, with no window) keeps on a local date, as instants. */
export function daySessions(h: HallContext, date: string, windowId: string | null): DaySession[] {
  const hours = (windowId && h.windowHours.get(windowId)) || h.hours;
  return sessionsOn(h.calendar, hours, date).map(([start, end]) => ({
    from: fromLocal(date, minuteOf(start), h.zone),
    to: fromLocal(date, minuteOf(end), h.zone),
    half: halfOfSession(minuteOf(start)),
  }));
}

export const today = (h: HallContext, now: Date) => localDate(now.getTime(), h.zone);

/** First and last date of a month `YYYY-MM`, and the instants that bound it in the hall's zone. */
export function monthBounds(month: string, zone: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const from = `${month}-01`;
  const to = `${month}-${String(last).padStart(2, '0')}`;
  return { from, to, start: new Date(fromLocal(from, 0, zone)), end: new Date(fromLocal(to, 1440, zone)) };
}

/** The date `days` after (or before, when negative) a date. */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Every date from..to inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

export interface StaffMember {
  id: string;
  name: string;
  username: string;
  departmentId: string | null;
  windowIds: string[];
}

/** The hall's active window staff, each with their windows in window-number order (the first is their post). */
export async function staffMembers(db: Db, hallId: string): Promise<StaffMember[]> {
  const rows = await db
    .select({
      id: users.id,
      name: users.displayName,
      username: users.username,
      departmentId: users.departmentId,
      // text[], which both drivers return as an array (node-postgres leaves uuid[] as a string).
      windowIds: sql<string[]>`coalesce((select array_agg(uw.window_id::text order by w.number) from ${userWindows} uw join ${windows} w on w.id = uw.window_id where uw.user_id = "users"."id"), '{}'::text[])`,
    })
    .from(users)
    .where(and(eq(users.hallId, hallId), eq(users.active, true), sql`'staff' = any(${users.roles})`))
    .orderBy(asc(users.username));
  return rows.map((r) => ({ ...r, name: r.name || r.username }));
}
