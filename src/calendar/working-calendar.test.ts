import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromCivil, formatDate, isValidDate, parseDate } from './dates.js';
import { WorkingCalendar, type CalendarOverride } from './working-calendar.js';

const calendar = new WorkingCalendar();

describe('dates', () => {
  it('round-trips YYYY-MM-DD and day numbers', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('2025-10-11')).toBe(20_372);
    expect(formatDate(20_372)).toBe('2025-10-11');
    expect(formatDate(parseDate('0001-01-01'))).toBe('0001-01-01');
    expect(formatDate(parseDate('9999-12-31'))).toBe('9999-12-31');
  });

  it('rejects impossible and malformed dates', () => {
    for (const bad of ['2025-02-30', '2023-02-29', '2025-13-01', '2025-00-10', '2025-2-3', '2025-02-03T00:00', '0000-01-01', '']) {
      expect(isValidDate(bad), bad).toBe(false);
      expect(() => parseDate(bad)).toThrow(RangeError);
    }
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2000-02-29')).toBe(true);
    expect(isValidDate('1900-02-29')).toBe(false);
  });

  it('agrees with Date.UTC on every day from 1900 to 2100', () => {
    const wrong: string[] = [];
    for (let d = dayFromCivil(1900, 1, 1); d <= dayFromCivil(2100, 12, 31); d++) {
      const date = new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (formatDate(d) !== date || parseDate(date) !== d) wrong.push(date);
    }
    expect(wrong).toEqual([]);
  });
});

