// When tickets can be taken for a service: while at least one of its windows is open and not inside the
// ticket cut-off before that session ends. Windows may keep their own hours (Saturday service), so a
// service is judged by the union of its windows' hours.
import {
  fromLocal,
  nextOpening,
  sessionsOn,
  ticketsOpenAt,
  toLocal,
  type HallHours,
  type WorkingCalendar,
} from '../calendar/index.js';

const minuteOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

// A session shorter than the cut-off never takes tickets; this bounds the search over such sessions.
const MAX_SESSIONS_SEARCHED = 1000;

/** The first instant at or after `ms` at which tickets can be taken under `hours`; null if none is found. */
export function nextTicketOpening(calendar: WorkingCalendar, hours: HallHours, ms: number, zone: string): number | null {
  let t = ms;
  for (let i = 0; i < MAX_SESSIONS_SEARCHED; i++) {
    const open = nextOpening(calendar, hours, t, zone);
    if (open === null) return null;
    if (ticketsOpenAt(calendar, hours, open, zone)) return open;
    // Open, but inside the cut-off: the next chance is after this session ends.
    const local = toLocal(open, zone);
    const session = sessionsOn(calendar, hours, local.date).find(
      ([start, end]) => minuteOf(start) <= local.minute && local.minute < minuteOf(end),
    );
    if (!session) return null;
    t = fromLocal(local.date, minuteOf(session[1]), zone);
  }
  return null;
}

export type TicketAvailability = { open: true } | { open: false; nextOpening: number | null };

/** Whether a ticket can be taken now under any of the given hours, else when it next can. */
export function ticketAvailability(
  calendar: WorkingCalendar,
  hoursList: readonly HallHours[],
  ms: number,
  zone: string,
): TicketAvailability {
  if (hoursList.some((hours) => ticketsOpenAt(calendar, hours, ms, zone))) return { open: true };
  let next: number | null = null;
  for (const hours of hoursList) {
    const candidate = nextTicketOpening(calendar, hours, ms, zone);
    if (candidate !== null && (next === null || candidate < next)) next = candidate;
  }
  return { open: false, nextOpening: next };
}

/** The hours with a service's own cut-off, when the hall set one for it. */
export function withCutoff(hours: HallHours, cutoffMinutes: number | undefined): HallHours {
  return cutoffMinutes === undefined || cutoffMinutes === hours.ticketCutoffMinutes ? hours : { ...hours, ticketCutoffMinutes: cutoffMinutes };
}

/**
 * When the hall closes on a local date: the latest end of any session under the given hours (the hall's
 * and those of windows keeping their own), as an instant; null when none is open that day.
 */
export function dayClosing(calendar: WorkingCalendar, hoursList: readonly HallHours[], date: string, zone: string): number | null {
  const ends = hoursList.flatMap((hours) => sessionsOn(calendar, hours, date).map(([, end]) => minuteOf(end)));
  return ends.length === 0 ? null : fromLocal(date, Math.max(...ends), zone);
}
