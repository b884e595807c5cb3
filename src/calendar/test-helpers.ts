// Shared fixtures for the calendar tests (excluded from the build by the test-* pattern).
import type { HallHours } from './hours.js';
import { fromLocal } from './zone.js';

/** An 8-hour day with a lunch break, and Saturday service in the morning. */
export const HOURS: HallHours = {
  workday: [
    ['09:00', '12:00'],
    ['13:00', '17:00'],
  ],
  weekend: [['09:00', '12:00']],
  ticketCutoffMinutes: 30,
};

/** The hall hours of seed 000: Mon-Fri 9:00-11:45 and 13:00-16:45, no weekend service. */
export const SEED_HOURS: HallHours = {
  workday: [
    ['09:00', '11:45'],
    ['13:00', '16:45'],
  ],
  weekend: [],
  ticketCutoffMinutes: 30,
};

/** Instant of a hall-local reading `YYYY-MM-DDTHH:MM[:SS]` in Asia/Shanghai. */
export function local(reading: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(reading);
  if (!m?.[1]) throw new Error(`bad reading ${reading}`);
  return fromLocal(m[1], Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60);
}
