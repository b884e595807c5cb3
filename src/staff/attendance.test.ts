import { describe, expect, it } from 'vitest';
import { assessDay, disciplineScore, leaveDays, leaveHalves, needsDocument, type DaySession } from './attendance.js';

const at = (hhmm: string) => Date.parse(`2025-09-30T${hhmm}:00+08:00`);
const sessions: DaySession[] = [
  { from: at('09:00'), to: at('12:00'), half: 'am' },
  { from: at('13:00'), to: at('17:00'), half: 'pm' },
];
const settings = { graceMinutes: 0, offPostMinutes: 15 };
const day = (punches: [string, 'sign_in' | 'sign_out'][], extra: Partial<Parameters<typeof assessDay>[0]> = {}) =>
  assessDay({ sessions, punches: punches.map(([t, type]) => ({ type, at: at(t) })), leaveHalves: new Set(), goingOuts: [], until: at('23:59'), ...extra }, settings);

describe('a day of attendance', () => {
  it('is clean for a sign-in before opening and a sign-out after closing, lunch included', () => {
    expect(day([['08:50', 'sign_in'], ['17:05', 'sign_out']])).toMatchObject({ late: 0, early: 0, missedSign: 0, offPost: 0, absentHalfDays: 0 });
  });

  it('counts lateness and early leaving per session, against the window hours', () => {
    expect(day([['09:10', 'sign_in'], ['16:40', 'sign_out']])).toMatchObject({ late: 1, early: 1 });
    // Out for lunch and back late: the afternoon is late too.
    expect(day([['08:55', 'sign_in'], ['12:01', 'sign_out'], ['13:20', 'sign_in'], ['17:00', 'sign_out']])).toMatchObject({ late: 1, early: 0 });
  });

  it('tells a missed sign-in from a half-day absence', () => {
    // Only a sign-out: present (inferred from the opening), one missed sign-in, never late.
    expect(day([['17:10', 'sign_out']])).toMatchObject({ missedSign: 1, late: 0, absentHalfDays: 0 });
    // Came in the afternoon only: the morning is a half-day absence.
    expect(day([['12:55', 'sign_in'], ['17:00', 'sign_out']])).toMatchObject({ absentHalfDays: 1, late: 0 });
    expect(day([])).toMatchObject({ absentHalfDays: 2 });
    // Leave for the morning covers it.
    expect(day([['12:55', 'sign_in'], ['17:00', 'sign_out']], { leaveHalves: new Set(['am']) })).toMatchObject({ absentHalfDays: 0 });
  });

  it('counts more than 15 minutes away without a going-out as off post, and a registered going-out only past its return', () => {
    expect(day([['08:55', 'sign_in'], ['10:00', 'sign_out'], ['10:20', 'sign_in'], ['17:00', 'sign_out']])).toMatchObject({ offPost: 1 });
    expect(day([['08:55', 'sign_in'], ['10:00', 'sign_out'], ['10:10', 'sign_in'], ['17:00', 'sign_out']])).toMatchObject({ offPost: 0 });
    const out = { out: at('10:00'), expectedReturn: at('11:00'), returned: at('11:10') };
    expect(day([['08:55', 'sign_in'], ['17:00', 'sign_out']], { goingOuts: [out] })).toMatchObject({ offPost: 0 });
    expect(day([['08:55', 'sign_in'], ['17:00', 'sign_out']], { goingOuts: [{ ...out, returned: at('11:30') }] })).toMatchObject({ offPost: 1 });
  });

  it('judges today only up to now', () => {
    expect(day([['08:58', 'sign_in']], { until: at('10:00') })).toMatchObject({ absentHalfDays: 0, early: 0, missedSign: 1 });
  });
});

describe('the discipline score', () => {
  it('takes 1 for late or early, 2 for a missed sign-in, 3 off post, 5 per half-day absent, never below zero', () => {
    const s = { disciplineBase: 100, latePenalty: 1, missedSignPenalty: 2, offPostPenalty: 3, halfDayAbsentPenalty: 5 };
    expect(disciplineScore({ late: 2, early: 1, missedSign: 1, offPost: 1, absentHalfDays: 1 }, s)).toBe(100 - 3 - 2 - 3 - 5);
    expect(disciplineScore({ late: 0, early: 0, missedSign: 0, offPost: 0, absentHalfDays: 30 }, s)).toBe(0);
  });
});

describe('leave days and the stamped approval', () => {
  const workday = (d: string) => !['2025-10-01', '2025-10-04', '2025-10-05'].includes(d) && new Date(`${d}T00:00:00Z`).getUTCDay() % 6 !== 0;
  const dates = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
    return out;
  };
  it('counts working half-days only, across months', () => {
    const halves = leaveHalves({ fromDate: '2025-09-29', fromHalf: 'pm', toDate: '2025-10-06', toHalf: 'am' }, workday, dates);
    expect(leaveDays(halves)).toBe(4);
    expect(leaveDays(halves, '2025-09-01', '2025-09-30')).toBe(1.5);
    expect(leaveDays(halves, '2025-10-01', '2025-10-31')).toBe(2.5);
  });
  it('needs the approval past one day, or past three days in a month', () => {
    const s = { leaveDocumentDays: 1, leaveMonthDays: 3 };
    expect(needsDocument(1, [1], s)).toBe(false);
    expect(needsDocument(1.5, [1.5], s)).toBe(true);
    expect(needsDocument(1, [3], s)).toBe(false);
    expect(needsDocument(0.5, [3.5], s)).toBe(true);
  });
});
