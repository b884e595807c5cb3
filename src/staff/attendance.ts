// Attendance rules, pure: a staff member's day replayed from the punches against the window's sessions,
// the leave and the going-out registrations of that day; leave days and the stamped-approval rule; the
// monthly discipline score. Instants are epoch ms; sessions come from the calendar already as instants.
import type { Half } from './tables.js';
import type { StaffSettings } from './schemas.js';

const MINUTE = 60_000;

export interface Interval {
  from: number;
  to: number;
}

/** A session of the day as instants, and the half of the day it belongs to (a leave is taken by halves). */
export interface DaySession extends Interval {
  half: Half;
}

/** Sessions that start before noon are the morning; the rest the afternoon. */
export const halfOfSession = (startMinute: number): Half => (startMinute < 12 * 60 ? 'am' : 'pm');

export interface Punch {
  type: 'sign_in' | 'sign_out';
  at: number;
}

export interface DayInput {
  sessions: readonly DaySession[];
  punches: readonly Punch[];
  /** Halves of the day covered by approved leave. */
  leaveHalves: ReadonlySet<Half>;
  /** Registered going out: excused from `out` until the promised return; later is off post. */
  goingOuts: readonly { out: number; expectedReturn: number; returned: number | null }[];
  /** The end of what is known: now for today, the day's end for a past day. */
  until: number;
}

export interface DayResult {
  /** The day had sessions the person was expected at (not all on leave). */
  expected: boolean;
  onLeave: boolean;
  late: number;
  early: number;
  missedSign: number;
  offPost: number;
  absentHalfDays: number;
  firstIn: number | null;
  lastOut: number | null;
}

/** Sorted, merged intervals. */
export function merge(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ ...i });
  }
  return out;
}

/** `a` without the parts in `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  let rest = merge(a);
  for (const cut of merge(b)) {
    rest = rest.flatMap((i) => {
      if (cut.to <= i.from || cut.from >= i.to) return [i];
      const parts: Interval[] = [];
      if (cut.from > i.from) parts.push({ from: i.from, to: cut.from });
      if (cut.to < i.to) parts.push({ from: cut.to, to: i.to });
      return parts;
    });
  }
  return rest;
}

const clip = (list: readonly Interval[], to: Interval): Interval[] =>
  list.map((i) => ({ from: Math.max(i.from, to.from), to: Math.min(i.to, to.to) })).filter((i) => i.to > i.from);

/**
 * Signed-in stretches from the punches. A sign-out with no sign-in before it (a missed sign-in) counts
 * from the first session's start; a sign-in never signed out counts to the end of the day's sessions (or
 * `until`). Edges that were inferred are marked so they never count as late or early.
 */
export function presence(punches: readonly Punch[], dayStart: number, dayEnd: number): { spans: (Interval & { inferredFrom: boolean; inferredTo: boolean })[]; missedSign: number } {
  const spans: (Interval & { inferredFrom: boolean; inferredTo: boolean })[] = [];
  let missedSign = 0;
  let open: number | null = null;
  for (const p of [...punches].sort((a, b) => a.at - b.at)) {
    if (p.type === 'sign_in') {
      if (open === null) open = p.at;
    } else if (open !== null) {
      spans.push({ from: open, to: p.at, inferredFrom: false, inferredTo: false });
      open = null;
    } else if (spans.length === 0) {
      missedSign++;
      spans.push({ from: dayStart, to: p.at, inferredFrom: true, inferredTo: false });
    }
  }
  if (open !== null) {
    missedSign++;
    spans.push({ from: open, to: Math.max(open, dayEnd), inferredFrom: false, inferredTo: true });
  }
  return { spans, missedSign };
}

