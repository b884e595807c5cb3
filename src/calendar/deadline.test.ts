import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS } from './dates.js';
import { addWorkingMinutes, closeOfDay, deadlineFor, workingDaysBetween, workingMinutesBetween, type Pause } from './deadline.js';
import { compileHours, type HallHours } from './hours.js';
import { HOURS, SEED_HOURS, local } from './test-helpers.js';
import { WorkingCalendar } from './working-calendar.js';
import { formatInstant, localDate, wallClock } from './zone.js';

const calendar = new WorkingCalendar();

function due(acceptedAt: string, limitDays: number, pauses: Pause[] = [], hours: HallHours = HOURS) {
  const d = deadlineFor({ calendar, hours, acceptedAt: local(acceptedAt), limitDays, pauses });
  return d && { at: formatInstant(d.at), date: d.date };
}

const pause = (from: string, to: string | null): Pause => ({ from: local(from), to: to === null ? null : local(to) });

describe('deadlineFor', () => {
  it('ends at the close of the N-th working day after acceptance, in +08:00', () => {
    expect(due('2025-09-30T10:00', 3)).toEqual({ at: '2025-10-11T17:00:00+08:00', date: '2025-10-11' });
    expect(due('2025-09-30T10:00', 3, [], SEED_HOURS)).toEqual({ at: '2025-10-11T16:45:00+08:00', date: '2025-10-11' });
    // The time of acceptance within the day does not matter.
    expect(due('2025-09-30T16:59', 1)?.at).toBe('2025-10-09T17:00:00+08:00');
    expect(due('2025-09-30T08:00', 1)?.at).toBe('2025-10-09T17:00:00+08:00');
  });

  it('skips the 2026 Spring Festival', () => {
    expect(due('2026-02-13T10:00', 3)?.at).toBe('2026-02-25T17:00:00+08:00');
    // 02-14 and 02-28 are make-up Saturdays.
    expect(due('2026-02-13T10:00', 20)?.date).toBe('2026-03-19');
  });

  it('counts from the day of acceptance even when it is a holiday or weekend', () => {
    expect(due('2025-10-03T10:00', 2)?.at).toBe('2025-10-10T17:00:00+08:00');
    expect(due('2025-10-18T10:00', 1)?.at).toBe('2025-10-20T17:00:00+08:00');
  });

  it('with a limit of 0, ends at the close of the acceptance day, or of the next working day', () => {
    expect(due('2025-10-13T10:00', 0)?.at).toBe('2025-10-13T17:00:00+08:00');
    expect(due('2025-10-18T10:00', 0)?.at).toBe('2025-10-20T17:00:00+08:00');
    expect(due('2025-10-13T17:00', 0)?.at).toBe('2025-10-14T17:00:00+08:00');
    expect(due('2025-10-13T18:30', 0)?.at).toBe('2025-10-14T17:00:00+08:00');
  });

  it('ends a 24:00 day at midnight, still dated on that working day', () => {
    const allDay: HallHours = { workday: [['00:00', '24:00']], weekend: [], ticketCutoffMinutes: 0 };
    expect(due('2025-10-09T10:00', 1, [], allDay)).toEqual({ at: '2025-10-11T00:00:00+08:00', date: '2025-10-10' });
    expect(due('2025-10-09T10:00', 1, [pause('2025-10-09T12:00', '2025-10-10T12:00')], allDay)).toEqual({
      at: '2025-10-12T00:00:00+08:00',
      date: '2025-10-11',
    });
  });

  it('moves the deadline later by the working time inside a pause', () => {
    // Accepted Monday 2025-09-01, 5 working days: Monday 09-08 at close.
    expect(due('2025-09-01T10:00', 5)?.at).toBe('2025-09-08T17:00:00+08:00');
    // Two working hours paused: two working hours past the close of 09-08 is 09-09 11:00.
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-02T10:00', '2025-09-02T12:00')])?.at).toBe('2025-09-09T11:00:00+08:00');
    // A full working day paused (Tuesday 09:00 to Wednesday 09:00): close of 09-09.
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-02T09:00', '2025-09-03T09:00')])?.at).toBe('2025-09-09T17:00:00+08:00');
    // Paused over lunch and overnight only: no working time, no change.
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-02T12:00', '2025-09-02T13:00'), pause('2025-09-02T17:00', '2025-09-03T09:00')])?.at).toBe(
      '2025-09-08T17:00:00+08:00',
    );
  });

  it('pauses across National Day count only the working days inside them', () => {
    // Due at the close of 10-10. Paused from the close of 09-30 to the opening of 10-10, which holds one
    // working day (10-09): the deadline moves one working day, to the make-up Saturday 10-11.
    expect(due('2025-09-29T10:00', 3)?.at).toBe('2025-10-10T17:00:00+08:00');
    expect(due('2025-09-29T10:00', 3, [pause('2025-09-30T17:00', '2025-10-10T09:00')])).toEqual({
      at: '2025-10-11T17:00:00+08:00',
      date: '2025-10-11',
    });
  });

  it('counts overlapping pauses once and ignores time before acceptance', () => {
    const one = due('2025-09-01T10:00', 5, [pause('2025-09-02T09:00', '2025-09-03T09:00')]);
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-02T09:00', '2025-09-02T15:00'), pause('2025-09-02T10:00', '2025-09-03T09:00')])).toEqual(one);
    expect(due('2025-09-01T10:00', 5, [pause('2025-08-29T09:00', '2025-09-01T10:00')])?.at).toBe('2025-09-08T17:00:00+08:00');
    expect(due('2025-09-01T10:00', 5, [pause('2025-08-29T09:00', '2025-09-01T11:00')])?.at).toBe('2025-09-09T10:00:00+08:00');
  });

  it('has no deadline while a pause is open, unless the clock had already run out', () => {
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-03T10:00', null)])).toBeNull();
    expect(due('2025-09-01T10:00', 5, [pause('2025-08-29T10:00', null)])).toBeNull();
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-09T10:00', null)])?.at).toBe('2025-09-08T17:00:00+08:00');
    // The first pause moves the deadline past the start of the second one, which then counts.
    expect(due('2025-09-01T10:00', 5, [pause('2025-09-02T09:00', '2025-09-03T09:00'), pause('2025-09-09T10:00', null)])).toBeNull();
  });

  it('rejects a pause that ends before it starts, and a bad limit', () => {
    expect(() => due('2025-09-01T10:00', 5, [pause('2025-09-03T10:00', '2025-09-02T10:00')])).toThrow(RangeError);
    expect(() => due('2025-09-01T10:00', -1)).toThrow(RangeError);
  });
});

