// 好差评 indicators by window or department for a month, computed from the same rows the ledgers keep
// (tickets and cases served, invitations, ratings, follow-ups), never from a second copy:
// - coverage of evaluation: services served that were offered a rating channel / services served
// - actual rating rate: services rated / services served
// - satisfaction: (非常满意 + 满意) / ratings counted, and the mean score (5..1)
// - bad reviews handled within the limit: follow-ups closed without ever running late / those closed or late
// - data timeliness: ratings that reached the system in time / all ratings
// Under the Guangdong rule (a hall setting, off by default) a service left unrated for the set natural
// days counts as 基本满意 in satisfaction and the mean, computed here, never stored as a rating.
import { and, eq, gte, isNotNull, lt, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { systemClock } from '../server/clock.js';
import { fromLocal } from '../calendar/index.js';
import { cases } from '../cases/tables.js';
import { OPEN_STATUSES } from '../cases/states.js';
import { departments, halls, services, windows } from '../org/tables.js';
import { tickets } from '../queue/tables.js';
import { parseFeedbackSettings } from './common.js';
import { GRADE_SCORES, isBadGrade, isGoodGrade, type FeedbackSettings, type Grade, type IndicatorRow } from './schemas.js';

export type { IndicatorRow } from './schemas.js';
import { complaints, followups, ratings } from './tables.js';

const DAY_MS = 86_400_000;

/** A service given (a ticket done or a case finished) in the month. */
export interface ServedUnit {
  id: string;
  windowId: string | null;
  departmentId: string | null;
  servedAt: Date;
  offered: boolean;
}

export interface RatedFact {
  unitId: string | null;
  windowId: string | null;
  departmentId: string | null;
  grade: Grade;
  timely: boolean;
  excluded: boolean;
  followup: { closed: boolean; overdue: boolean; withdrawn: boolean } | null;
}

export interface ComplaintFact {
  windowId: string | null;
  departmentId: string | null;
  substantiated: boolean;
}


const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function emptyRow(key: string | null, name: string): IndicatorRow {
  return {
    key,
    name,
    served: 0,
    offered: 0,
    rated: 0,
    coverage: null,
    ratingRate: null,
    counted: 0,
    satisfied: 0,
    satisfaction: null,
    meanScore: null,
    defaultedBasic: 0,
    excluded: 0,
    badReviews: 0,
    badHandledInTime: 0,
    badHandledLate: 0,
    badOpen: 0,
    badHandledRate: null,
    timely: 0,
    ratings: 0,
    timeliness: null,
    complaintsSubstantiated: 0,
  };
}

export interface IndicatorFacts {
  units: ServedUnit[];
  ratings: RatedFact[];
  complaints: ComplaintFact[];
}

/** Pure: the indicators of every group and the total, from the month's facts. */
export function computeIndicators(
  facts: IndicatorFacts,
  by: 'window' | 'department',
  names: ReadonlyMap<string, string>,
  settings: FeedbackSettings['rating'],
  asOf: Date,
): { totals: IndicatorRow; rows: IndicatorRow[] } {
  const groups = new Map<string | null, IndicatorRow & { scoreSum: number }>();
  const totals = { ...emptyRow(null, '合计'), scoreSum: 0 };
  const keyOf = (f: { windowId: string | null; departmentId: string | null }) => (by === 'window' ? f.windowId : f.departmentId);
  const group = (key: string | null) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...emptyRow(key, key === null ? (by === 'window' ? '网上评价及其他' : '未归属部门') : names.get(key) ?? key), scoreSum: 0 }));
    return g;
  };
  const both = (key: string | null, fn: (row: IndicatorRow & { scoreSum: number }) => void) => {
    fn(group(key));
    fn(totals);
  };

  const ratedUnits = new Set(facts.ratings.map((r) => r.unitId).filter((id): id is string => id !== null));
  for (const u of facts.units) {
    const rated = ratedUnits.has(u.id);
    const defaulted = !rated && settings.unratedCountsBasic && u.servedAt.getTime() + settings.unratedBasicDays * DAY_MS <= asOf.getTime();
    both(keyOf(u), (g) => {
      g.served++;
      if (u.offered || rated) g.offered++;
      if (rated) g.rated++;
      if (defaulted) {
        g.defaultedBasic++;
        g.counted++;
        g.scoreSum += GRADE_SCORES.basic;
      }
    });
  }
  for (const r of facts.ratings) {
    both(keyOf(r), (g) => {
      g.ratings++;
      if (r.timely) g.timely++;
      if (r.excluded) {
        g.excluded++;
        return;
      }
      g.counted++;
      g.scoreSum += GRADE_SCORES[r.grade];
      if (isGoodGrade(r.grade)) g.satisfied++;
      if (isBadGrade(r.grade) && r.followup && !r.followup.withdrawn) {
        g.badReviews++;
        if (r.followup.closed && !r.followup.overdue) g.badHandledInTime++;
        else if (r.followup.overdue) g.badHandledLate++;
        else g.badOpen++;
      }
    });
  }
  for (const c of facts.complaints) if (c.substantiated) both(keyOf(c), (g) => g.complaintsSubstantiated++);

  const finish = ({ scoreSum, ...g }: IndicatorRow & { scoreSum: number }): IndicatorRow => ({
    ...g,
    coverage: ratio(g.offered, g.served),
    ratingRate: ratio(g.rated, g.served),
    satisfaction: ratio(g.satisfied, g.counted),
    meanScore: g.counted === 0 ? null : Math.round((scoreSum / g.counted) * 100) / 100,
    badHandledRate: ratio(g.badHandledInTime, g.badHandledInTime + g.badHandledLate),
    timeliness: ratio(g.timely, g.ratings),
  });
  const rows = [...groups.values()].map(finish).sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.name.localeCompare(b.name, 'zh-CN')));
  return { totals: finish(totals), rows };
}

