// The hall's working-day calendar: the national base table plus the hall's own overrides.
//
// Every day gets a "working-day index": the number of working days before it, counted from a fixed
// origin. Inside the table the index is a prefix sum; outside it the Monday-Friday rule gives it in
// closed form. Counting working days between two dates is then a subtraction, and the N-th working day
// after a date is an array read (its inverse), whatever N is.
import {
  formatDate,
  isWeekend,
  parseDate,
  weekdayOf,
  type DayNumber,
} from './dates.js';
import {
  BASE_TABLE,
  DAY_KINDS,
  HOLIDAY,
  KNOWN_YEARS,
  MAKEUP,
  WEEKEND,
  WORKDAY,
  type DayKind,
} from './holidays.js';

export type { DayKind } from './holidays.js';

export interface CalendarDay {
  date: string;
  workday: boolean;
  kind: DayKind;
  /** Festival or closure name; null on an ordinary day. */
  name: string | null;
}

/** A hall's change to one day, e.g. a local closure or a day of next year's notice entered by hand. */
export interface CalendarOverride {
  date: string;
  workday: boolean;
  name?: string | null;
}

export interface WorkingCalendarOptions {
  /** Applied in order; a later override of the same date wins. */
  overrides?: readonly CalendarOverride[];
  /** Years whose State Council notice the hall has entered as overrides, beyond the base data. */
  announcedYears?: readonly number[];
}

// Number of Monday-Friday days in [day 4, day), signed. Day 4 (1970-01-05) is a Monday.
function monFriBefore(day: DayNumber): number {
  const m = day - 4;
  const weeks = Math.floor(m / 7);
  return 5 * weeks + Math.min(m - 7 * weeks, 5);
}

// The Monday-Friday day that has k Monday-Friday days before it: the inverse of monFriBefore.
function nthMonFri(k: number): DayNumber {
  const weeks = Math.floor(k / 5);
  return 4 + 7 * weeks + (k - 5 * weeks);
}

function isWorkingCode(code: number): boolean {
  return code === WORKDAY || code === MAKEUP;
}

// Kind of a day after an override. A weekday closed by an override is a holiday; a weekend day opened
// is a make-up day. A weekend day closed stays a plain weekend day (e.g. a make-up day withdrawn), unless
// it was a holiday or the override names a closure: then it is a holiday, with no Saturday service.
function overriddenCode(day: DayNumber, baseCode: number, override: CalendarOverride): number {
  const weekend = isWeekend(day);
  if (override.workday) return weekend ? MAKEUP : WORKDAY;
  if (!weekend) return HOLIDAY;
  return override.name || baseCode === HOLIDAY ? HOLIDAY : WEEKEND;
}

export class WorkingCalendar {
  readonly #first: DayNumber;
  /** One past the table's last day. */
  readonly #end: DayNumber;
  readonly #codes: Uint8Array;
  readonly #names: ReadonlyMap<DayNumber, string>;
  /** #prefix[i] = working days in [#first, #first + i). */
  readonly #prefix: Int32Array;
  /** Working days of the table, in order. */
  readonly #workdays: Int32Array;
  /** Working-day index of #first and of #end. */
  readonly #indexFirst: number;
  readonly #indexEnd: number;
  readonly #knownYears: ReadonlySet<number>;

  constructor(options: WorkingCalendarOptions = {}) {
    // One override per date, the last given, applied to the base day.
    const overrides = new Map<DayNumber, CalendarOverride>();
    for (const o of options.overrides ?? []) overrides.set(parseDate(o.date), o);
    for (const year of options.announcedYears ?? []) {
      if (!Number.isInteger(year)) throw new RangeError(`年份无效：${year}`);
    }
    this.#knownYears = new Set([...KNOWN_YEARS, ...(options.announcedYears ?? [])]);

    const base = BASE_TABLE;
    const baseEnd = base.first + base.codes.length;
    let first = base.first;
    let end = baseEnd;
    for (const day of overrides.keys()) {
      first = Math.min(first, day);
      end = Math.max(end, day + 1);
    }
    const codes = new Uint8Array(end - first);
    for (let day = first; day < end; day++) {
      codes[day - first] =
        day >= base.first && day < baseEnd ? (base.codes[day - base.first] ?? WORKDAY) : isWeekend(day) ? WEEKEND : WORKDAY;
    }
    let names = base.names;
    if (overrides.size > 0) {
      const merged = new Map(base.names);
      for (const [day, override] of overrides) {
        const baseCode = codes[day - first] ?? WORKDAY;
        const code = overriddenCode(day, baseCode, override);
        codes[day - first] = code;
        const name = override.name || (code === baseCode ? merged.get(day) : undefined);
        if (name) merged.set(day, name);
        else merged.delete(day);
      }
      names = merged;
    }

    const prefix = new Int32Array(codes.length + 1);
    for (let i = 0; i < codes.length; i++) prefix[i + 1] = (prefix[i] ?? 0) + (isWorkingCode(codes[i] ?? 0) ? 1 : 0);
    const workdays = new Int32Array(prefix[codes.length] ?? 0);
    for (let i = 0, k = 0; i < codes.length; i++) if (isWorkingCode(codes[i] ?? 0)) workdays[k++] = first + i;

    this.#first = first;
    this.#end = end;
    this.#codes = codes;
    this.#names = names;
    this.#prefix = prefix;
    this.#workdays = workdays;
    // Before the table the index follows the Monday-Friday rule exactly, which fixes the origin.
    this.#indexFirst = monFriBefore(first);
    this.#indexEnd = this.#indexFirst + workdays.length;
  }

