// Opening hours of the hall (a window's own hours have the same shape and replace the hall's).
//
// Working days (make-up days included) use the workday sessions; weekend days that are not working days
// use the weekend sessions (Saturday service); holidays are closed. A calendar override that opens a
// holiday makes it a working day, so it gets the workday sessions.
import { DAY_MS, MINUTE_MS, parseDate, type DayNumber } from './dates.js';
import type { WorkingCalendar } from './working-calendar.js';
import { HALL_ZONE, fromWallClock, wallClock } from './zone.js';

/** [start, end] in local `HH:MM`; `24:00` may end a day. */
export type Session = readonly [start: string, end: string];

export interface HallHours {
  workday: readonly Session[];
  weekend: readonly Session[];
  /** Tickets stop this many minutes before each session ends, so a ticket taken can still be served. */
  ticketCutoffMinutes: number;
}

export interface HoursIssue {
  path: string;
  message: string;
}

/** Hours turned into ms-of-day numbers once, for the hot paths. */
export interface CompiledHours {
  /** Flattened [start, end, start, end, ...] in ms of the day. */
  readonly workday: readonly number[];
  readonly weekend: readonly number[];
  /** Total session time of a working day. */
  readonly workdayMs: number;
  /** End of the last workday session: the close of a working day. */
  readonly closeMs: number;
  readonly cutoffMs: number;
}

const TIME_PATTERN = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

function minuteOf(time: string): number | null {
  const m = TIME_PATTERN.exec(time);
  if (!m) return null;
  return m[3] ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

/** Problems with the hours, in Chinese for the manager; empty when the hours are valid. */
export function validateHours(hours: HallHours): HoursIssue[] {
  const issues: HoursIssue[] = [];
  for (const part of ['workday', 'weekend'] as const) {
    const label = part === 'workday' ? '工作日' : '周末';
    let previousEnd = 0;
    hours[part].forEach(([start, end], i) => {
      const n = i + 1;
      const s = minuteOf(start);
      const e = minuteOf(end);
      if (s === null || s === 1440) {
        issues.push({ path: `${part}[${i}][0]`, message: `${label}第 ${n} 个时段的开始时间“${start}”无效，应为 00:00 至 23:59` });
      }
      if (e === null) {
        issues.push({ path: `${part}[${i}][1]`, message: `${label}第 ${n} 个时段的结束时间“${end}”无效，应为 00:01 至 24:00` });
      }
      if (s === null || e === null || s === 1440) return;
      if (e <= s) {
        issues.push({ path: `${part}[${i}]`, message: `${label}第 ${n} 个时段的结束时间必须晚于开始时间` });
      } else if (s < previousEnd) {
        issues.push({ path: `${part}[${i}]`, message: `${label}第 ${n} 个时段与前一时段重叠或顺序颠倒，时段须按时间先后排列且互不重叠` });
      }
      previousEnd = Math.max(previousEnd, e);
    });
  }
  if (hours.workday.length === 0) issues.push({ path: 'workday', message: '工作日至少需要一个办公时段' });
  const cutoff = hours.ticketCutoffMinutes;
  if (!Number.isInteger(cutoff) || cutoff < 0 || cutoff >= 1440) {
    issues.push({ path: 'ticketCutoffMinutes', message: '停止取号的提前分钟数须为 0 至 1439 之间的整数' });
  }
  return issues;
}

function toMs(sessions: readonly Session[]): number[] {
  return sessions.flatMap(([start, end]) => [(minuteOf(start) ?? 0) * MINUTE_MS, (minuteOf(end) ?? 0) * MINUTE_MS]);
}

// Keyed by the hours object: treat HallHours as immutable once used.
const compiledCache = new WeakMap<HallHours, CompiledHours>();

/** Validated, precomputed hours; throws a RangeError listing the problems when the hours are invalid. */
export function compileHours(hours: HallHours): CompiledHours {
  let compiled = compiledCache.get(hours);
  if (compiled) return compiled;
  const issues = validateHours(hours);
  if (issues.length > 0) throw new RangeError(`办公时间设置无效：${issues.map((i) => i.message).join('；')}`);
  const workday = toMs(hours.workday);
  let workdayMs = 0;
  for (let i = 0; i < workday.length; i += 2) workdayMs += (workday[i + 1] ?? 0) - (workday[i] ?? 0);
  compiled = {
    workday,
    weekend: toMs(hours.weekend),
    workdayMs,
    closeMs: workday[workday.length - 1] ?? 0,
    cutoffMs: hours.ticketCutoffMinutes * MINUTE_MS,
  };
  compiledCache.set(hours, compiled);
  return compiled;
}

function byKind<T>(calendar: WorkingCalendar, day: DayNumber, workday: T, weekend: T, closed: T): T {
  const kind = calendar.kindOf(day);
  if (kind === 'workday' || kind === 'makeup') return workday;
  return kind === 'weekend' ? weekend : closed;
}

function sessionsOfDay(calendar: WorkingCalendar, hours: CompiledHours, day: DayNumber): readonly number[] {
  return byKind(calendar, day, hours.workday, hours.weekend, []);
}

/** The sessions the hall keeps on a date. */
export function sessionsOn(calendar: WorkingCalendar, hours: HallHours, date: string): readonly Session[] {
  compileHours(hours);
  return byKind(calendar, parseDate(date), hours.workday, hours.weekend, []);
}

function openAt(calendar: WorkingCalendar, hours: HallHours, ms: number, zone: string, cutoff: boolean): boolean {
  const compiled = compileHours(hours);
  const wall = wallClock(ms, zone);
  const day = Math.floor(wall / DAY_MS);
  const t = wall - day * DAY_MS;
  const sessions = sessionsOfDay(calendar, compiled, day);
  for (let i = 0; i < sessions.length; i += 2) {
    const end = (sessions[i + 1] ?? 0) - (cutoff ? compiled.cutoffMs : 0);
    if (t >= (sessions[i] ?? 0) && t < end) return true;
  }
  return false;
}

export function isOpenAt(calendar: WorkingCalendar, hours: HallHours, ms: number, zone: string = HALL_ZONE): boolean {
  return openAt(calendar, hours, ms, zone, false);
}

/** Whether a ticket may be issued: open, and not within the cut-off before the session ends. */
export function ticketsOpenAt(calendar: WorkingCalendar, hours: HallHours, ms: number, zone: string = HALL_ZONE): boolean {
  return openAt(calendar, hours, ms, zone, true);
}

// Longest closure searched for; a year-long closure means the hall is not open at all.
const OPENING_HORIZON_DAYS = 400;

/** The first instant at or after `ms` at which the hall is open (`ms` itself when open); null if none in 400 days. */
export function nextOpening(
  calendar: WorkingCalendar,
  hours: HallHours,
  ms: number,
  zone: string = HALL_ZONE,
): number | null {
  const compiled = compileHours(hours);
  const wall = wallClock(ms, zone);
  const today = Math.floor(wall / DAY_MS);
  const t = wall - today * DAY_MS;
  for (let day = today; day <= today + OPENING_HORIZON_DAYS; day++) {
    const sessions = sessionsOfDay(calendar, compiled, day);
    for (let i = 0; i < sessions.length; i += 2) {
      const start = sessions[i] ?? 0;
      if (day > today || start > t) return fromWallClock(day * DAY_MS + start, zone);
      if (t < (sessions[i + 1] ?? 0)) return ms;
    }
  }
  return null;
}
