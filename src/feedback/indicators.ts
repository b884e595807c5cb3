// 好差评 indicators by window or department for a month, computed from the same rows the ledgers keep
// (tickets and cases served, invitations, ratings, follow-ups), never from a second copy:
// - coverage of evaluation: services served that were offered a rating channel / services served
// - actual rating rate: services rated / services served
// - satisfaction: (非常满意 + 满意) / ratings counted, and the mean score (5..1)
// - bad reviews handled within the limit: follow-ups closed without ever running late / those closed or late
// - data timeliness: ratings that reached the system in time / all ratings
// Under the Guangdong rule (a hall setting, off by default) a service left unrated for the set natural
// days counts as 基本满意 in satisfaction and the mean, computed here, never stored as a rating.
//
// The database counts, grouped by window and department; only a few hundred rows reach Node (a city
// month has two million services, performance.md). A rating copies its service's window, department and
// finishing time when it is given, and only a finished service can be rated, so the ratings of the
// month's services are the ratings served in the month: "rated" is counted from the ratings alone.
import { and, eq, gte, inArray, isNotNull, lt, lte, notInArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { systemClock } from '../server/clock.js';
import { fromLocal } from '../calendar/index.js';
import { cases } from '../cases/tables.js';
import { OPEN_STATUSES } from '../cases/states.js';
import { departments, halls, services, windows } from '../org/tables.js';
import { tickets } from '../queue/tables.js';
import { parseFeedbackSettings } from './common.js';
import { GRADES, GRADE_SCORES, isBadGrade, isGoodGrade, type IndicatorRow } from './schemas.js';

export type { IndicatorRow } from './schemas.js';
import { complaints, followups, ratings } from './tables.js';

const DAY_MS = 86_400_000;

/** The month's counts of one window and department pair, as the database groups them. */
export interface GroupCounts {
  windowId: string | null;
  departmentId: string | null;
  /** Services given (tickets done, cases finished). */
  served: number;
  /** Of those, the ones unrated long enough to count as 基本满意 (zero unless the Guangdong rule is on). */
  defaultedBasic: number;
  /** Services offered a rating channel (an invitation or a rating). */
  offered: number;
  /** Services rated. */
  rated: number;
  /** Ratings given, of services or of items online, excluded ones included. */
  ratings: number;
  timely: number;
  excluded: number;
  /** Ratings not excluded, with their score sum and the 非常满意 or 满意 ones among them. */
  scored: number;
  scoreSum: number;
  satisfied: number;
  badReviews: number;
  badHandledInTime: number;
  badHandledLate: number;
  badOpen: number;
  complaintsSubstantiated: number;
}

const COUNT_FIELDS = ['served', 'defaultedBasic', 'offered', 'rated', 'ratings', 'timely', 'excluded', 'scored', 'scoreSum', 'satisfied', 'badReviews', 'badHandledInTime', 'badHandledLate', 'badOpen', 'complaintsSubstantiated'] as const;
type Counts = Pick<GroupCounts, (typeof COUNT_FIELDS)[number]>;

const noCounts = (): Counts => Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as Counts;
const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function row(key: string | null, name: string, c: Counts): IndicatorRow {
  // An unrated service counted as 基本满意 joins the ratings counted, with its score.
  const counted = c.scored + c.defaultedBasic;
  return {
    key,
    name,
    served: c.served,
    offered: c.offered,
    rated: c.rated,
    coverage: ratio(c.offered, c.served),
    ratingRate: ratio(c.rated, c.served),
    counted,
    satisfied: c.satisfied,
    satisfaction: ratio(c.satisfied, counted),
    meanScore: counted === 0 ? null : Math.round(((c.scoreSum + c.defaultedBasic * GRADE_SCORES.basic) / counted) * 100) / 100,
    defaultedBasic: c.defaultedBasic,
    excluded: c.excluded,
    badReviews: c.badReviews,
    badHandledInTime: c.badHandledInTime,
    badHandledLate: c.badHandledLate,
    badOpen: c.badOpen,
    badHandledRate: ratio(c.badHandledInTime, c.badHandledInTime + c.badHandledLate),
    timely: c.timely,
    ratings: c.ratings,
    timeliness: ratio(c.timely, c.ratings),
    complaintsSubstantiated: c.complaintsSubstantiated,
  };
}

/** Pure: the indicators of every window (or department) and the total, from the grouped counts. */
export function computeIndicators(groups: readonly Partial<GroupCounts>[], by: 'window' | 'department', names: ReadonlyMap<string, string>): { totals: IndicatorRow; rows: IndicatorRow[] } {
  const sums = new Map<string | null, Counts>();
  const totals = noCounts();
  for (const g of groups) {
    const key = (by === 'window' ? g.windowId : g.departmentId) ?? null;
    let s = sums.get(key);
    if (!s) sums.set(key, (s = noCounts()));
    for (const f of COUNT_FIELDS) {
      s[f] += g[f] ?? 0;
      totals[f] += g[f] ?? 0;
    }
  }
  const nameOf = (key: string | null) => (key === null ? (by === 'window' ? '网上评价及其他' : '未归属部门') : names.get(key) ?? key);
  const rows = [...sums].map(([key, c]) => row(key, nameOf(key), c)).sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.name.localeCompare(b.name, 'zh-CN')));
  return { totals: row(null, '合计', totals), rows };
}

