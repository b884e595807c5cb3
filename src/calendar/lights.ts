// Red/yellow lights (红黄灯) of a case, counted in working minutes before its deadline: yellow half a
// working day before, a reminder two working hours before the yellow, red once overdue. Because lights
// follow the working clock, a light does not change overnight or over a weekend, and nextLightChange
// gives the exact instant of the next change, so a case can be re-checked then instead of by polling.
import { MINUTE_MS } from './dates.js';
import { instantAtWorkingClock, workingClockAt } from './deadline.js';
import { compileHours, type HallHours } from './hours.js';
import type { WorkingCalendar } from './working-calendar.js';
import { HALL_ZONE } from './zone.js';

export type Light = 'green' | 'reminder' | 'yellow' | 'red';

/** Hall settings, in working minutes. */
export interface LightSettings {
  /** Yellow this long before the deadline (default 240: half of an 8-hour working day). */
  yellowBeforeMinutes: number;
  /** Reminder this long before the yellow. */
  reminderBeforeYellowMinutes: number;
}

export const DEFAULT_LIGHT_SETTINGS: Readonly<LightSettings> = {
  yellowBeforeMinutes: 240,
  reminderBeforeYellowMinutes: 120,
};

/** Half of a working day of these hours, a natural yellowBeforeMinutes for halls not open 8 hours. */
export function halfWorkingDayMinutes(hours: HallHours): number {
  return compileHours(hours).workdayMs / MINUTE_MS / 2;
}

function thresholdsMs(settings: LightSettings): { yellow: number; reminder: number } {
  const { yellowBeforeMinutes: y, reminderBeforeYellowMinutes: r } = settings;
  if (!(Number.isFinite(y) && y >= 0 && Number.isFinite(r) && r >= 0)) {
    throw new RangeError('红黄灯提前量须为不小于 0 的工作分钟数');
  }
  return { yellow: Math.round(y * MINUTE_MS), reminder: Math.round((y + r) * MINUTE_MS) };
}

// Light for the working time left before the deadline; each threshold is reached when the time left
// equals it (inclusive), so the change instant is a real instant, not "just after" one.
function lightFor(remaining: number, t: { yellow: number; reminder: number }): Light {
  if (remaining <= t.yellow) return 'yellow';
  return remaining <= t.reminder ? 'reminder' : 'green';
}

/** The light at `nowMs` of a case due at `deadlineMs`: red when now is after the deadline. */
export function lightAt(
  calendar: WorkingCalendar,
  hours: HallHours,
  deadlineMs: number,
  nowMs: number,
  settings: LightSettings = DEFAULT_LIGHT_SETTINGS,
  zone: string = HALL_ZONE,
): Light {
  const t = thresholdsMs(settings);
  if (nowMs > deadlineMs) return 'red';
  const c = compileHours(hours);
  return lightFor(workingClockAt(calendar, c, deadlineMs, zone) - workingClockAt(calendar, c, nowMs, zone), t);
}

export interface LightChange {
  light: Light;
  at: number;
}

/** The next change of light after `nowMs` and the light from then on; null once red (red never ends). */
export function nextLightChange(
  calendar: WorkingCalendar,
  hours: HallHours,
  deadlineMs: number,
  nowMs: number,
  settings: LightSettings = DEFAULT_LIGHT_SETTINGS,
  zone: string = HALL_ZONE,
): LightChange | null {
  const t = thresholdsMs(settings);
  if (nowMs > deadlineMs) return null;
  const c = compileHours(hours);
  const deadlineClock = workingClockAt(calendar, c, deadlineMs, zone);
  const current = lightFor(deadlineClock - workingClockAt(calendar, c, nowMs, zone), t);
  if (current === 'yellow') return { light: 'red', at: deadlineMs + 1 };
  const threshold = current === 'green' ? t.reminder : t.yellow;
  return {
    light: lightFor(threshold, t),
    at: instantAtWorkingClock(calendar, c, deadlineClock - threshold, zone),
  };
}
