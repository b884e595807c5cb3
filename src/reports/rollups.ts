// Daily roll-ups of cases and of the queue (tables in migrations/0010_reports.sql): each closed day is
// summed once into report_case_days and report_queue_days by the very SELECT that reads the running day
// live, so a figure is the same whether it comes from the roll-up or from the event tables. Derived and
// rebuildable: `rebuild` replaces a day's rows.
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { fromLocal } from '../calendar/index.js';
import { datesBetween, today, type HallContext } from '../staff/hall.js';
import { reportDays } from './tables.js';
import { rowsOf } from '../db/reads.js';

export interface CaseDayRow {
  local_date: string;
  department_id: string;
  window_id: string | null;
  handler_id: string | null;
  accepted_kind: 'immediate' | 'promised' | 'joint';
  accepted: number;
  finished: number;
  with_deadline: number;
  on_time: number;
}

export interface QueueDayRow {
  local_date: string;
  window_id: string | null;
  hour: number;
  issued: number;
  called: number;
  wait_s: number;
  served: number;
  service_s: number;
  consultations: number;
}


interface Span {
  from: string;
  to: string;
  start: string;
  end: string;
}
const spanOf = (h: HallContext, from: string, to: string): Span => ({
  from,
  to,
  start: new Date(fromLocal(from, 0, h.zone)).toISOString(),
  end: new Date(fromLocal(to, 1440, h.zone)).toISOString(),
});

/** Accepted (受理: the clock started) and finished (办结: completed or delivered) cases by local date and keys. */
function caseSelect(hallId: string, zone: string, s: Span): SQL {
  return sql`
    select ${hallId}::uuid as hall_id, d as local_date, department_id, window_id, handler_id, accepted_kind,
           sum(accepted)::int as accepted, sum(finished)::int as finished, sum(with_deadline)::int as with_deadline, sum(on_time)::int as on_time
    from (
      select (accepted_at at time zone ${zone})::date as d, department_id, window_id, handler_id, accepted_kind, 1 as accepted, 0 as finished, 0 as with_deadline, 0 as on_time
      from cases where hall_id = ${hallId} and accepted_at >= ${s.start} and accepted_at < ${s.end}
      union all
      select (finished_at at time zone ${zone})::date, department_id, window_id, handler_id, accepted_kind, 0, 1,
             (deadline_at is not null)::int, coalesce((finished_at <= deadline_at)::int, 0)
      from cases where hall_id = ${hallId} and finished_at >= ${s.start} and finished_at < ${s.end} and status in ('completed', 'delivered')
    ) x
    group by d, department_id, window_id, handler_id, accepted_kind`;
}

/**
 * Tickets by local date, window and hour of issue (waiting = issued to called, service = started, or
 * called, to finished), and consultations (咨询): visits finished at a window whose ticket led to no case.
 */
function queueSelect(hallId: string, zone: string, s: Span): SQL {
  return sql`
    select ${hallId}::uuid as hall_id, d as local_date, window_id, hour, sum(issued)::int as issued, sum(called)::int as called, sum(wait_s)::float8 as wait_s,
           sum(served)::int as served, sum(service_s)::float8 as service_s, sum(consultations)::int as consultations
    from (
      select local_date as d, window_id, extract(hour from issued_at at time zone ${zone})::int as hour, 1 as issued, (called_at is not null)::int as called,
             coalesce(extract(epoch from called_at - issued_at), 0) as wait_s, (finished_at is not null)::int as served,
             coalesce(extract(epoch from finished_at - coalesce(started_at, called_at)), 0) as service_s, 0 as consultations
      from tickets where hall_id = ${hallId} and local_date >= ${s.from} and local_date <= ${s.to}
      union all
      select (e.at at time zone ${zone})::date, e.window_id, extract(hour from e.at at time zone ${zone})::int, 0, 0, 0, 0, 0, 1
      from ticket_events e
      where e.hall_id = ${hallId} and e.at >= ${s.start} and e.at < ${s.end} and e.type = 'finished' and e.window_id is not null
        and not exists (select 1 from cases c where c.ticket_id = e.ticket_id)
    ) x
    group by d, window_id, hour`;
}

