import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineFor } from './deadline.js';
import { lightAt, nextLightChange } from './lights.js';
import { isOpenAt, nextOpening } from './hours.js';
import { HOURS } from './test-helpers.js';
import { WorkingCalendar } from './working-calendar.js';
import { formatInstant, fromLocal, fromWallClock, localDate, toLocal, utcOffsetMs, wallClock } from './zone.js';

const H = 3_600_000;
// 'PRC' is a tz link to Asia/Shanghai that skips the fixed-offset fast path, so it goes through Intl.
const VIA_INTL = 'PRC';

describe('zone conversions', () => {
  it('formats instants in ISO 8601 with the +08:00 offset of the hall', () => {
    expect(formatInstant(Date.UTC(2025, 8, 30, 1, 15), 'Asia/Shanghai')).toBe('2025-09-30T09:15:00+08:00');
    expect(formatInstant(Date.UTC(2025, 8, 30, 16, 0), 'Asia/Shanghai')).toBe('2025-10-01T00:00:00+08:00');
    expect(formatInstant(Date.UTC(2025, 8, 30, 1, 15, 7, 42))).toBe('2025-09-30T09:15:07.042+08:00');
    expect(formatInstant(Date.UTC(2025, 0, 15, 12), 'America/New_York')).toBe('2025-01-15T07:00:00-05:00');
    expect(formatInstant(Date.UTC(2025, 6, 15, 12), 'America/New_York')).toBe('2025-07-15T08:00:00-04:00');
    expect(formatInstant(Date.UTC(2025, 6, 15, 12), 'Asia/Kolkata')).toBe('2025-07-15T17:30:00+05:30');
    expect(formatInstant(0, 'UTC')).toBe('1970-01-01T00:00:00+00:00');
  });

  it('converts between instants and local date and minute of day', () => {
    const ms = Date.UTC(2025, 8, 30, 16, 30);
    expect(toLocal(ms)).toEqual({ date: '2025-10-01', minute: 30 });
    expect(fromLocal('2025-10-01', 30)).toBe(ms);
    expect(localDate(Date.UTC(2025, 8, 30, 15, 59, 59, 999))).toBe('2025-09-30');
    expect(toLocal(Date.UTC(2025, 8, 30, 1, 15, 30)).minute).toBe(555.5);
  });

  it('uses China daylight saving time before September 1991, and +08:00 since', () => {
    const end = Date.UTC(1991, 8, 14, 17);
    expect(utcOffsetMs(end - 1, 'Asia/Shanghai')).toBe(9 * H);
    expect(utcOffsetMs(end, 'Asia/Shanghai')).toBe(8 * H);
    expect(utcOffsetMs(Date.UTC(1988, 6, 1), 'Asia/Shanghai')).toBe(9 * H);
    expect(formatInstant(Date.UTC(1900, 0, 1), 'Asia/Shanghai')).toBe('1900-01-01T08:05:43+08:05:43');
  });

  it('resolves skipped and repeated wall-clock readings like Temporal "compatible"', () => {
    // 2025-03-09 02:30 does not exist in New York: moved forward to 03:30 EDT.
    expect(formatInstant(fromLocal('2025-03-09', 150, 'America/New_York'), 'America/New_York')).toBe('2025-03-09T03:30:00-04:00');
    // 2025-11-02 01:30 happens twice: the earlier (EDT) one.
    expect(formatInstant(fromLocal('2025-11-02', 90, 'America/New_York'), 'America/New_York')).toBe('2025-11-02T01:30:00-04:00');
  });

  it('rejects an unknown zone', () => {
    expect(() => formatInstant(0, 'Mars/Olympus')).toThrow(RangeError);
  });

  it('fast path for Asia/Shanghai equals Intl and fixed +08:00 arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1991, 8, 15), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(utcOffsetMs(ms, VIA_INTL)).toBe(8 * H);
        expect(wallClock(ms, 'Asia/Shanghai')).toBe(ms + 8 * H);
        expect(fromWallClock(ms + 8 * H, VIA_INTL)).toBe(ms);
        expect(formatInstant(ms, VIA_INTL)).toBe(formatInstant(ms, 'Asia/Shanghai'));
        expect(formatInstant(ms, 'Asia/Shanghai')).toBe(new Date(ms + 8 * H).toISOString().replace('Z', '+08:00').replace('.000+', '+'));
      }),
    );
  });

  it('round-trips wall clock readings in a zone with daylight saving time', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe']) {
          // Every instant's own reading maps back to it, except the later of a repeated reading.
          const back = fromWallClock(wallClock(ms, zone), zone);
          expect(back === ms || (back < ms && wallClock(back, zone) === wallClock(ms, zone))).toBe(true);
        }
      }),
    );
  });
});

// Runs `fn` with the process in another TZ, to show results depend only on the explicit zone.
function inProcessTz<T>(tz: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    process.env.TZ = saved;
  }
}

describe('independent of the server time zone', () => {
  const calendar = new WorkingCalendar();

  it('switching process.env.TZ really changes local-time Date methods (so the test means something)', () => {
    const offsets = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'].map((tz) => inProcessTz(tz, () => new Date(0).getTimezoneOffset()));
    expect(new Set(offsets).size).toBe(3);
  });

  it('gives the same deadlines, lights and opening times under any TZ', () => {
    const inputs = fc.sample(
      fc.record({
        acceptedAt: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 1) }),
        limitDays: fc.integer({ min: 0, max: 30 }),
        nowOffset: fc.integer({ min: 0, max: 40 * 24 * H }),
      }),
      { numRuns: 300, seed: 42 },
    );
    const compute = () =>
      inputs.map(({ acceptedAt, limitDays, nowOffset }) => {
        const deadline = deadlineFor({ calendar, hours: HOURS, acceptedAt, limitDays });
        const now = acceptedAt + nowOffset;
        return {
          deadline: deadline && formatInstant(deadline.at),
          date: deadline?.date,
          light: deadline && lightAt(calendar, HOURS, deadline.at, now),
          next: deadline && nextLightChange(calendar, HOURS, deadline.at, now),
          open: isOpenAt(calendar, HOURS, now),
          opening: nextOpening(calendar, HOURS, now),
          local: toLocal(now),
          ny: formatInstant(now, 'America/New_York'),
        };
      });
    const reference = inProcessTz('UTC', compute);
    for (const tz of ['America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
      expect(inProcessTz(tz, compute)).toEqual(reference);
    }
  });
});