/** The hall-local month `YYYY-MM` as [start, end) instants. */
export function monthRange(month: string, zone: string): [Date, Date] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [new Date(fromLocal(`${month}-01`, 0, zone)), new Date(fromLocal(`${next}-01`, 0, zone))];
}

const count = (where?: SQL) => (where ? sql<number>`(count(*) filter (where ${where}))::int` : sql<number>`count(*)::int`);
const gradeIn = (pick: (g: (typeof GRADES)[number]) => boolean) => inArray(ratings.grade, GRADES.filter(pick));
const score = sql.raw(`case grade ${GRADES.map((g) => `when '${g}' then ${GRADE_SCORES[g]}`).join(' ')} end`);

/** The month's grouped counts of a hall; `dueBefore` is when a service must have been served to count as 基本满意 if unrated (null: rule off). */
async function groupCounts(db: Db, hallId: string, from: Date, to: Date, dueBefore: Date | null): Promise<Partial<GroupCounts>[]> {
  const due = (at: AnyColumn) => (dueBefore ? lte(at, dueBefore) : sql`false`);
  const ticketServed = and(eq(tickets.hallId, hallId), eq(tickets.status, 'done'), gte(tickets.finishedAt, from), lt(tickets.finishedAt, to));
  const caseServed = and(eq(cases.hallId, hallId), notInArray(cases.status, [...OPEN_STATUSES]), isNotNull(cases.finishedAt), gte(cases.finishedAt, from), lt(cases.finishedAt, to));
  const servedAt = sql`coalesce(${ratings.servedAt}, ${ratings.ratedAt})`;
  const monthRatings = and(eq(ratings.hallId, hallId), gte(servedAt, from), lt(servedAt, to));
  const ratedInMonth = (unit: SQL) => sql`exists (select 1 from ratings r where ${unit} and coalesce(r.served_at, r.rated_at) >= ${from.toISOString()} and coalesce(r.served_at, r.rated_at) < ${to.toISOString()})`;
  const invited = (unit: SQL) => sql`exists (select 1 from rating_invitations ri where ${unit})`;
  const unitRating = isNotNull(sql`coalesce(${ratings.ticketId}, ${ratings.caseId})`);
  const scoredRating = eq(ratings.excluded, false);
  const bad = and(scoredRating, gradeIn(isBadGrade), isNotNull(followups.id), sql`${followups.status} <> 'withdrawn'`);
  const inTime = and(bad, eq(followups.status, 'done'), sql`${followups.overdueAt} is null`);
  const late = and(bad, isNotNull(followups.overdueAt));
  const findingWindow = sql<string | null>`coalesce(${complaints.findingWindowId}, ${complaints.windowId})`;
  const results = await Promise.all([
    db
      .select({ windowId: tickets.windowId, departmentId: services.departmentId, served: count(), defaultedBasic: count(due(tickets.finishedAt)) })
      .from(tickets)
      .innerJoin(services, eq(services.id, tickets.serviceId))
      .where(ticketServed)
      .groupBy(tickets.windowId, services.departmentId),
    db
      .select({ windowId: cases.windowId, departmentId: cases.departmentId, served: count(), defaultedBasic: count(due(cases.finishedAt)) })
      .from(cases)
      .where(caseServed)
      .groupBy(cases.windowId, cases.departmentId),
    // Offered but unrated: driven by the invitations, so a month without them costs nothing. Qualified
    // by hand: Drizzle leaves a single table's columns bare, which the subquery would capture.
    db
      .select({ windowId: tickets.windowId, departmentId: services.departmentId, offered: count() })
      .from(tickets)
      .innerJoin(services, eq(services.id, tickets.serviceId))
      .where(and(ticketServed, invited(sql`ri.ticket_id = "tickets"."id"`), sql`not ${ratedInMonth(sql`r.ticket_id = "tickets"."id"`)}`))
      .groupBy(tickets.windowId, services.departmentId),
    db
      .select({ windowId: cases.windowId, departmentId: cases.departmentId, offered: count() })
      .from(cases)
      .where(and(caseServed, invited(sql`ri.case_id = "cases"."id"`), sql`not ${ratedInMonth(sql`r.case_id = "cases"."id"`)}`))
      .groupBy(cases.windowId, cases.departmentId),
    db
      .select({
        windowId: ratings.windowId,
        departmentId: ratings.departmentId,
        ratings: count(),
        rated: count(unitRating),
        offered: count(unitRating),
        // A rated service is not counted as 基本满意: take it back from the due ones of its group.
        defaultedBasic: sql<number>`-${count(and(unitRating, due(ratings.servedAt)))}`,
        timely: count(eq(ratings.timely, true)),
        excluded: count(eq(ratings.excluded, true)),
        scored: count(scoredRating),
        scoreSum: sql<number>`coalesce(sum(${score}) filter (where ${scoredRating}), 0)::int`,
        satisfied: count(and(scoredRating, gradeIn(isGoodGrade))),
        badReviews: count(bad),
        badHandledInTime: count(inTime),
        badHandledLate: count(late),
        badOpen: count(and(bad, sql`not (${inTime})`, sql`${followups.overdueAt} is null`)),
      })
      .from(ratings)
      .leftJoin(followups, eq(followups.ratingId, ratings.id))
      .where(monthRatings)
      .groupBy(ratings.windowId, ratings.departmentId),
    db
      .select({ windowId: findingWindow, departmentId: complaints.departmentId, complaintsSubstantiated: count() })
      .from(complaints)
      .where(and(eq(complaints.hallId, hallId), isNotNull(complaints.answeredAt), gte(complaints.answeredAt, from), lt(complaints.answeredAt, to), inArray(complaints.finding, ['substantiated', 'partly'])))
      .groupBy(findingWindow, complaints.departmentId),
  ]);
  return results.flat();
}

