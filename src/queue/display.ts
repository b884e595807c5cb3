// Hall screens: the display state, and the Server-Sent Events hub that feeds them.
//
// Every queue change sends a pg_notify inside its transaction, so it goes out at commit and reaches every
// app node listening on the same database (PGlite in one process, PostgreSQL across nodes). Each node
// forwards a call to its connected screens at once, then sends the refreshed state, loaded once per hall
// however many screens are connected.
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';
import { formatInstant } from '../calendar/index.js';
import { services, windows } from '../org/tables.js';
import type { DisplayCall, DisplayState } from './schemas.js';
import { ticketEvents, tickets } from './tables.js';
import { outer } from './views.js';

export const QUEUE_CHANNEL = 'onewindow_queue';

export type QueueSignal = { hallId: string; call?: DisplayCall; windowId?: string };

/** The notification as a SELECT, for a statement that writes and signals in one round trip. */
const signalSql = (signal: QueueSignal) => sql`select pg_notify(${QUEUE_CHANNEL}, ${JSON.stringify(signal)})`;

/** Announces a change to every node's screens once the caller's transaction commits. */
export async function signalQueue(tx: Db, signal: QueueSignal): Promise<void> {
  await tx.execute(signalSql(signal));
}

export interface DisplayScope {
  hallId: string;
  hallName: string;
  zone: string;
  today: string;
  /** Start of the local day, for today's calls. */
  dayStart: Date;
  now: Date;
}

const RECENT_CALLS = 10;

export async function loadDisplayState(db: Db, scope: DisplayScope): Promise<DisplayState> {
  const { hallId, today } = scope;
  const waitingForWindow = sql<number>`(
    select count(*)::int from tickets t2
    where t2.hall_id = ${hallId} and t2.local_date = ${today} and t2.status = 'waiting'
      and t2.service_id in (select ws.service_id from window_services ws where ws.window_id = ${outer(windows.id)})
      and (t2.target_window_id is null or t2.target_window_id = ${outer(windows.id)}))`;
  const [windowRows, calls, waiting] = await Promise.all([
    db
      .select({
        id: windows.id,
        number: windows.number,
        name: windows.name,
        status: windows.status,
        pauseReason: windows.pauseReason,
        ticketNumber: tickets.number,
        ticketStatus: tickets.status,
        calledAt: tickets.calledAt,
        serviceName: services.name,
        waiting: waitingForWindow,
      })
      .from(windows)
      .leftJoin(tickets, and(eq(tickets.windowId, windows.id), inArray(tickets.status, ['called', 'serving']), eq(tickets.localDate, today)))
      .leftJoin(services, eq(services.id, tickets.serviceId))
      .where(eq(windows.hallId, hallId))
      .orderBy(asc(windows.number)),
    db
      .select({
        type: ticketEvents.type,
        at: ticketEvents.at,
        number: tickets.number,
        windowId: windows.id,
        windowName: windows.name,
        windowNumber: windows.number,
        serviceName: services.name,
      })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .innerJoin(windows, eq(windows.id, ticketEvents.windowId))
      .innerJoin(services, eq(services.id, ticketEvents.serviceId))
      .where(and(eq(ticketEvents.hallId, hallId), inArray(ticketEvents.type, ['called', 'recalled']), gte(ticketEvents.at, scope.dayStart)))
      .orderBy(desc(ticketEvents.id))
      .limit(RECENT_CALLS),
    db
      .select({
        serviceCode: services.code,
        serviceName: services.name,
        prefix: services.queuePrefix,
        waiting: sql<number>`count(${tickets.id})::int`,
      })
      .from(services)
      .leftJoin(tickets, and(eq(tickets.serviceId, services.id), eq(tickets.status, 'waiting'), eq(tickets.localDate, today)))
      .where(and(eq(services.hallId, hallId), sql`exists (select 1 from window_services ws where ws.service_id = ${outer(services.id)})`))
      .groupBy(services.code, services.name, services.queuePrefix)
      .orderBy(asc(services.code)),
  ]);
  const at = (d: Date) => formatInstant(d.getTime(), scope.zone);
  return {
    hallName: scope.hallName,
    at: at(scope.now),
    windows: windowRows.map((w) => ({
      id: w.id,
      number: w.number,
      name: w.name,
      status: w.status,
      pauseReason: w.pauseReason,
      current:
        w.ticketNumber && w.ticketStatus
          ? { number: w.ticketNumber, status: w.ticketStatus, calledAt: w.calledAt ? at(w.calledAt) : null, serviceName: w.serviceName ?? '' }
          : null,
      waiting: Number(w.waiting),
    })),
    recentCalls: calls.map((c) => ({
      number: c.number,
      windowName: c.windowName,
      windowNumber: c.windowNumber,
      windowId: c.windowId,
      serviceName: c.serviceName,
      calledAt: at(c.at),
      recall: c.type === 'recalled',
    })),
    waiting: waiting.map((w) => ({ ...w, waiting: Number(w.waiting) })),
  };
}

