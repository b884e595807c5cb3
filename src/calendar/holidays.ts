// Base data: statutory holidays and make-up working days (调休上班) from the State Council's yearly notices,
// as carried by the npm package `chinese-days`, precomputed into one byte per day so that a lookup is an
// array read.
//
// We read the package's data file rather than call its functions: its functions parse and format dates
// with local-time Date methods, so on a server whose TZ is west of UTC every answer is shifted by one day
// (isWorkday('2025-09-27'), a Saturday, returns true under TZ=America/New_York). The data file is plain
// `YYYY-MM-DD` keys and has no such problem; holidays.test.ts checks it against the functions under UTC.
import packageInfo from 'chinese-days/package.json' with { type: 'json' };
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { dayFromCivil, isWeekend, parseDate, type DayNumber } from './dates.js';

/** `makeup` = a weekend day declared a working day (调休上班). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

/** Kinds in the order of their one-byte codes in day tables. */
export const DAY_KINDS: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup'];
export const WORKDAY = 0;
export const WEEKEND = 1;
export const HOLIDAY = 2;
export const MAKEUP = 3;

export interface BaseTable {
  /** Day number of the table's first day (1 January of the first known year). */
  readonly first: DayNumber;
  /** One code per day from `first`: WORKDAY, WEEKEND, HOLIDAY or MAKEUP. */
  readonly codes: Uint8Array;
  /** Festival names of holidays and make-up days, e.g. 春节. */
  readonly names: ReadonlyMap<DayNumber, string>;
}

type DateMap = Record<string, string>;

function isDateMap(value: unknown): value is DateMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

const { holidays: rawHolidays, workdays: rawWorkdays } = data as { holidays?: unknown; workdays?: unknown };
// Fail at start-up rather than compute wrong deadlines if a package update changes the file's shape.
if (!isDateMap(rawHolidays) || !isDateMap(rawWorkdays)) throw new Error('chinese-days: unexpected data file');
const holidays: DateMap = rawHolidays;
const workdays: DateMap = rawWorkdays;

/** Where the base holiday table comes from. */
export const HOLIDAY_SOURCE = `chinese-days ${packageInfo.version}（国务院办公厅年度部分节假日安排通知）`;

// The package labels days "English,中文,statutory days", with short Chinese names for three festivals.
const FULL_NAMES: Readonly<Record<string, string>> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

function festivalName(label: string): string {
  const chinese = label.split(',')[1]?.trim();
  if (!chinese) throw new Error(`chinese-days: unexpected label "${label}"`);
  return FULL_NAMES[chinese] ?? chinese;
}

/** Years whose holiday notice is in the base data; any other year is treated as plain Monday-Friday. */
export const KNOWN_YEARS: readonly number[] = [
  ...new Set([...Object.keys(holidays), ...Object.keys(workdays)].map((date) => Number(date.slice(0, 4)))),
].sort((a, b) => a - b);

function buildTable(): BaseTable {
  const firstYear = KNOWN_YEARS[0];
  const lastYear = KNOWN_YEARS[KNOWN_YEARS.length - 1];
  if (firstYear === undefined || lastYear === undefined) throw new Error('chinese-days: no holiday data');
  const first = dayFromCivil(firstYear, 1, 1);
  const codes = new Uint8Array(dayFromCivil(lastYear, 12, 31) - first + 1);
  for (let i = 0; i < codes.length; i++) codes[i] = isWeekend(first + i) ? WEEKEND : WORKDAY;
  const names = new Map<DayNumber, string>();
  const mark = (map: DateMap, code: (day: DayNumber) => number) => {
    for (const [date, label] of Object.entries(map)) {
      const day = parseDate(date);
      codes[day - first] = code(day);
      names.set(day, festivalName(label));
    }
  };
  mark(holidays, () => HOLIDAY);
  // A working day named by a notice is a make-up day when it falls on a weekend.
  mark(workdays, (day) => (isWeekend(day) ? MAKEUP : WORKDAY));
  return { first, codes, names };
}

export const BASE_TABLE: BaseTable = buildTable();