describe('WorkingCalendar, base data', () => {
  it('counts the National Day make-up Saturday: 3 working days after 2025-09-30 is Saturday 2025-10-11', () => {
    expect(calendar.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(calendar.addWorkingDays('2025-09-30', 3)).toBe('2025-10-11');
    expect(calendar.addWorkingDays('2025-09-30', 4)).toBe('2025-10-13');
    expect(calendar.workingDaysBetween('2025-09-30', '2025-10-11')).toBe(3);
    expect(calendar.workingDaysBetween('2025-10-11', '2025-09-30')).toBe(-3);
  });

  it('skips the 2026 Spring Festival and counts its make-up Saturdays', () => {
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
    expect(calendar.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28');
    expect(calendar.addWorkingDays('2026-02-13', 7)).toBe('2026-03-02');
    expect(calendar.days('2026-02-15', '2026-02-23').every((d) => d.kind === 'holiday' && d.name === '春节')).toBe(true);
  });

  it('gives each day its kind', () => {
    expect(calendar.day('2025-10-11')).toEqual({ date: '2025-10-11', workday: true, kind: 'makeup', name: '国庆节' });
    expect(calendar.day('2025-10-04')).toEqual({ date: '2025-10-04', workday: false, kind: 'holiday', name: '国庆节' });
    expect(calendar.day('2025-10-12')).toEqual({ date: '2025-10-12', workday: false, kind: 'weekend', name: null });
    expect(calendar.day('2025-10-13')).toEqual({ date: '2025-10-13', workday: true, kind: 'workday', name: null });
    expect(calendar.day('2026-01-04')).toMatchObject({ kind: 'makeup', name: '元旦' });
    expect(calendar.isWorkday('2026-01-02')).toBe(false);
  });

  it('returns `from` unchanged for n = 0, even on a holiday', () => {
    expect(calendar.addWorkingDays('2025-10-01', 0)).toBe('2025-10-01');
    expect(calendar.addWorkingDays('2025-10-01', 1)).toBe('2025-10-09');
  });

  it('rejects a negative or fractional number of days and a bad date', () => {
    expect(() => calendar.addWorkingDays('2025-10-01', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2025-10-01', 1.5)).toThrow(RangeError);
    expect(() => calendar.day('2025-02-30')).toThrow(/日期无效/);
  });

  it('lists days of a range, both ends included', () => {
    expect(calendar.days('2025-09-27', '2025-09-29').map((d) => [d.date, d.kind])).toEqual([
      ['2025-09-27', 'weekend'],
      ['2025-09-28', 'makeup'],
      ['2025-09-29', 'workday'],
    ]);
    expect(calendar.days('2025-09-29', '2025-09-27')).toEqual([]);
  });

  it('treats years without data as Monday-Friday and says which years are missing', () => {
    expect(calendar.hasDataFor(2026)).toBe(true);
    expect(calendar.hasDataFor(2027)).toBe(false);
    expect(calendar.missingYears(2025, 2028)).toEqual([2027, 2028]);
    expect(calendar.day('2027-10-01')).toEqual({ date: '2027-10-01', workday: true, kind: 'workday', name: null });
    expect(calendar.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(calendar.addWorkingDays('2003-12-31', 1)).toBe('2004-01-02');
    expect(calendar.addWorkingDays('2003-12-26', 4)).toBe('2004-01-02');
  });
});

describe('WorkingCalendar, hall overrides', () => {
  const overrides: CalendarOverride[] = [
    { date: '2025-03-12', workday: false, name: '停电检修' },
    { date: '2025-03-15', workday: true, name: '集中办理日' },
    { date: '2025-10-11', workday: false },
    { date: '2025-10-08', workday: true },
    { date: '2025-03-22', workday: false, name: '场馆维护' },
  ];
  const hall = new WorkingCalendar({ overrides });

  it('closes a weekday as a holiday and opens a weekend day as a make-up day', () => {
    expect(hall.day('2025-03-12')).toEqual({ date: '2025-03-12', workday: false, kind: 'holiday', name: '停电检修' });
    expect(hall.day('2025-03-15')).toEqual({ date: '2025-03-15', workday: true, kind: 'makeup', name: '集中办理日' });
    expect(hall.addWorkingDays('2025-03-11', 1)).toBe('2025-03-13');
    expect(hall.addWorkingDays('2025-03-14', 1)).toBe('2025-03-15');
  });

  it('withdraws a make-up day to a plain weekend, and a named weekend closure is a holiday', () => {
    expect(hall.day('2025-10-11')).toEqual({ date: '2025-10-11', workday: false, kind: 'weekend', name: null });
    expect(hall.day('2025-03-22')).toMatchObject({ workday: false, kind: 'holiday', name: '场馆维护' });
    expect(hall.addWorkingDays('2025-10-10', 1)).toBe('2025-10-13');
  });

  it('opens a holiday as a working day', () => {
    expect(hall.day('2025-10-08')).toEqual({ date: '2025-10-08', workday: true, kind: 'workday', name: null });
    expect(hall.addWorkingDays('2025-09-30', 1)).toBe('2025-10-08');
  });

  it('leaves the national calendar untouched', () => {
    expect(calendar.day('2025-03-12').kind).toBe('workday');
  });

  it('takes next year\'s notice entered by hand, beyond the base data', () => {
    const next = new WorkingCalendar({
      overrides: [
        { date: '2027-01-01', workday: false, name: '元旦' },
        { date: '2027-02-06', workday: false, name: '春节' },
        { date: '2027-02-07', workday: true, name: '春节' },
      ],
      announcedYears: [2027],
    });
    expect(next.hasDataFor(2027)).toBe(true);
    expect(next.missingYears(2026, 2028)).toEqual([2028]);
    expect(next.day('2027-01-01').kind).toBe('holiday');
    expect(next.day('2027-02-07').kind).toBe('makeup');
    expect(next.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(next.addWorkingDays('2027-02-05', 1)).toBe('2027-02-07');
    expect(next.workingDaysBetween('2026-12-30', '2027-02-10')).toBe(calendar.workingDaysBetween('2026-12-30', '2027-02-10'));
  });

  it('applies the later of two overrides of one date', () => {
    const c = new WorkingCalendar({
      overrides: [
        { date: '2025-03-12', workday: false, name: 'a' },
        { date: '2025-03-12', workday: true },
      ],
    });
    expect(c.day('2025-03-12')).toMatchObject({ workday: true, kind: 'workday' });
    // As if only the later one had been given: the holiday Saturday stays a holiday.
    const d = new WorkingCalendar({
      overrides: [
        { date: '2025-10-04', workday: true },
        { date: '2025-10-04', workday: false },
      ],
    });
    expect(d.day('2025-10-04')).toEqual({ date: '2025-10-04', workday: false, kind: 'holiday', name: '国庆节' });
  });
});

// Reference: the obvious day-by-day walk over isWorkday.
function naiveAdd(c: WorkingCalendar, from: string, n: number): string {
  let day = parseDate(from);
  for (let left = n; left > 0; ) if (c.isWorkday(formatDate(++day))) left--;
  return formatDate(day);
}

const anyDay = fc.integer({ min: dayFromCivil(2000, 1, 1), max: dayFromCivil(2030, 12, 31) }).map(formatDate);
const anyOverride = fc.record({ date: anyDay, workday: fc.boolean(), name: fc.option(fc.constantFrom('闭馆', '加班'), { nil: undefined }) });

describe('WorkingCalendar properties', () => {
  it('agrees with the day-by-day walk, across the edges of the data', () => {
    fc.assert(
      fc.property(fc.array(anyOverride, { maxLength: 20 }), anyDay, fc.nat(400), (overrides, from, n) => {
        const c = new WorkingCalendar({ overrides });
        expect(c.addWorkingDays(from, n)).toBe(naiveAdd(c, from, n));
      }),
      { numRuns: 300 },
    );
  });

  it('adding then counting working days round-trips, and lands on a working day', () => {
    fc.assert(
      fc.property(fc.array(anyOverride, { maxLength: 20 }), anyDay, fc.nat(2000), (overrides, from, n) => {
        const c = new WorkingCalendar({ overrides });
        const to = c.addWorkingDays(from, n);
        expect(c.workingDaysBetween(from, to)).toBe(n);
        if (n > 0) expect(c.isWorkday(to)).toBe(true);
      }),
    );
  });

  it('counts working days between two dates as the walk does', () => {
    fc.assert(
      fc.property(anyDay, anyDay, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const walked = calendar.days(from, to).slice(1).filter((d) => d.workday).length;
        expect(calendar.workingDaysBetween(from, to)).toBe(walked);
        expect(calendar.workingDaysBetween(to, from)).toBe(0 - walked);
      }),
      { numRuns: 200 },
    );
  });
});