/** The hall-local month `YYYY-MM` as [start, end) instants. */
export function monthRange(month: string, zone: string): [Date, Date] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [new Date(fromLocal(`${month}-01`, 0, zone)), new Date(fromLocal(`${next}-01`, 0, zone))];
}

async function facts(db: Db, hallId: string, from: Date, to: Date): Promise<IndicatorFacts> {
  // Qualified by hand: Drizzle leaves a single table's columns bare, which the subquery would capture.
  const offeredTicket = sql<boolean>`exists (select 1 from rating_invitations ri where ri.ticket_id = "tickets"."id")`;
  const offeredCase = sql<boolean>`exists (select 1 from rating_invitations ri where ri.case_id = "cases"."id")`;
  const [ticketUnits, caseUnits, rated, complaintRows] = await Promise.all([
    db
      .select({ id: tickets.id, windowId: tickets.windowId, departmentId: services.departmentId, servedAt: tickets.finishedAt, offered: offeredTicket })
      .from(tickets)
      .innerJoin(services, eq(services.id, tickets.serviceId))
      .where(and(eq(tickets.hallId, hallId), eq(tickets.status, 'done'), gte(tickets.finishedAt, from), lt(tickets.finishedAt, to))),
    db
      .select({ id: cases.id, windowId: cases.windowId, departmentId: cases.departmentId, servedAt: cases.finishedAt, offered: offeredCase })
      .from(cases)
      .where(and(eq(cases.hallId, hallId), notInArray(cases.status, [...OPEN_STATUSES]), isNotNull(cases.finishedAt), gte(cases.finishedAt, from), lt(cases.finishedAt, to))),
    db
      .select({ r: ratings, f: followups })
      .from(ratings)
      .leftJoin(followups, eq(followups.ratingId, ratings.id))
      .where(
        and(
          eq(ratings.hallId, hallId),
          or(
            and(isNotNull(ratings.servedAt), gte(ratings.servedAt, from), lt(ratings.servedAt, to)),
            and(sql`${ratings.servedAt} is null`, gte(ratings.ratedAt, from), lt(ratings.ratedAt, to)),
          ),
        ),
      ),
    db
      .select({ windowId: complaints.findingWindowId, fallbackWindowId: complaints.windowId, departmentId: complaints.departmentId, finding: complaints.finding })
      .from(complaints)
      .where(and(eq(complaints.hallId, hallId), isNotNull(complaints.answeredAt), gte(complaints.answeredAt, from), lt(complaints.answeredAt, to))),
  ]);
  return {
    units: [...ticketUnits, ...caseUnits].map((u) => ({ ...u, servedAt: u.servedAt!, offered: Boolean(u.offered) })),
    ratings: rated.map(({ r, f }) => ({
      unitId: r.ticketId ?? r.caseId,
      windowId: r.windowId,
      departmentId: r.departmentId,
      grade: r.grade,
      timely: r.timely,
      excluded: r.excluded,
      followup: f ? { closed: f.status === 'done', overdue: f.overdueAt !== null, withdrawn: f.status === 'withdrawn' } : null,
    })),
    complaints: complaintRows.map((c) => ({ windowId: c.windowId ?? c.fallbackWindowId, departmentId: c.departmentId, substantiated: c.finding === 'substantiated' || c.finding === 'partly' })),
  };
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
  const [f, windowRows, departmentRows] = await Promise.all([
    facts(db, hallId, from, to),
    db.select({ id: windows.id, name: windows.name }).from(windows).where(eq(windows.hallId, hallId)),
    db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.hallId, hallId)),
  ]);
  const byWindow = computeIndicators(f, 'window', new Map(windowRows.map((w) => [w.id, w.name])), settings, asOf);
  const byDepartment = computeIndicators(f, 'department', new Map(departmentRows.map((d) => [d.id, d.name])), settings, asOf);
  return { month, totals: byWindow.totals, byWindow: byWindow.rows, byDepartment: byDepartment.rows, unratedCountsBasic: settings.unratedCountsBasic };
}

