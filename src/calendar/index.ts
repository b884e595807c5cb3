// The hall's working-day calendar, opening hours, deadlines and lights: pure rules, no I/O.
export * from './dates.js';
export { HOLIDAY_SOURCE, KNOWN_YEARS, type DayKind } from './holidays.js';
export * from './working-calendar.js';
export * from './zone.js';
export * from './hours.js';
export * from './deadline.js';
export * from './lights.js';
