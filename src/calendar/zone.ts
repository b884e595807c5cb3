// Instants (epoch ms) <-> the hall's wall clock, for an explicit IANA zone. Never uses local-time Date
// methods, so results do not depend on the server's TZ.
//
// "Wall ms" is the wall-clock reading expressed as ms since 1970-01-01T00:00 on that clock:
// day = floor(wall / DAY_MS), ms of day = wall - day * DAY_MS.
import { DAY_MS, MINUTE_MS, dayFromCivil, formatDate, parseDate } from './dates.js';

export const HALL_ZONE = 'Asia/Shanghai';

const HOUR_MS = 3_600_000;

// Zones whose offset has been constant since a known instant: skip Intl there (hot path for deadlines).
// China's last daylight saving time ended 1991-09-15 02:00 (+09:00), i.e. 1991-09-14T17:00Z.
const FIXED_SINCE: ReadonlyMap<string, { offset: number; since: number }> = new Map([
  [HALL_ZONE, { offset: 8 * HOUR_MS, since: Date.UTC(1991, 8, 14, 17) }],
  ['UTC', { offset: 0, since: -Infinity }],
  ['Etc/UTC', { offset: 0, since: -Infinity }],
]);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function intlOffset(ms: number, zone: string): number {
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of formatterFor(zone).formatToParts(ms)) {
    if (part.type === 'era') bc = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = bc ? 1 - (fields.year ?? 0) : (fields.year ?? 0);
  const wall =
    (dayFromCivil(year, fields.month ?? 1, fields.day ?? 1) * 24 + (fields.hour ?? 0)) * HOUR_MS +
    (fields.minute ?? 0) * MINUTE_MS +
    (fields.second ?? 0) * 1000;
  // The formatter drops milliseconds: compare with the instant truncated to its second.
  return wall - Math.floor(ms / 1000) * 1000;
}

// Offsets per zone per UTC hour. An hour is cached only when its first and last ms agree, so a
// transition inside the hour (there is at most one) is never hidden.
const offsetCache = new Map<string, Map<number, number>>();
const CACHE_LIMIT = 100_000;

/** UTC offset of `zone` at instant `ms`, in ms (+8 h for Asia/Shanghai). */
export function utcOffsetMs(ms: number, zone: string): number {
  const fixed = FIXED_SINCE.get(zone);
  if (fixed && ms >= fixed.since) return fixed.offset;
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const hour = Math.floor(ms / HOUR_MS);
  const cached = cache.get(hour);
  if (cached !== undefined) return cached;
  const atStart = intlOffset(hour * HOUR_MS, zone);
  const atEnd = intlOffset(hour * HOUR_MS + HOUR_MS - 1, zone);
  if (atStart !== atEnd) return intlOffset(ms, zone);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(hour, atStart);
  return atStart;
}

/** Wall-clock reading of `zone` at instant `ms`, as wall ms. */
export function wallClock(ms: number, zone: string): number {
  return ms + utcOffsetMs(ms, zone);
}

/**
 * The instant at which `zone`'s wall clock reads `wall`. Like Temporal's "compatible": a reading that
 * occurs twice (clocks turned back) gives the earlier instant; one skipped (clocks turned forward) is
 * moved forward by the gap.
 */
export function fromWallClock(wall: number, zone: string): number {
  const fixed = FIXED_SINCE.get(zone);
  if (fixed && wall - fixed.offset >= fixed.since) return wall - fixed.offset;
  const before = utcOffsetMs(wall - DAY_MS, zone);
  const after = utcOffsetMs(wall + DAY_MS, zone);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const ms = wall - offset;
    if (utcOffsetMs(ms, zone) === offset && (best === null || ms < best)) best = ms;
  }
  return best ?? wall - before;
}

export interface LocalTime {
  date: string;
  /** Minute of the day, with a fraction when the instant is not on a whole minute. */
  minute: number;
}

export function toLocal(ms: number, zone: string = HALL_ZONE): LocalTime {
  const wall = wallClock(ms, zone);
  const day = Math.floor(wall / DAY_MS);
  return { date: formatDate(day), minute: (wall - day * DAY_MS) / MINUTE_MS };
}

export function fromLocal(date: string, minute: number, zone: string = HALL_ZONE): number {
  return fromWallClock(parseDate(date) * DAY_MS + Math.round(minute * MINUTE_MS), zone);
}

/** Local date of an instant, `YYYY-MM-DD`. */
export function localDate(ms: number, zone: string = HALL_ZONE): string {
  return formatDate(Math.floor(wallClock(ms, zone) / DAY_MS));
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISO 8601 with the zone's offset, e.g. 2025-09-30T09:15:00+08:00 (milliseconds only when non-zero). */
export function formatInstant(ms: number, zone: string = HALL_ZONE): string {
  if (!Number.isFinite(ms)) throw new RangeError(`时间无效：${ms}`);
  const offset = utcOffsetMs(ms, zone);
  const wall = ms + offset;
  const day = Math.floor(wall / DAY_MS);
  const msOfDay = wall - day * DAY_MS;
  const h = Math.floor(msOfDay / HOUR_MS);
  const m = Math.floor((msOfDay % HOUR_MS) / MINUTE_MS);
  const s = Math.floor((msOfDay % MINUTE_MS) / 1000);
  const frac = msOfDay % 1000;
  const abs = Math.abs(offset) / 1000;
  const offH = Math.floor(abs / 3600);
  const offM = Math.floor((abs % 3600) / 60);
  const offS = abs % 60;
  const sign = offset < 0 ? '-' : '+';
  return (
    `${formatDate(day)}T${two(h)}:${two(m)}:${two(s)}${frac ? `.${String(frac).padStart(3, '0')}` : ''}` +
    `${sign}${two(offH)}:${two(offM)}${offS ? `:${two(offS)}` : ''}`
  );
}
