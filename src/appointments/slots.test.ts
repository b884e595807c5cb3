import { describe, expect, it } from 'vitest';
import { formatInstant, fromLocal, WorkingCalendar } from '../calendar/index.js';
import { bookingCode, checkInTiming, offeredAt, slotsOn, withinHorizon } from './slots.js';

const calendar = new WorkingCalendar({ overrides: [], announcedYears: [] });
const hall = { workday: [['09:00', '12:00'], ['13:00', '17:00']] as [string, string][], weekend: [] as [string, string][], ticketCutoffMinutes: 30 };
const setting = { slotMinutes: 45, capacity: 2, daysAhead: 7 };

describe('slot rules', () => {
  it('only whole slots fit in a session', () => {
    const slots = slotsOn(calendar, [hall], '2025-09-30', setting);
    // 180 min morning → 4 slots of 45; 240 min afternoon → 5 slots.
    expect(slots).toHaveLength(9);
    expect(formatInstant(slots[3]!.start)).toBe('2025-09-30T11:15:00+08:00');
    expect(formatInstant(slots[4]!.start)).toBe('2025-09-30T13:00:00+08:00');
  });

  it('a window with weekend hours adds weekend slots', () => {
    expect(slotsOn(calendar, [hall], '2025-09-27', setting)).toEqual([]);
    const weekendWindow = { ...hall, weekend: [['09:00', '10:30']] as [string, string][] };
    expect(slotsOn(calendar, [hall, weekendWindow], '2025-09-27', setting)).toHaveLength(2);
  });

  it('horizon, same-day cut-off and check-in margin', () => {
    const now = fromLocal('2025-09-30', 9 * 60);
    expect(withinHorizon('2025-10-07', now, 7)).toBe(true);
    expect(withinHorizon('2025-10-08', now, 7)).toBe(false);
    expect(withinHorizon('2025-09-29', now, 7)).toBe(false);
    expect(offeredAt(fromLocal('2025-09-30', 10 * 60), now, 60)).toBe(false);
    expect(offeredAt(fromLocal('2025-09-30', 10 * 60 + 30), now, 60)).toBe(true);
    const slot = { start: fromLocal('2025-09-30', 14 * 60), end: fromLocal('2025-09-30', 14 * 60 + 30) };
    expect(checkInTiming(slot, fromLocal('2025-09-30', 13 * 60 + 29), 30, 15)).toBe('early');
    expect(checkInTiming(slot, fromLocal('2025-09-30', 13 * 60 + 30), 30, 15)).toBe('ok');
    expect(checkInTiming(slot, fromLocal('2025-09-30', 14 * 60 + 15), 30, 15)).toBe('ok');
    expect(checkInTiming(slot, fromLocal('2025-09-30', 14 * 60 + 16), 30, 15)).toBe('late');
  });

  it('booking codes avoid look-alike characters', () => {
    const code = bookingCode(new Uint8Array([0, 8, 14, 24, 31, 32, 255, 100]));
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });
});