export interface MonthIndicators {
  month: string;
  totals: IndicatorRow;
  byWindow: IndicatorRow[];
  byDepartment: IndicatorRow[];
  /** The Guangdong rule was applied (unrated services counted as 基本满意). */
  unratedCountsBasic: boolean;
}

/**
 * The month's rating indicators of a hall, by window and by department, for the monthly bulletin and the
 * indicator page. `asOf` decides which unrated services have waited long enough to count as 基本满意.
 */
export async function ratingIndicators(db: Db, hallId: string, month: string, asOf: Date = systemClock.now()): Promise<MonthIndicators> {
  const [hall] = await db.select({ zone: halls.timeZone, settings: halls.settings }).from(halls).where(eq(halls.id, hallId));
  if (!hall) throw new Error(`hall ${hallId} not found`);
  const settings = parseFeedbackSettings(hall.settings.feedback).rating;
  const [from, to] = monthRange(month, hall.zone);
  const dueBefore = settings.unratedCountsBasic ? new Date(asOf.getTime() - settings.unratedBasicDays * DAY_MS) : null;
  const [groups, windowRows, departmentRows] = await Promise.all([
    groupCounts(db, hallId, from, to, dueBefore),
    db.select({ id: windows.id, name: windows.name }).from(windows).where(eq(windows.hallId, hallId)),
    db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.hallId, hallId)),
  ]);
  const byWindow = computeIndicators(groups, 'window', new Map(windowRows.map((w) => [w.id, w.name])));
  const byDepartment = computeIndicators(groups, 'department', new Map(departmentRows.map((d) => [d.id, d.name])));
  return { month, totals: byWindow.totals, byWindow: byWindow.rows, byDepartment: byDepartment.rows, unratedCountsBasic: settings.unratedCountsBasic };
}
