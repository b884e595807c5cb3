import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIGHT_SETTINGS, halfWorkingDayMinutes, lightAt, nextLightChange, type Light, type LightSettings } from './lights.js';
import { HOURS, SEED_HOURS, local } from './test-helpers.js';
import { WorkingCalendar } from './working-calendar.js';
import { formatInstant } from './zone.js';

const calendar = new WorkingCalendar();
// Accepted 2025-09-30 with 3 working days: due at the close of the make-up Saturday 2025-10-11.
const DEADLINE = local('2025-10-11T17:00');

const light = (now: string, settings?: LightSettings) => lightAt(calendar, HOURS, DEADLINE, local(now), settings);
const next = (now: string, settings?: LightSettings) => {
  const change = nextLightChange(calendar, HOURS, DEADLINE, local(now), settings);
  return change && { light: change.light, at: formatInstant(change.at) };
};

describe('lightAt', () => {
  it('defaults to yellow half a working day (240 min) before the deadline, reminder two hours before that', () => {
    expect(DEFAULT_LIGHT_SETTINGS).toEqual({ yellowBeforeMinutes: 240, reminderBeforeYellowMinutes: 120 });
  });

  it('goes green, reminder, yellow, red through the last working day', () => {
    expect(light('2025-10-09T10:00')).toBe('green');
    expect(light('2025-10-11T09:59')).toBe('green');
    expect(light('2025-10-11T10:00')).toBe('reminder');
    expect(light('2025-10-11T11:59')).toBe('reminder');
    // 12:00 leaves exactly four working hours (13:00-17:00): yellow through lunch.
    expect(light('2025-10-11T12:00')).toBe('yellow');
    expect(light('2025-10-11T17:00')).toBe('yellow');
    expect(light('2025-10-11T17:00:01')).toBe('red');
    expect(light('2025-11-30T10:00')).toBe('red');
  });

  it('does not change over non-working time: the holiday week before the deadline stays green', () => {
    expect(light('2025-09-30T17:00')).toBe('green');
    expect(light('2025-10-05T10:00')).toBe('green');
  });

  it('counts a whole-day yellow from the close of the day before, over the Sunday', () => {
    const dueMonday = local('2025-10-13T17:00');
    const settings = { yellowBeforeMinutes: 420, reminderBeforeYellowMinutes: 120 };
    expect(lightAt(calendar, HOURS, dueMonday, local('2025-10-11T16:59'), settings)).toBe('reminder');
    expect(lightAt(calendar, HOURS, dueMonday, local('2025-10-11T17:00'), settings)).toBe('yellow');
    expect(lightAt(calendar, HOURS, dueMonday, local('2025-10-12T10:00'), settings)).toBe('yellow');
  });

  it('gives half a working day of the hall\'s own hours', () => {
    expect(halfWorkingDayMinutes(HOURS)).toBe(210);
    expect(halfWorkingDayMinutes(SEED_HOURS)).toBe(195);
  });

  it('rejects negative thresholds', () => {
    expect(() => light('2025-10-09T10:00', { yellowBeforeMinutes: -1, reminderBeforeYellowMinutes: 0 })).toThrow(RangeError);
  });
});

describe('nextLightChange', () => {
  it('gives the exact instant of each change', () => {
    expect(next('2025-10-01T10:00')).toEqual({ light: 'reminder', at: '2025-10-11T10:00:00+08:00' });
    expect(next('2025-10-11T10:00')).toEqual({ light: 'yellow', at: '2025-10-11T12:00:00+08:00' });
    expect(next('2025-10-11T12:00')).toEqual({ light: 'red', at: '2025-10-11T17:00:00.001+08:00' });
    expect(next('2025-10-11T17:01')).toBeNull();
  });

  it('goes from green straight to yellow without a reminder', () => {
    expect(next('2025-10-01T10:00', { yellowBeforeMinutes: 60, reminderBeforeYellowMinutes: 0 })).toEqual({
      light: 'yellow',
      at: '2025-10-11T16:00:00+08:00',
    });
  });

  const ORDER: Light[] = ['green', 'reminder', 'yellow', 'red'];

  it('following the changes visits the lights in order, each exactly at its instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 1) }),
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        fc.record({ yellowBeforeMinutes: fc.integer({ min: 0, max: 900 }), reminderBeforeYellowMinutes: fc.integer({ min: 0, max: 600 }) }),
        fc.constantFrom(HOURS, SEED_HOURS),
        (deadline, before, settings, hours) => {
          let now = deadline - before;
          let current = lightAt(calendar, hours, deadline, now, settings);
          for (let change = nextLightChange(calendar, hours, deadline, now, settings); change; ) {
            expect(change.at).toBeGreaterThan(now);
            expect(ORDER.indexOf(change.light)).toBeGreaterThan(ORDER.indexOf(current));
            expect(lightAt(calendar, hours, deadline, change.at - 1, settings)).toBe(current);
            expect(lightAt(calendar, hours, deadline, change.at, settings)).toBe(change.light);
            now = change.at;
            current = change.light;
            change = nextLightChange(calendar, hours, deadline, now, settings);
          }
          expect(current).toBe('red');
        },
      ),
    );
  });
});
