// Queue statistics from the ticket event log, in one pass over the events in the order they were written.
//
// A visit is one call at a window: waiting = from entering the line (issued, transferred, restored) to
// the call; walk = call to start; service = start (or the call, when staff did not press start) to
// finished or transferred. A miss counts as a no-show unless the ticket was restored; a ticket the day's
// sweep ended (a `cancelled` event with reason `day_closed`) counts as unserved. Idle time of a
// staff member or a window = time from the end of a visit (or a resume) to the next call, within one
// local day, leaving out pauses.
import { toLocal } from '../calendar/index.js';
import { DAY_CLOSED } from './sweep.js';
import type { TicketEventType } from './tables.js';

export interface StatEvent {
  ticketId: string | null;
  type: TicketEventType;
  at: number;
  serviceId: string | null;
  windowId: string | null;
  staffId: string | null;
  /** Why a ticket was cancelled (`details.reason`), if recorded. */
  reason?: string | null;
}

/** What is counted of tickets, in a tally and in its summary alike. */
interface Counts {
  tickets: number;
  called: number;
  served: number;
  unserved: number;
  noShows: number;
  transferred: number;
}

export interface Tally extends Counts {
  waitMs: number[];
  walkMs: number[];
  serviceMs: number[];
  idleMs: number;
}

export interface RawStats {
  totals: Tally;
  byService: Map<string, Tally>;
  byWindow: Map<string, Tally>;
  byStaff: Map<string, Tally>;
  byHour: Map<number, Tally>;
}

const emptyTally = (): Tally => ({ tickets: 0, called: 0, served: 0, unserved: 0, noShows: 0, transferred: 0, waitMs: [], walkMs: [], serviceMs: [], idleMs: 0 });

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) {
    t = emptyTally();
    map.set(key, t);
  }
  return t;
}

interface Visit {
  calledAt: number;
  startedAt: number | null;
  serviceId: string | null;
  windowId: string | null;
  staffId: string | null;
}

interface TicketState {
  queuedAt: number | null;
  visit: Visit | null;
  /** The tallies a miss was counted in, taken back if the ticket is restored. */
  missedIn: Tally[] | null;
}

/** Tracks "free since" per key and day and adds the gaps to the key's idle time. */
class IdleClock {
  readonly #freeSince = new Map<string, { at: number; day: string }>();
  constructor(private readonly tallies: (key: string) => Tally) {}
  free(key: string | null, at: number, day: string) {
    if (key) this.#freeSince.set(key, { at, day });
  }
  busy(key: string | null, at: number, day: string) {
    if (!key) return;
    const since = this.#freeSince.get(key);
    if (since && since.day === day) this.tallies(key).idleMs += at - since.at;
    this.#freeSince.delete(key);
  }
}