describe('working minutes', () => {
  const between = (a: string, b: string) => workingMinutesBetween(calendar, HOURS, local(a), local(b));
  const add = (a: string, minutes: number) => formatInstant(addWorkingMinutes(calendar, HOURS, local(a), minutes));

  it('counts only session time of working days', () => {
    expect(between('2025-10-17T16:00', '2025-10-20T10:00')).toBe(120);
    expect(between('2025-10-13T11:00', '2025-10-13T14:00')).toBe(120);
    expect(between('2025-09-30T16:00', '2025-10-09T09:30')).toBe(90);
    // A make-up Saturday counts; Saturday service does not.
    expect(between('2025-10-10T17:00', '2025-10-11T10:00')).toBe(60);
    expect(between('2025-10-17T17:00', '2025-10-18T11:00')).toBe(0);
    expect(between('2025-10-20T10:00', '2025-10-17T16:00')).toBe(-120);
    expect(between('2025-10-13T09:00', '2025-10-13T09:00:30')).toBe(0.5);
  });

  it('adds working minutes, landing at a session end rather than the next opening', () => {
    expect(add('2025-10-17T16:00', 120)).toBe('2025-10-20T10:00:00+08:00');
    expect(add('2025-10-17T16:00', 60)).toBe('2025-10-17T17:00:00+08:00');
    expect(add('2025-10-13T11:00', 60)).toBe('2025-10-13T12:00:00+08:00');
    expect(add('2025-10-13T11:00', 61)).toBe('2025-10-13T13:01:00+08:00');
    expect(add('2025-10-13T20:00', 30)).toBe('2025-10-14T09:30:00+08:00');
    expect(add('2025-10-13T20:00', 0)).toBe('2025-10-13T20:00:00+08:00');
    expect(add('2025-09-30T16:00', 7 * 60 * 2)).toBe('2025-10-10T16:00:00+08:00');
    expect(() => add('2025-10-13T20:00', -1)).toThrow(RangeError);
  });

  it('counts working days between instants by local date', () => {
    // 2025-09-30T16:30Z is 10-01 00:30 in the hall.
    expect(workingDaysBetween(calendar, Date.UTC(2025, 8, 30, 15, 30), local('2025-10-11T10:00'))).toBe(3);
    expect(workingDaysBetween(calendar, Date.UTC(2025, 8, 30, 16, 30), local('2025-10-11T10:00'))).toBe(3);
    expect(workingDaysBetween(calendar, local('2025-10-11T10:00'), local('2025-10-11T18:00'))).toBe(0);
  });

  it('gives the close of a day', () => {
    expect(formatInstant(closeOfDay(SEED_HOURS, '2025-10-11'))).toBe('2025-10-11T16:45:00+08:00');
  });
});

// ---- Properties ----

const instant = (fromYear: number, toYear: number) =>
  fc.integer({ min: Date.UTC(fromYear, 0, 1), max: Date.UTC(toYear, 11, 31) });