  // ---- Date-string API (the edges: HTTP, UI) ----

  day(date: string): CalendarDay {
    return this.dayOf(parseDate(date));
  }

  isWorkday(date: string): boolean {
    return this.isWorkdayNumber(parseDate(date));
  }

  /** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
  days(from: string, to: string): CalendarDay[] {
    const result: CalendarDay[] = [];
    for (let day = parseDate(from), last = parseDate(to); day <= last; day++) result.push(this.dayOf(day));
    return result;
  }

  /** The n-th working day after `from` (`from` itself never counts); n = 0 returns `from` unchanged. */
  addWorkingDays(from: string, n: number): string {
    return formatDate(this.addWorkingDaysNumber(parseDate(from), n));
  }

  /** Working days in (from, to]: after `from`, up to and including `to`; negative when `to` is earlier. */
  workingDaysBetween(from: string, to: string): number {
    return this.workingDaysBetweenNumbers(parseDate(from), parseDate(to));
  }

  /** Whether the year's holiday notice is known (base data or entered by the hall). */
  hasDataFor(year: number): boolean {
    return this.#knownYears.has(year);
  }

  /** Years in [fromYear, toYear] without a known notice: warn the manager, e.g. in December for next year. */
  missingYears(fromYear: number, toYear: number): number[] {
    const missing: number[] = [];
    for (let year = fromYear; year <= toYear; year++) if (!this.#knownYears.has(year)) missing.push(year);
    return missing;
  }

  // ---- Day-number API (hot paths: deadlines, lights) ----

  dayOf(day: DayNumber): CalendarDay {
    const code = this.#codeOf(day);
    return {
      date: formatDate(day),
      workday: isWorkingCode(code),
      kind: DAY_KINDS[code] ?? 'workday',
      name: this.#names.get(day) ?? null,
    };
  }

  kindOf(day: DayNumber): DayKind {
    return DAY_KINDS[this.#codeOf(day)] ?? 'workday';
  }

  isWorkdayNumber(day: DayNumber): boolean {
    return isWorkingCode(this.#codeOf(day));
  }

  /** Working days before `day`, counted from a fixed origin (signed): differences count working days. */
  workingDaysBefore(day: DayNumber): number {
    if (day <= this.#first) return monFriBefore(day);
    if (day <= this.#end) return this.#indexFirst + (this.#prefix[day - this.#first] ?? 0);
    return this.#indexEnd + monFriBefore(day) - monFriBefore(this.#end);
  }

  /** The working day with `index` working days before it: the inverse of workingDaysBefore. */
  nthWorkingDay(index: number): DayNumber {
    if (index < this.#indexFirst) return nthMonFri(index);
    if (index < this.#indexEnd) return this.#workdays[index - this.#indexFirst] ?? 0;
    return nthMonFri(index - this.#indexEnd + monFriBefore(this.#end));
  }

  addWorkingDaysNumber(from: DayNumber, n: number): DayNumber {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日数必须是不小于 0 的整数：${n}`);
    if (n === 0) return from;
    return this.nthWorkingDay(this.workingDaysBefore(from + 1) + n - 1);
  }

  workingDaysBetweenNumbers(from: DayNumber, to: DayNumber): number {
    return this.workingDaysBefore(to + 1) - this.workingDaysBefore(from + 1);
  }

  #codeOf(day: DayNumber): number {
    if (day >= this.#first && day < this.#end) return this.#codes[day - this.#first] ?? WORKDAY;
    const w = weekdayOf(day);
    return w === 0 || w === 6 ? WEEKEND : WORKDAY;
  }
}