export function computeStats(events: readonly StatEvent[], zone: string): RawStats {
  const stats: RawStats = { totals: emptyTally(), byService: new Map(), byWindow: new Map(), byStaff: new Map(), byHour: new Map() };
  const ticketStates = new Map<string, TicketState>();
  const staffIdle = new IdleClock((k) => tallyOf(stats.byStaff, k));
  const windowIdle = new IdleClock((k) => tallyOf(stats.byWindow, k));

  const talliesFor = (serviceId: string | null, windowId: string | null, staffId: string | null, at: number): Tally[] => {
    const list = [stats.totals, tallyOf(stats.byHour, Math.floor(toLocal(at, zone).minute / 60))];
    if (serviceId) list.push(tallyOf(stats.byService, serviceId));
    if (windowId) list.push(tallyOf(stats.byWindow, windowId));
    if (staffId) list.push(tallyOf(stats.byStaff, staffId));
    return list;
  };

  /** A visit counts where and when it was called. */
  const visitTallies = (v: Visit) => talliesFor(v.serviceId, v.windowId, v.staffId, v.calledAt);

  const endVisit = (visit: Visit, at: number, day: string) => {
    const service = at - (visit.startedAt ?? visit.calledAt);
    for (const t of visitTallies(visit)) t.serviceMs.push(service);
    staffIdle.free(visit.staffId, at, day);
    windowIdle.free(visit.windowId, at, day);
  };

  /** Ends the ticket's visit under way, if any, counted as served or transferred. */
  const closeVisit = (state: TicketState, outcome: 'served' | 'transferred', at: number, day: string) => {
    if (!state.visit) return;
    for (const t of visitTallies(state.visit)) t[outcome]++;
    endVisit(state.visit, at, day);
    state.visit = null;
  };

  for (const e of events) {
    const day = toLocal(e.at, zone).date;
    if (e.type === 'paused' || e.type === 'resumed') {
      const clock = e.type === 'paused' ? 'busy' : 'free';
      staffIdle[clock](e.staffId, e.at, day);
      windowIdle[clock](e.windowId, e.at, day);
      continue;
    }
    if (!e.ticketId) continue;
    let state = ticketStates.get(e.ticketId);
    if (!state) {
      state = { queuedAt: null, visit: null, missedIn: null };
      ticketStates.set(e.ticketId, state);
    }
    switch (e.type) {
      case 'issued':
        state.queuedAt = e.at;
        for (const t of talliesFor(e.serviceId, null, null, e.at)) t.tickets++;
        break;
      case 'called': {
        const tallies = talliesFor(e.serviceId, e.windowId, e.staffId, e.at);
        for (const t of tallies) {
          t.called++;
          if (state.queuedAt !== null) t.waitMs.push(e.at - state.queuedAt);
        }
        state.queuedAt = null;
        state.visit = { calledAt: e.at, startedAt: null, serviceId: e.serviceId, windowId: e.windowId, staffId: e.staffId };
        staffIdle.busy(e.staffId, e.at, day);
        windowIdle.busy(e.windowId, e.at, day);
        break;
      }
      case 'started':
        if (state.visit) {
          state.visit.startedAt = e.at;
          const v = state.visit;
          for (const t of visitTallies(v)) t.walkMs.push(e.at - v.calledAt);
        }
        break;
      case 'finished':
        closeVisit(state, 'served', e.at, day);
        break;
      case 'skipped':
        if (state.visit) {
          const v = state.visit;
          state.missedIn = visitTallies(v);
          for (const t of state.missedIn) t.noShows++;
          staffIdle.free(v.staffId, e.at, day);
          windowIdle.free(v.windowId, e.at, day);
          state.visit = null;
        }
        break;
      case 'restored':
        for (const t of state.missedIn ?? []) t.noShows--;
        state.missedIn = null;
        state.queuedAt = e.at;
        break;
      case 'transferred':
        closeVisit(state, 'transferred', e.at, day);
        state.queuedAt = e.at;
        break;
      case 'cancelled':
        if (e.reason === DAY_CLOSED) {
          const v = state.visit;
          for (const t of talliesFor(e.serviceId, v?.windowId ?? null, v?.staffId ?? null, v?.calledAt ?? e.at)) t.unserved++;
          if (v) {
            staffIdle.free(v.staffId, e.at, day);
            windowIdle.free(v.windowId, e.at, day);
          }
        }
        state.visit = null;
        break;
      default:
        break;
    }
  }
  return stats;
}

export interface Summary extends Counts {
  avgWaitMinutes: number | null;
  maxWaitMinutes: number | null;
  avgWalkMinutes: number | null;
  avgServiceMinutes: number | null;
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;
const avg = (list: number[]) => (list.length ? minutes(list.reduce((a, b) => a + b, 0) / list.length) : null);

/** Counts and averages in minutes, one decimal. */
export function summarize(t: Tally): Summary {
  return {
    tickets: t.tickets,
    called: t.called,
    served: t.served,
    unserved: t.unserved,
    noShows: t.noShows,
    transferred: t.transferred,
    avgWaitMinutes: avg(t.waitMs),
    maxWaitMinutes: t.waitMs.length ? minutes(t.waitMs.reduce((a, b) => Math.max(a, b))) : null,
    avgWalkMinutes: avg(t.walkMs),
    avgServiceMinutes: avg(t.serviceMs),
  };
}

export const idleMinutes = (t: Tally) => minutes(t.idleMs);
