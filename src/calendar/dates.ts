// Calendar dates as integer day numbers (days since 1970-01-01), so that adding days, comparing and
// indexing tables are plain integer operations. Pure arithmetic: no Date object, so no dependence on the
// process time zone.

/** Days since 1970-01-01 (negative before it). */
export type DayNumber = number;

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDay(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The day number of a real `YYYY-MM-DD` date (years 0001-9999), or null for anything else. */
export function tryParseDate(date: string): DayNumber | null {
  const m = DATE_PATTERN.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayFromCivil(year, month, day);
}

/** The day number of a `YYYY-MM-DD` date; throws a RangeError for a malformed or impossible date. */
export function parseDate(date: string): DayNumber {
  const day = tryParseDate(date);
  if (day === null) throw new RangeError(`日期无效：“${date}”，应为真实存在的 YYYY-MM-DD 日期`);
  return day;
}

export function isValidDate(date: string): boolean {
  return tryParseDate(date) !== null;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// Formatting costs more than the rest of a deadline computation, so strings of 2000-2099 are kept once made.
const CACHE_FIRST = dayFromCivil(2000, 1, 1);
const formatted: (string | undefined)[] = new Array<string | undefined>(dayFromCivil(2100, 1, 1) - CACHE_FIRST);

function format(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function formatDate(dayNumber: DayNumber): string {
  const i = dayNumber - CACHE_FIRST;
  if (!(i >= 0 && i < formatted.length && Number.isInteger(i))) return format(dayNumber);
  return (formatted[i] ??= format(dayNumber));
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: DayNumber): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: DayNumber): boolean {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
}