/** Builds (or rebuilds) one day's roll-ups in one transaction. */
export async function rebuildDay(db: Db, h: HallContext, date: string, now: Date): Promise<void> {
  const s = spanOf(h, date, date);
  await db.transaction(async (tx) => {
    // Two readers building the same day wait for each other; the second replaces the first's rows.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rollup:${h.hallId}:${date}`}))`);
    await tx.execute(sql`delete from report_case_days where hall_id = ${h.hallId} and local_date = ${date}`);
    await tx.execute(sql`delete from report_queue_days where hall_id = ${h.hallId} and local_date = ${date}`);
    await tx.execute(sql`insert into report_case_days (hall_id, local_date, department_id, window_id, handler_id, accepted_kind, accepted, finished, with_deadline, on_time) ${caseSelect(h.hallId, h.zone, s)}`);
    await tx.execute(sql`insert into report_queue_days (hall_id, local_date, window_id, hour, issued, called, wait_s, served, service_s, consultations) ${queueSelect(h.hallId, h.zone, s)}`);
    await tx
      .insert(reportDays)
      .values({ hallId: h.hallId, localDate: date, builtAt: now })
      .onConflictDoUpdate({ target: [reportDays.hallId, reportDays.localDate], set: { builtAt: now } });
  });
}

// Builds under way in this process, so the bulletin's parallel reads build each day once.
const building = new Map<string, Promise<void>>();

/** Builds the closed days in from..to that have no roll-up yet. */
async function ensureBuilt(db: Db, h: HallContext, from: string, lastClosed: string, now: Date) {
  if (lastClosed < from) return;
  const built = new Set(
    (await db.select({ d: reportDays.localDate }).from(reportDays).where(and(eq(reportDays.hallId, h.hallId), gte(reportDays.localDate, from), lte(reportDays.localDate, lastClosed)))).map((r) => r.d),
  );
  for (const date of datesBetween(from, lastClosed)) {
    if (built.has(date)) continue;
    const key = `${h.hallId}:${date}`;
    let job = building.get(key);
    if (!job) {
      job = rebuildDay(db, h, date, now).finally(() => building.delete(key));
      building.set(key, job);
    }
    await job;
  }
}

/**
 * Rows for local dates from..to: closed days from the roll-up (built when missing), today live. `shape`
 * turns the union (a subquery `u` with the table's columns) into the final select; by default every
 * row with its date as text (a driver would turn a date into a Date at the server's local midnight).
 */
async function rolled<T>(
  db: Db,
  h: HallContext,
  from: string,
  to: string,
  now: Date,
  table: 'report_case_days' | 'report_queue_days',
  live: (s: Span) => SQL,
  shape: (union: SQL) => SQL = (union) => sql`select u.*, u.local_date::text as day from (${union}) u`,
): Promise<T[]> {
  const todayDate = today(h, now);
  const lastClosed = to < todayDate ? to : (datesBetween(from, todayDate).at(-2) ?? '');
  await ensureBuilt(db, h, from, lastClosed, now);
  const parts: SQL[] = [];
  if (lastClosed >= from) parts.push(sql`select * from ${sql.raw(table)} where hall_id = ${h.hallId} and local_date >= ${from} and local_date <= ${lastClosed}`);
  if (from <= todayDate && todayDate <= to) parts.push(live(spanOf(h, todayDate, todayDate)));
  if (parts.length === 0) return [];
  return rowsOf<T>(await db.execute(shape(sql.join(parts, sql` union all `))));
}

const withDay = <T>(rows: (T & { day: string })[]): T[] => rows.map((r) => ({ ...r, local_date: r.day }));

export const caseDays = async (db: Db, h: HallContext, from: string, to: string, now: Date) =>
  withDay(await rolled<CaseDayRow & { day: string }>(db, h, from, to, now, 'report_case_days', (s) => caseSelect(h.hallId, h.zone, s)));

/** Consultations per window over the range, summed in the database. */
export async function consultationRows(db: Db, h: HallContext, from: string, to: string, now: Date) {
  return rolled<{ window_id: string; consultations: number }>(db, h, from, to, now, 'report_queue_days', (s) => queueSelect(h.hallId, h.zone, s), (u) =>
    sql`select window_id, sum(consultations)::int as consultations from (${u}) u where window_id is not null group by window_id having sum(consultations) > 0`,
  );
}

/** The queue by date and hour over the range (windows summed in the database). */
export async function queueHours(db: Db, h: HallContext, from: string, to: string, now: Date) {
  return rolled<Omit<QueueDayRow, 'window_id'>>(db, h, from, to, now, 'report_queue_days', (s) => queueSelect(h.hallId, h.zone, s), (u) =>
    sql`select u.local_date::text as local_date, hour, sum(issued)::int as issued, sum(called)::int as called, sum(wait_s)::float8 as wait_s,
               sum(served)::int as served, sum(service_s)::float8 as service_s, sum(consultations)::int as consultations
        from (${u}) u group by u.local_date, hour`,
  );
}
