// Extended services found in the queue's event log, kept per day in `extended_services`: a roll-up that
// is derived and rebuildable. A finished day is scanned once (on first read); today is computed live and
// never stored, since it is still changing.
import { and, asc, eq, gte, inArray, lt, lte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { fromLocal } from '../calendar/index.js';
import { createCalendarService } from '../calendar/service.js';
import { ticketEvents } from '../queue/tables.js';
import { extendedStretches, outsideHours, visitsFromEvents, type Stretch } from './extended.js';
import { datesBetween, daySessions, loadHall, today, type HallContext } from './hall.js';
import { extendedServiceDays, extendedServices } from './tables.js';

export interface ExtendedRow {
  localDate: string;
  userId: string;
  windowId: string | null;
  kind: 'lunch' | 'after_close';
  startedAt: Date;
  endedAt: Date;
  minutes: number;
  visits: number;
}

const VISIT_EVENTS = ['called', 'started', 'finished', 'transferred', 'skipped', 'cancelled'] as const;

export function createExtendedService(ctx: AppContext) {
  const { db, clock } = ctx;
  const calendars = createCalendarService(ctx);

  async function detect(q: Db, h: HallContext, date: string): Promise<Stretch[]> {
    const start = new Date(fromLocal(date, 0, h.zone));
    const end = new Date(fromLocal(date, 1440, h.zone));
    const events = await q
      .select({ ticketId: ticketEvents.ticketId, type: ticketEvents.type, at: ticketEvents.at, windowId: ticketEvents.windowId, staffId: ticketEvents.staffId })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.hallId, h.hallId), gte(ticketEvents.at, start), lt(ticketEvents.at, end), inArray(ticketEvents.type, [...VISIT_EVENTS])))
      .orderBy(asc(ticketEvents.id));
    const visits = visitsFromEvents(events.map((e) => ({ ...e, at: e.at.getTime() })));
    const outside = new Map<string | null, ReturnType<typeof outsideHours>>();
    const outsideOf = (windowId: string | null) => {
      let o = outside.get(windowId);
      if (!o) outside.set(windowId, (o = outsideHours(daySessions(h, date, windowId), end.getTime())));
      return o;
    };
    return extendedStretches(visits, outsideOf, h.settings);
  }

  const toRow = (date: string, s: Stretch): ExtendedRow => ({
    localDate: date,
    userId: s.staffId,
    windowId: s.windowId,
    kind: s.kind,
    startedAt: new Date(s.from),
    endedAt: new Date(s.to),
    minutes: s.minutes,
    visits: s.visits,
  });

  const service = {
    /** Rebuilds one finished day's rows from the event log (inside `q`'s transaction when given one). */
    async scanDay(h: HallContext, date: string, q: Db = db): Promise<number> {
      return q.transaction(async (tx) => {
        const found = await detect(tx, h, date);
        await tx.delete(extendedServices).where(and(eq(extendedServices.hallId, h.hallId), eq(extendedServices.localDate, date)));
        if (found.length) await tx.insert(extendedServices).values(found.map((s) => ({ hallId: h.hallId, ...toRow(date, s) })));
        await tx
          .insert(extendedServiceDays)
          .values({ hallId: h.hallId, localDate: date, scannedAt: clock.now() })
          .onConflictDoUpdate({ target: [extendedServiceDays.hallId, extendedServiceDays.localDate], set: { scannedAt: clock.now() } });
        return found.length;
      });
    },

    /** Extended services on local dates from..to: scanned days from the table, unscanned past days scanned now, today live. */
    async between(hallId: string, from: string, to: string, hall?: HallContext): Promise<ExtendedRow[]> {
      const h = hall ?? (await loadHall(db, hallId, calendars.calendarFor));
      const todayDate = today(h, clock.now());
      const last = to < todayDate ? to : todayDate;
      if (from > last) return [];
      const scanned = new Set(
        (
          await db
            .select({ date: extendedServiceDays.localDate })
            .from(extendedServiceDays)
            .where(and(eq(extendedServiceDays.hallId, hallId), gte(extendedServiceDays.localDate, from), lte(extendedServiceDays.localDate, last)))
        ).map((r) => r.date),
      );
      for (const date of datesBetween(from, last)) if (date < todayDate && !scanned.has(date)) await service.scanDay(h, date);
      const rows = await db
        .select()
        .from(extendedServices)
        .where(and(eq(extendedServices.hallId, hallId), gte(extendedServices.localDate, from), lte(extendedServices.localDate, last)))
        .orderBy(asc(extendedServices.startedAt));
      const live = last === todayDate ? (await detect(db, h, todayDate)).map((s) => toRow(todayDate, s)) : [];
      return [...rows, ...live];
    },
  };
  return service;
}
export type ExtendedService = ReturnType<typeof createExtendedService>;