/** One person's day. Each session not on leave is judged on its own: absent, late, early, off post. */
export function assessDay(input: DayInput, settings: Pick<StaffSettings, 'graceMinutes' | 'offPostMinutes'>): DayResult {
  const due = input.sessions.filter((s) => !input.leaveHalves.has(s.half) && s.from < input.until);
  const result: DayResult = {
    expected: due.length > 0,
    onLeave: input.sessions.length > 0 && input.sessions.every((s) => input.leaveHalves.has(s.half)),
    late: 0,
    early: 0,
    missedSign: 0,
    offPost: 0,
    absentHalfDays: 0,
    firstIn: null,
    lastOut: null,
  };
  const ins = input.punches.filter((p) => p.type === 'sign_in').map((p) => p.at);
  const outs = input.punches.filter((p) => p.type === 'sign_out').map((p) => p.at);
  result.firstIn = ins.length ? Math.min(...ins) : null;
  result.lastOut = outs.length ? Math.max(...outs) : null;
  if (input.sessions.length === 0) return result;

  const dayStart = input.sessions[0]!.from;
  const dayEnd = Math.min(input.sessions.at(-1)!.to, input.until);
  const { spans, missedSign } = presence(input.punches, dayStart, dayEnd);
  if (!due.length) return result;
  result.missedSign = missedSign;
  // Away on a going-out: excused until the promised return, off post after it.
  const away = input.goingOuts.map((g) => ({ from: g.out, to: g.returned ?? input.until }));
  const excused = input.goingOuts.map((g) => ({ from: g.out, to: Math.min(g.expectedReturn, g.returned ?? input.until) }));
  const onPost = subtract(spans, away);
  const grace = settings.graceMinutes * MINUTE;

  for (const s of due) {
    const session = { from: s.from, to: Math.min(s.to, input.until) };
    const covered = merge(clip([...onPost, ...excused], session));
    if (covered.length === 0) {
      // Only a whole session that is over (or under way with nobody there) counts as absent.
      result.absentHalfDays++;
      continue;
    }
    const first = covered[0]!;
    const last = covered.at(-1)!;
    const startsInferred = spans.some((p) => p.inferredFrom && p.from <= session.from && p.to > session.from);
    if (first.from > session.from + grace && !startsInferred) result.late++;
    const endsInferred = spans.some((p) => p.inferredTo && p.to >= session.to);
    if (s.to <= input.until && last.to < session.to - grace && !endsInferred) result.early++;
    for (let i = 1; i < covered.length; i++) {
      if (covered[i]!.from - covered[i - 1]!.to > settings.offPostMinutes * MINUTE) result.offPost++;
    }
  }
  return result;
}

export interface MonthTally {
  late: number;
  early: number;
  missedSign: number;
  offPost: number;
  absentHalfDays: number;
}

/** The monthly discipline score: the base less the penalties, never below zero. */
export function disciplineScore(t: MonthTally, s: Pick<StaffSettings, 'disciplineBase' | 'latePenalty' | 'missedSignPenalty' | 'offPostPenalty' | 'halfDayAbsentPenalty'>): number {
  const penalty = (t.late + t.early) * s.latePenalty + t.missedSign * s.missedSignPenalty + t.offPost * s.offPostPenalty + t.absentHalfDays * s.halfDayAbsentPenalty;
  return Math.max(0, s.disciplineBase - penalty);
}

export interface LeaveSpan {
  fromDate: string;
  fromHalf: Half;
  toDate: string;
  toHalf: Half;
}

/** The half-days a leave covers on working days, as [date, half] pairs in order. */
export function leaveHalves(leave: LeaveSpan, isWorkday: (date: string) => boolean, dates: (from: string, to: string) => string[]): { date: string; half: Half }[] {
  const out: { date: string; half: Half }[] = [];
  for (const date of dates(leave.fromDate, leave.toDate)) {
    if (!isWorkday(date)) continue;
    for (const half of ['am', 'pm'] as const) {
      if (date === leave.fromDate && leave.fromHalf === 'pm' && half === 'am') continue;
      if (date === leave.toDate && leave.toHalf === 'am' && half === 'pm') continue;
      out.push({ date, half });
    }
  }
  return out;
}

/** Days of leave (half-days count 0.5), optionally only those inside [from, to]. */
export function leaveDays(halves: readonly { date: string }[], from?: string, to?: string): number {
  return halves.filter((h) => (!from || h.date >= from) && (!to || h.date <= to)).length / 2;
}

/**
 * The stamped-approval rule [002]: leave of more than `leaveDocumentDays`, or a month whose leave
 * (this request with the person's other pending and approved leave in that month) passes
 * `leaveMonthDays`, needs the home unit's stamped approval on file.
 */
export function needsDocument(days: number, monthTotals: readonly number[], s: Pick<StaffSettings, 'leaveDocumentDays' | 'leaveMonthDays'>): boolean {
  return days > s.leaveDocumentDays || monthTotals.some((total) => total > s.leaveMonthDays);
}