export interface Screen {
  hallId: string;
  /** A window's small screen hears only that window's calls. */
  windowId: string | null;
  /** The hub encodes an event once and hands every screen the same bytes. */
  write(chunk: string | Buffer): void;
  end(): void;
}

export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const PING = Buffer.from(': ping\n\n');

export interface DisplayHubOptions {
  heartbeatMs?: number;
  /** Changes within this many ms are sent as one state refresh. */
  refreshDelayMs?: number;
  onError?: (err: unknown) => void;
}

/** One per app node: listens once and fans out to this node's screens. */
export function createDisplayHub(
  database: Database,
  loadState: (hallId: string) => Promise<DisplayState>,
  options: DisplayHubOptions = {},
) {
  const screens = new Map<string, Set<Screen>>();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let listening: Promise<() => Promise<void>> | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let closed = false;

  const each = (hallId: string, fn: (s: Screen) => void) => {
    for (const screen of screens.get(hallId) ?? []) {
      try {
        fn(screen);
      } catch (err) {
        options.onError?.(err);
      }
    }
  };

  function refreshSoon(hallId: string) {
    if (pending.has(hallId) || !screens.get(hallId)?.size) return;
    pending.set(
      hallId,
      setTimeout(async () => {
        pending.delete(hallId);
        if (closed || !screens.get(hallId)?.size) return;
        try {
          const state = await loadState(hallId);
          const chunk = Buffer.from(sseEvent('state', state) + sseEvent('waiting', { waiting: state.waiting }));
          each(hallId, (s) => s.write(chunk));
        } catch (err) {
          options.onError?.(err);
        }
      }, options.refreshDelayMs ?? 100),
    );
  }

  function onSignal(payload: string) {
    let signal: QueueSignal;
    try {
      signal = JSON.parse(payload) as QueueSignal;
    } catch {
      return;
    }
    const call = signal.call;
    if (call) {
      const chunk = Buffer.from(sseEvent('call', call));
      each(signal.hallId, (s) => (s.windowId === null || s.windowId === call.windowId) && s.write(chunk));
    }
    refreshSoon(signal.hallId);
  }

  return {
    /** Resolves once this node listens, so a screen added now misses no later call. */
    async add(screen: Screen): Promise<void> {
      listening ??= database.listen(QUEUE_CHANNEL, onSignal);
      await listening;
      heartbeat ??= setInterval(() => {
        for (const set of screens.values()) for (const s of set) s.write(PING);
      }, options.heartbeatMs ?? 15_000);
      heartbeat.unref?.();
      let set = screens.get(screen.hallId);
      if (!set) screens.set(screen.hallId, (set = new Set()));
      set.add(screen);
    },
    remove(screen: Screen) {
      screens.get(screen.hallId)?.delete(screen);
    },
    count: () => [...screens.values()].reduce((n, s) => n + s.size, 0),
    async close() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      for (const timer of pending.values()) clearTimeout(timer);
      for (const set of screens.values()) for (const s of set) s.end();
      screens.clear();
      if (listening) await (await listening)();
    },
  };
}
export type DisplayHub = ReturnType<typeof createDisplayHub>;
