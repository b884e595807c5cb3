// The day's sweep (日终清号): tickets still waiting, called or being served when the hall's day is over
// are ended, so nobody carries over into the next day's line and the "my ticket" page does not show a
// dead number as waiting. A timer per hall and day, scheduled by the day's first ticket, fires once across
// nodes (src/jobs) at closing plus the hall's `sweepAfterMinutes`, in which windows may still serve the
// people left in line (延时服务).
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import type { HallHours, WorkingCalendar } from '../calendar/index.js';
import { readCalendar } from '../calendar/service.js';
import { scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { halls, windows } from '../org/tables.js';
import { QUEUE_CHANNEL } from './display.js';
import { dayClosing } from './opening.js';
import { queueSettingsOf, type QueueSettings } from './schemas.js';
import { TICKET_STATUSES, move } from './states.js';

export const QUEUE_SWEEP = 'queue.sweep';

/** The reason recorded on the `cancelled` event of a ticket the sweep ended. */
export const DAY_CLOSED = 'day_closed';

/** When the sweep of a local date runs: closing (of the hall or its latest window) plus the hall's grace. */
export function sweepDue(
  calendar: WorkingCalendar,
  hoursList: readonly HallHours[],
  date: string,
  zone: string,
  settings: Pick<QueueSettings, 'sweepAfterMinutes'>,
): Date | null {
  const closing = dayClosing(calendar, hoursList, date, zone);
  return closing === null ? null : new Date(closing + settings.sweepAfterMinutes * 60_000);
}

const SWEPT: string[] = TICKET_STATUSES.filter((s) => move(s, 'sweep') !== null);

/**
 * Ends the hall's unfinished tickets of `date` and any earlier day (a day whose sweep never ran), each
 * with a `cancelled` event giving the reason and an audit row; returns how many.
 */
async function sweepDay(tx: Db, hallId: string, date: string, now: Date): Promise<number> {
  const result = await tx.execute(sql`
    with open as (
      select id, status from tickets
      where hall_id = ${hallId} and local_date <= ${date}::date and status = any(${`{${SWEPT.join(',')}}`}::text[])
      order by seq
      for update
    ), ended as (
      update tickets t set status = ${move('waiting', 'sweep')}, finished_at = ${now}::timestamptz
      from open o where t.id = o.id
      returning t.id, t.hall_id, t.number, t.service_id, t.priority, t.window_id, t.staff_id, o.status as was
    ), logged as (
      insert into ticket_events (hall_id, ticket_id, type, at, service_id, window_id, staff_id, priority, details)
      select hall_id, id, 'cancelled', ${now}::timestamptz, service_id,
             case when was = 'waiting' then null else window_id end, case when was = 'waiting' then null else staff_id end,
             priority, jsonb_build_object('reason', ${DAY_CLOSED}::text, 'status', was)
      from ended
    ), audited as (
      insert into audit_events (hall_id, actor_name, action, entity_type, entity_id, before, after)
      select hall_id, '系统', 'ticket.sweep', 'ticket', id::text, jsonb_build_object('status', was, 'number', number),
             jsonb_build_object('status', 'cancelled', 'reason', ${DAY_CLOSED}::text)
      from ended
    ), signalled as (
      select pg_notify(${QUEUE_CHANNEL}, jsonb_build_object('hallId', ${hallId}::text)::text) where exists (select 1 from ended)
    )
    select (select count(*)::int from ended) as swept, (select count(*) from signalled) as signals`);
  return Number((result as unknown as { rows: { swept: number }[] }).rows[0]?.swept ?? 0);
}

export function queueTimerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  return {
    [QUEUE_SWEEP]: async (tx, timer) => {
      const date = timer.key.slice(timer.key.lastIndexOf(':') + 1);
      const [hall] = await tx
        .select({ zone: halls.timeZone, hours: halls.hours, queue: sql<unknown>`${halls.settings}->'queue'` })
        .from(halls)
        .where(eq(halls.id, timer.hallId));
      if (!hall) return;
      const own = await tx.select({ hours: windows.hours }).from(windows).where(and(eq(windows.hallId, timer.hallId), isNotNull(windows.hours)));
      const calendar = await readCalendar(tx, timer.hallId);
      const now = ctx.clock.now();
      // The hours may have been extended since the day's first ticket: then the sweep waits for the new closing.
      const due = sweepDue(calendar, [hall.hours, ...own.map((w) => w.hours!)], date, hall.zone, queueSettingsOf(hall.queue));
      if (due && due.getTime() > now.getTime()) {
        await scheduleTimer(tx, { hallId: timer.hallId, kind: QUEUE_SWEEP, key: timer.key, dueAt: due });
        return;
      }
      await sweepDay(tx, timer.hallId, date, now);
    },
  };
}
