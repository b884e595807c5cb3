// Deadline arithmetic for time limits counted in working days, with paused clocks.
//
// Working time is the time inside the workday sessions of working days, on the hall's wall clock
// (Saturday-service sessions are not working time: limits count statutory working days only). The
// "working clock" W(t) is the working time elapsed from a fixed origin up to instant t:
//   W(t) = (working days before t's day) * (session time of a working day) + (session time of t's day before t)
// It needs the calendar's working-day index and nothing else, so both W and its inverse are O(1).
import { DAY_MS, MINUTE_MS, formatDate, parseDate } from './dates.js';
import { compileHours, type CompiledHours, type HallHours } from './hours.js';
import type { WorkingCalendar } from './working-calendar.js';
import { HALL_ZONE, fromWallClock, wallClock } from './zone.js';

/** The working clock at instant `ms`, in working ms from the calendar's origin. */
export function workingClockAt(calendar: WorkingCalendar, hours: CompiledHours, ms: number, zone: string): number {
  const wall = wallClock(ms, zone);
  const day = Math.floor(wall / DAY_MS);
  let clock = calendar.workingDaysBefore(day) * hours.workdayMs;
  if (!calendar.isWorkdayNumber(day)) return clock;
  const t = wall - day * DAY_MS;
  const sessions = hours.workday;
  for (let i = 0; i < sessions.length; i += 2) {
    const start = sessions[i] ?? 0;
    if (t <= start) break;
    const end = sessions[i + 1] ?? 0;
    clock += (t < end ? t : end) - start;
  }
  return clock;
}

/**
 * The earliest instant at which the working clock reads `clock`; at a session's end rather than the next
 * session's start, so that a deadline lands at the close of a day, not at the next morning's opening.
 */
export function instantAtWorkingClock(calendar: WorkingCalendar, hours: CompiledHours, clock: number, zone: string): number {
  const dayMs = hours.workdayMs;
  // The working day holding `clock` in (index * dayMs, (index + 1) * dayMs].
  const index = Math.ceil(clock / dayMs) - 1;
  const day = calendar.nthWorkingDay(index);
  let rest = clock - index * dayMs;
  const sessions = hours.workday;
  // rest <= dayMs, so the last session holds whatever the earlier ones do not.
  for (let i = 0; ; i += 2) {
    const start = sessions[i] ?? 0;
    const length = (sessions[i + 1] ?? 0) - start;
    if (rest <= length || i + 2 >= sessions.length) return fromWallClock(day * DAY_MS + start + rest, zone);
    rest -= length;
  }
}

/** Working minutes from `fromMs` to `toMs` (negative when `toMs` is earlier; fractional below a minute). */
export function workingMinutesBetween(
  calendar: WorkingCalendar,
  hours: HallHours,
  fromMs: number,
  toMs: number,
  zone: string = HALL_ZONE,
): number {
  const c = compileHours(hours);
  return (workingClockAt(calendar, c, toMs, zone) - workingClockAt(calendar, c, fromMs, zone)) / MINUTE_MS;
}

/** The earliest instant `minutes` working minutes after `fromMs`; `fromMs` itself for 0. */
export function addWorkingMinutes(
  calendar: WorkingCalendar,
  hours: HallHours,
  fromMs: number,
  minutes: number,
  zone: string = HALL_ZONE,
): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`工作分钟数必须是不小于 0 的数：${minutes}`);
  if (minutes === 0) return fromMs;
  const c = compileHours(hours);
  return instantAtWorkingClock(calendar, c, workingClockAt(calendar, c, fromMs, zone) + Math.round(minutes * MINUTE_MS), zone);
}

/** Working days in (day of `fromMs`, day of `toMs`], by local dates; e.g. how many working days overdue. */
export function workingDaysBetween(
  calendar: WorkingCalendar,
  fromMs: number,
  toMs: number,
  zone: string = HALL_ZONE,
): number {
  return calendar.workingDaysBetweenNumbers(
    Math.floor(wallClock(fromMs, zone) / DAY_MS),
    Math.floor(wallClock(toMs, zone) / DAY_MS),
  );
}

/** The close of a working day `YYYY-MM-DD`: the end of its last workday session. */
export function closeOfDay(hours: HallHours, date: string, zone: string = HALL_ZONE): number {
  return fromWallClock(parseDate(date) * DAY_MS + compileHours(hours).closeMs, zone);
}

/** The clock stops during a pause (补办 waiting for materials, hearing, testing, expert review). */
export interface Pause {
  from: number;
  /** null while the pause is still open. */
  to: number | null;
}

export interface DeadlineInput {
  calendar: WorkingCalendar;
  hours: HallHours;
  /** Instant of acceptance, epoch ms. */
  acceptedAt: number;
  /** The limit in working days (承诺时限 or 法定时限). */
  limitDays: number;
  pauses?: readonly Pause[];
  zone?: string;
}

export interface Deadline {
  /** Epoch ms. */
  at: number;
  /** The working day the deadline falls on (a `24:00` close is still that day). */
  date: string;
}

/**
 * Deadline of a case accepted at `acceptedAt` with a limit of `limitDays` working days.
 *
 * - Without pauses: the close of the limitDays-th working day after the day of acceptance. A limit of 0
 *   means the close of the acceptance day, or of the next working day when the case was accepted on a
 *   non-working day or after the close: a deadline always falls on a working day, after acceptance.
 * - Pauses: the clock runs from acceptance and stops during pauses, so the deadline moves later by the
 *   working time inside each pause (overlaps counted once, time before acceptance ignored). A pause that
 *   begins at or after the deadline reached so far changes nothing: the clock had already run out.
 * - An open pause that began before the deadline: no deadline yet, returns null.
 */
export function deadlineFor(input: DeadlineInput): Deadline | null {
  const { calendar, hours, acceptedAt, limitDays, pauses = [], zone = HALL_ZONE } = input;
  if (!Number.isInteger(limitDays) || limitDays < 0) throw new RangeError(`办理时限必须是不小于 0 的整数：${limitDays}`);
  if (!Number.isFinite(acceptedAt)) throw new RangeError(`受理时间无效：${acceptedAt}`);
  const c = compileHours(hours);
  const acceptedDay = Math.floor(wallClock(acceptedAt, zone) / DAY_MS);
  let day = calendar.addWorkingDaysNumber(acceptedDay, limitDays);
  let at = fromWallClock(day * DAY_MS + c.closeMs, zone);
  if (limitDays === 0 && (!calendar.isWorkdayNumber(day) || at <= acceptedAt)) {
    day = calendar.addWorkingDaysNumber(day, 1);
    at = fromWallClock(day * DAY_MS + c.closeMs, zone);
  }
  if (pauses.length === 0) return { at, date: formatDate(day) };

  for (const p of pauses) {
    if (p.to !== null && p.to < p.from) throw new RangeError('暂停的结束时间早于开始时间');
  }
  const sorted = [...pauses].sort((a, b) => a.from - b.from);
  let clock = workingClockAt(calendar, c, at, zone);
  let stoppedUntil = acceptedAt;
  for (const p of sorted) {
    const from = Math.max(p.from, stoppedUntil);
    if (from >= at) break;
    if (p.to === null) return null;
    if (p.to <= from) continue;
    clock += workingClockAt(calendar, c, p.to, zone) - workingClockAt(calendar, c, from, zone);
    stoppedUntil = p.to;
    at = instantAtWorkingClock(calendar, c, clock, zone);
  }
  return { at, date: formatDate(Math.ceil(wallClock(at, zone) / DAY_MS) - 1) };
}
