import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { dayFromCivil, formatDate, isWeekend } from './dates.js';
import { BASE_TABLE, HOLIDAY_SOURCE, KNOWN_YEARS } from './holidays.js';
import { WorkingCalendar } from './working-calendar.js';

const calendar = new WorkingCalendar();

/** Expand `MM-DD..MM-DD` runs of a year into dates. */
function run(year: number, from: string, to = from): string[] {
  const [fm, fd] = from.split('-').map(Number);
  const [tm, td] = to.split('-').map(Number);
  const dates: string[] = [];
  for (let d = dayFromCivil(year, fm ?? 0, fd ?? 0); d <= dayFromCivil(year, tm ?? 0, td ?? 0); d++) dates.push(formatDate(d));
  return dates;
}

// The State Council's notices (国务院办公厅关于部分节假日安排的通知), day by day.
const NOTICES: Record<number, { holidays: string[]; makeup: string[] }> = {
  2024: {
    holidays: [
      ...run(2024, '01-01'),
      ...run(2024, '02-10', '02-17'),
      ...run(2024, '04-04', '04-06'),
      ...run(2024, '05-01', '05-05'),
      ...run(2024, '06-10'),
      ...run(2024, '09-15', '09-17'),
      ...run(2024, '10-01', '10-07'),
    ],
    makeup: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  2025: {
    holidays: [
      ...run(2025, '01-01'),
      ...run(2025, '01-28', '02-04'),
      ...run(2025, '04-04', '04-06'),
      ...run(2025, '05-01', '05-05'),
      ...run(2025, '05-31', '06-02'),
      ...run(2025, '10-01', '10-08'),
    ],
    makeup: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: [
      ...run(2026, '01-01', '01-03'),
      ...run(2026, '02-15', '02-23'),
      ...run(2026, '04-04', '04-06'),
      ...run(2026, '05-01', '05-05'),
      ...run(2026, '06-19', '06-21'),
      ...run(2026, '09-25', '09-27'),
      ...run(2026, '10-01', '10-07'),
    ],
    makeup: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

describe('base holiday data', () => {
  it('knows the years 2004-2026 and names its source', () => {
    expect(KNOWN_YEARS).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(HOLIDAY_SOURCE).toMatch(/^chinese-days \d+\.\d+\.\d+/);
    expect(BASE_TABLE.codes.length).toBe(dayFromCivil(2026, 12, 31) - dayFromCivil(2004, 1, 1) + 1);
  });

  for (const [year, notice] of Object.entries(NOTICES)) {
    it(`matches the State Council notice for ${year} on every day of the year`, () => {
      const holidays = new Set(notice.holidays);
      const makeup = new Set(notice.makeup);
      for (const day of calendar.days(`${year}-01-01`, `${year}-12-31`)) {
        const d = dayFromCivil(Number(year), Number(day.date.slice(5, 7)), Number(day.date.slice(8)));
        const expected = holidays.has(day.date)
          ? 'holiday'
          : makeup.has(day.date)
            ? 'makeup'
            : isWeekend(d)
              ? 'weekend'
              : 'workday';
        expect({ date: day.date, kind: day.kind }).toEqual({ date: day.date, kind: expected });
        expect(day.workday).toBe(expected === 'workday' || expected === 'makeup');
      }
    });
  }

  it('counts 251, 248 and 248 working days (365 or 366, less weekends, 11 or 13 statutory days)', () => {
    const count = (y: number) => calendar.workingDaysBetween(`${y - 1}-12-31`, `${y}-12-31`);
    expect([count(2024), count(2025), count(2026)]).toEqual([251, 248, 248]);
  });

  it('names festivals in Chinese, make-up days after the festival they serve', () => {
    expect(calendar.day('2025-10-06').name).toBe('中秋节');
    expect(calendar.day('2025-06-02').name).toBe('端午节');
    expect(calendar.day('2026-02-28')).toEqual({ date: '2026-02-28', workday: true, kind: 'makeup', name: '春节' });
    expect(calendar.day('2015-09-03').name).toBe('中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日');
  });

  // The package's own functions format dates with local-time methods and are only right when the
  // process TZ is UTC or east of it; the suite runs with TZ=UTC (vitest.config.ts).
  it.runIf(process.env.TZ === 'UTC')('agrees with the package functions for every day 2004-2026', () => {
    for (const day of calendar.days('2004-01-01', '2026-12-31')) {
      expect(chineseDays.isWorkday(day.date), day.date).toBe(day.workday);
    }
  });
});