const pauseArb = (start: number) =>
  fc
    .record({ offset: fc.integer({ min: -3 * DAY_MS, max: 30 * DAY_MS }), length: fc.integer({ min: 0, max: 10 * DAY_MS }) })
    .map(({ offset, length }): Pause => ({ from: start + offset, to: start + offset + length }));
const caseArb = instant(2024, 2026).chain((acceptedAt) =>
  fc.record({
    acceptedAt: fc.constant(acceptedAt),
    limitDays: fc.integer({ min: 0, max: 60 }),
    pauses: fc.array(pauseArb(acceptedAt), { maxLength: 4 }),
    hours: fc.constantFrom(HOURS, SEED_HOURS),
  }),
);

describe('deadline properties', () => {
  it('a deadline falls at the close of, or within a session of, a working day', () => {
    fc.assert(
      fc.property(caseArb, ({ acceptedAt, limitDays, pauses, hours }) => {
        const d = deadlineFor({ calendar, hours, acceptedAt, limitDays, pauses });
        expect(d).not.toBeNull();
        if (!d) return;
        expect(calendar.isWorkday(d.date)).toBe(true);
        expect(localDate(d.at)).toBe(d.date);
        expect(d.at).toBeGreaterThan(acceptedAt);
        const wall = wallClock(d.at, 'Asia/Shanghai');
        const t = wall - Math.floor(wall / DAY_MS) * DAY_MS;
        const sessions = compileHours(hours).workday;
        const inSession = sessions.some((_, i) => i % 2 === 0 && t > (sessions[i] ?? 0) && t <= (sessions[i + 1] ?? 0));
        expect(inSession).toBe(true);
      }),
    );
  });

  it('pauses only ever move a deadline later', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.record({ c: fc.constant(c), extra: pauseArb(c.acceptedAt) })),
        ({ c: { acceptedAt, limitDays, pauses, hours }, extra }) => {
          const at = (p: Pause[]) => deadlineFor({ calendar, hours, acceptedAt, limitDays, pauses: p })?.at ?? NaN;
          const base = at([]);
          const paused = at(pauses);
          expect(paused).toBeGreaterThanOrEqual(base);
          expect(at([...pauses, extra])).toBeGreaterThanOrEqual(paused);
        },
      ),
    );
  });

  it('adding then measuring working minutes round-trips', () => {
    fc.assert(
      fc.property(instant(2003, 2027), fc.integer({ min: 0, max: 60 * 8 * 300 }), fc.constantFrom(HOURS, SEED_HOURS), (from, minutes, hours) => {
        const to = addWorkingMinutes(calendar, hours, from, minutes);
        expect(to).toBeGreaterThanOrEqual(from);
        expect(workingMinutesBetween(calendar, hours, from, to)).toBe(minutes);
      }),
    );
  });

  // Reference semantics, minute by minute: the clock runs from acceptance during working sessions
  // outside pauses, and the deadline is when it has run as long as it would have without pauses.
  it('equals a minute-by-minute simulation of a stopped clock', () => {
    const working = (ms: number) => {
      const wall = wallClock(ms, 'Asia/Shanghai');
      const day = Math.floor(wall / DAY_MS);
      const minute = (wall - day * DAY_MS) / MINUTE_MS;
      return calendar.isWorkdayNumber(day) && ((minute >= 540 && minute < 720) || (minute >= 780 && minute < 1020));
    };
    const minuteArb = (min: number, max: number) => fc.integer({ min: min / MINUTE_MS, max: max / MINUTE_MS }).map((m) => m * MINUTE_MS);
    fc.assert(
      fc.property(
        minuteArb(Date.UTC(2025, 8, 20), Date.UTC(2025, 9, 10)),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: -2000, max: 8000 }), fc.integer({ min: 0, max: 3000 })), { maxLength: 3 }),
        (acceptedAt, limitDays, spans) => {
          const pauses = spans.map(([offset, length]) => ({ from: acceptedAt + offset * MINUTE_MS, to: acceptedAt + (offset + length) * MINUTE_MS }));
          const plain = deadlineFor({ calendar, hours: HOURS, acceptedAt, limitDays });
          const actual = deadlineFor({ calendar, hours: HOURS, acceptedAt, limitDays, pauses });
          if (!plain) throw new Error('no deadline');
          let budget = workingMinutesBetween(calendar, HOURS, acceptedAt, plain.at);
          let t = acceptedAt;
          const paused = (ms: number) => pauses.some((p) => ms >= p.from && ms < p.to);
          while (budget > 0) {
            if (working(t) && !paused(t)) budget--;
            t += MINUTE_MS;
          }
          expect(actual?.at).toBe(t);
        },
      ),
      { numRuns: 60 },
    );
  });
});
