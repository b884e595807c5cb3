// Read side of the queue: a ticket as the visitor and the window see it, people ahead, the estimate.
// A view is one query (the ticket, its steps, people ahead and the estimate's inputs as subqueries):
// visitors' phones poll it, and every window action answers with it.
import { eq, getTableName, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { formatInstant } from '../calendar/index.js';
import { services, windows } from '../org/tables.js';
import { keyring } from '../shared/data-key.js';
import { maskName, maskPhone } from '../shared/identity.js';
import { estimateWaitMinutes } from './estimate.js';
import type { PublicTicket, QueueSettings, StaffTicket } from './schemas.js';
import { tickets, type TicketRow } from './tables.js';

export interface HallQueue {
  hallId: string;
  hallName: string;
  zone: string;
  settings: QueueSettings;
}

/** Recent visits a service's estimate learns from (also in `queue_issue_batch`, migration 0012). */
export const ESTIMATE_SAMPLE = 20;

/**
 * A column written with its table, for correlated subqueries: Drizzle leaves columns unqualified when a
 * query reads one table, and inside a subquery an unqualified name would bind to the inner table.
 */
export const outer = (column: AnyColumn) => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

const orderArray = (order: readonly string[]) => sql`${`{${order.join(',')}}`}::text[]`;

/** Rank of a ticket's class in the hall's order, as SQL (1 = called first). */
export const rankOf = (order: readonly string[], priority: SQL) => sql`array_position(${orderArray(order)}, ${priority})`;

/**
 * Waiting tickets of the same service and day called before the outer `tickets` row under the hall's
 * class order: every higher class, and earlier tickets of its own class. Two counts rather than one
 * with an OR, so each is a range of the waiting-line index. With the starvation guard a normal ticket
 * can in fact be called a little sooner, so for it this errs long, never short.
 */
export const aheadSql = (order: readonly string[]) => {
  const sameLine = sql`a.hall_id = ${outer(tickets.hallId)} and a.local_date = ${outer(tickets.localDate)} and a.status = 'waiting'
    and a.service_id = ${outer(tickets.serviceId)}`;
  const higher = sql`(${orderArray(order)})[1:${rankOf(order, outer(tickets.priority))} - 1]`;
  return sql<number>`(
    (select count(*)::int from tickets a where ${sameLine} and a.priority = any(${higher}))
    + (select count(*)::int from tickets a where ${sameLine} and a.priority = ${outer(tickets.priority)} and a.seq < ${outer(tickets.seq)}))`;
};

export interface Step {
  code: string;
  name: string;
}

/** What the public view of a ticket is made from: a stored ticket's view, or a ticket just written. */
export interface TicketView {
  ticket: Pick<TicketRow, 'id' | 'number' | 'status' | 'priority' | 'issuedAt' | 'calledAt' | 'holderName' | 'skippedAt'>;
  serviceCode: string;
  serviceName: string;
  windowName: string | null;
  windowNumber: number | null;
  done: Step[];
  next: Step[];
  ahead: number;
  samples: number[] | null;
  openWindows: number;
}

async function loadView(tx: Db, hall: HallQueue, id: string) {
  const [row] = await tx
    .select({
      ticket: tickets,
      serviceCode: services.code,
      serviceName: services.name,
      windowName: windows.name,
      windowNumber: windows.number,
      done: sql<Step[]>`(
        select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'name', s.name) order by e.id), '[]'::jsonb)
        from ticket_events e join services s on s.id = e.service_id
        where e.ticket_id = ${outer(tickets.id)} and e.type = 'finished')`,
      next: sql<Step[]>`(
        select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'name', s.name) order by x.ord), '[]'::jsonb)
        from unnest(${outer(tickets.nextServiceIds)}) with ordinality as x(id, ord) join services s on s.id = x.id)`,
      ahead: sql<number>`case when ${tickets.status} = 'waiting' then ${aheadSql(hall.settings.priorityOrder)} else 0 end`,
      samples: sql<number[] | null>`case when ${tickets.status} = 'waiting' then (
        select coalesce(jsonb_agg(r.ms), '[]'::jsonb) from (
          select (e.details->>'serviceMs')::float8 as ms from ticket_events e
          where e.service_id = ${outer(tickets.serviceId)} and e.type = 'finished' order by e.id desc limit ${ESTIMATE_SAMPLE}) r) end`,
      openWindows: sql<number>`(
        select count(*)::int from window_services ws join windows w on w.id = ws.window_id
        where ws.service_id = ${outer(tickets.serviceId)} and w.status = 'open')`,
    })
    .from(tickets)
    .innerJoin(services, eq(services.id, tickets.serviceId))
    .leftJoin(windows, eq(windows.id, tickets.windowId))
    .where(eq(tickets.id, id));
  if (!row) throw new Error(`ticket ${id} vanished`);
  return row;
}

export function toPublic(hall: HallQueue, view: TicketView): PublicTicket {
  const t = view.ticket;
  const ahead = Number(view.ahead);
  const at = (d: Date | null) => (d ? formatInstant(d.getTime(), hall.zone) : null);
  const step = (s: Step, state: 'done' | 'current' | 'next') => ({ serviceCode: s.code, serviceName: s.name, state });
  return {
    id: t.id,
    number: t.number,
    serviceCode: view.serviceCode,
    serviceName: view.serviceName,
    status: t.status,
    priority: t.priority,
    ahead,
    estimatedWaitMinutes:
      t.status === 'waiting'
        ? estimateWaitMinutes(ahead, (view.samples ?? []).map(Number), Number(view.openWindows), hall.settings.defaultServiceMinutes)
        : 0,
    issuedAt: formatInstant(t.issuedAt.getTime(), hall.zone),
    calledAt: at(t.calledAt),
    windowName: view.windowName,
    windowNumber: view.windowNumber,
    holderName: t.holderName ? maskName(t.holderName) : null,
    steps: [
      ...view.done.map((s) => step(s, 'done')),
      ...(t.status === 'done' ? [] : [step({ code: view.serviceCode, name: view.serviceName }, 'current')]),
      ...view.next.map((s) => step(s, 'next')),
    ],
    restorableUntil:
      t.status === 'skipped' && t.skippedAt ? at(new Date(t.skippedAt.getTime() + hall.settings.restoreGraceMinutes * 60_000)) : null,
  };
}

export async function publicTicket(tx: Db, hall: HallQueue, id: string): Promise<PublicTicket> {
  return toPublic(hall, await loadView(tx, hall, id));
}

/** The window's view: the holder's name in full (they stand at the counter), numbers masked. */
export async function staffTicket(tx: Db, hall: HallQueue, id: string): Promise<StaffTicket> {
  const view = await loadView(tx, hall, id);
  const t: TicketRow = view.ticket;
  return {
    ...toPublic(hall, view),
    holderName: t.holderName,
    channel: t.channel,
    idNumber: t.idMasked,
    phone: t.phone ? maskPhone((await keyring(tx)).openOrClear(t.phone)) : null,
    recallCount: t.recallCount,
    recallsLeft: Math.max(0, hall.settings.recallLimit - t.recallCount),
    startedAt: t.startedAt ? formatInstant(t.startedAt.getTime(), hall.zone) : null,
    windowId: t.windowId,
  };
}
