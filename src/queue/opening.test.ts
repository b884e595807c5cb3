import { describe, expect, it } from 'vitest';
import { WorkingCalendar, formatInstant, type HallHours } from '../calendar/index.js';
import { local } from '../calendar/test-helpers.js';
import { dayClosing, nextTicketOpening, ticketAvailability, withCutoff } from './opening.js';

const ZONE = 'Asia/Shanghai';
const calendar = new WorkingCalendar();
const HOURS: HallHours = { workday: [['09:00', '12:00'], ['13:00', '17:00']], weekend: [], ticketCutoffMinutes: 30 };
const SATURDAY: HallHours = { ...HOURS, weekend: [['09:00', '12:00']] };
const at = (ms: number | null) => (ms === null ? null : formatInstant(ms, ZONE));

describe('when tickets can be taken', () => {
  it('is open in a session and closed within the cut-off before it ends', () => {
    expect(ticketAvailability(calendar, [HOURS], local('2025-09-30T11:29'), ZONE)).toEqual({ open: true });
    const lunch = ticketAvailability(calendar, [HOURS], local('2025-09-30T11:31'), ZONE);
    expect(lunch.open).toBe(false);
    expect(!lunch.open && at(lunch.nextOpening)).toBe('2025-09-30T13:00:00+08:00');
  });

  it('after the last cut-off of the day before National Day points to the first working day after it', () => {
    expect(at(nextTicketOpening(calendar, HOURS, local('2025-09-30T16:31'), ZONE))).toBe('2025-10-09T09:00:00+08:00');
  });

  it('on a Sunday points to Monday, unless one window keeps Saturday service', () => {
    expect(at(nextTicketOpening(calendar, HOURS, local('2025-10-18T10:00'), ZONE))).toBe('2025-10-20T09:00:00+08:00');
    expect(ticketAvailability(calendar, [HOURS, SATURDAY], local('2025-10-18T10:00'), ZONE)).toEqual({ open: true });
  });

  it('applies a service cut-off longer than the hall one', () => {
    const long = withCutoff(HOURS, 60);
    expect(ticketAvailability(calendar, [long], local('2025-09-30T16:10'), ZONE).open).toBe(false);
    expect(ticketAvailability(calendar, [HOURS], local('2025-09-30T16:10'), ZONE).open).toBe(true);
  });
});

describe('when the hall closes for the day', () => {
  it('is the latest session end among the hall and windows with their own hours, none on a closed day', () => {
    const late: HallHours = { ...HOURS, workday: [['09:00', '12:00'], ['13:00', '18:30']] };
    expect(at(dayClosing(calendar, [HOURS], '2025-09-30', ZONE))).toBe('2025-09-30T17:00:00+08:00');
    expect(at(dayClosing(calendar, [HOURS, late], '2025-09-30', ZONE))).toBe('2025-09-30T18:30:00+08:00');
    expect(at(dayClosing(calendar, [HOURS, SATURDAY], '2025-10-18', ZONE))).toBe('2025-10-18T12:00:00+08:00');
    expect(dayClosing(calendar, [HOURS], '2025-10-01', ZONE)).toBeNull(); // National Day
  });
});
