// Dashboard figures for a date range: cases and the queue from the daily roll-ups (src/reports/rollups.ts),
// ratings from their day counts, which a trigger keeps in step with late ratings and exclusions on appeal,
// and the open cases' lights read live (lights move).
import { and, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { isGoodGrade } from '../feedback/schemas.js';
import { datesBetween, type HallContext } from '../staff/hall.js';
import { addRow, emptyCounts, onTimeRate, type CaseCounts } from './case-figures.js';
import { caseDays, queueHours } from './rollups.js';
import { reportRatingDays } from './tables.js';
import { rowsOf } from '../db/reads.js';

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/**
 * The dashboard of one hall, or of a subtree (`halls`, its root first): each hall's day roll-ups joined,
 * the live counts read over all of them, so the figures are the sums of the halls' own.
 */
export async function dashboard(db: Db, halls: readonly HallContext[], range: { from: string; to: string; start: Date; end: Date; now: Date }) {
  const hallIds = halls.map((h) => h.hallId);
  // Departments are per hall; a subtree's panels name each with its hall.
  const departments = halls.flatMap((h) => h.departments.map((d) => ({ id: d.id, name: halls.length > 1 ? `${h.name}·${d.name}` : d.name })));
  const [cases, queue, ratings, lights] = await Promise.all([
    Promise.all(halls.map((h) => caseDays(db, h, range.from, range.to, range.now))).then((rows) => rows.flat()),
    Promise.all(halls.map((h) => queueHours(db, h, range.from, range.to, range.now))).then((rows) => rows.flat()),
    db
      .select({ department_id: reportRatingDays.departmentId, grade: reportRatingDays.grade, n: sql<number>`sum(${reportRatingDays.n})::int` })
      .from(reportRatingDays)
      .where(and(inArray(reportRatingDays.hallId, hallIds), gte(reportRatingDays.localDate, range.from), lte(reportRatingDays.localDate, range.to)))
      .groupBy(reportRatingDays.departmentId, reportRatingDays.grade),
    db.execute(sql`
      select department_id, light, count(*)::int as n
      from cases where hall_id in (${sql.join(hallIds.map((id) => sql`${id}::uuid`), sql`, `)}) and finished_at is null and light in ('red', 'yellow', 'reminder')
      group by 1, 2`),
  ]);
  const deptName = (id: string | null) => departments.find((d) => d.id === id)?.name ?? '未归属部门';
  const days = datesBetween(range.from, range.to);

  const perDay = new Map<string, number>();
  const byDept = new Map<string, CaseCounts>();
  const totals = emptyCounts();
  for (const r of cases) {
    perDay.set(`${r.department_id}|${r.local_date}`, (perDay.get(`${r.department_id}|${r.local_date}`) ?? 0) + Number(r.accepted));
    let c = byDept.get(r.department_id);
    if (!c) byDept.set(r.department_id, (c = emptyCounts()));
    addRow(c, r);
    addRow(totals, r);
  }

  const grades = new Map<string | null, { good: number; all: number }>();
  for (const r of ratings) {
    const s = grades.get(r.department_id) ?? { good: 0, all: 0 };
    s.all += Number(r.n);
    if (isGoodGrade(r.grade)) s.good += Number(r.n);
    grades.set(r.department_id, s);
  }
  const allRatings = [...grades.values()].reduce((a, s) => ({ good: a.good + s.good, all: a.all + s.all }), { good: 0, all: 0 });

  const perQueueDay = new Map<string, { issued: number; called: number; wait: number; served: number; service: number }>();
  const heat = new Map<string, number>();
  for (const r of queue) {
    const q = perQueueDay.get(r.local_date) ?? { issued: 0, called: 0, wait: 0, served: 0, service: 0 };
    q.issued += Number(r.issued);
    q.called += Number(r.called);
    q.wait += Number(r.wait_s);
    q.served += Number(r.served);
    q.service += Number(r.service_s);
    perQueueDay.set(r.local_date, q);
    if (Number(r.issued)) {
      const dow = ((new Date(`${r.local_date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
      heat.set(`${dow}|${r.hour}`, (heat.get(`${dow}|${r.hour}`) ?? 0) + Number(r.issued));
    }
  }
  const lightRows = rowsOf<{ department_id: string; light: string; n: number }>(lights);

  return {
    from: range.from,
    to: range.to,
    departments: departments.map((d) => d.name),
    casesPerDay: {
      days,
      series: departments
        .map((d) => ({ department: d.name, data: days.map((day) => perDay.get(`${d.id}|${day}`) ?? 0) }))
        .filter((s) => s.data.some((n) => n > 0)),
    },
    onTime: {
      total: onTimeRate(totals),
      finished: totals.finished,
      byDepartment: [...byDept]
        .filter(([, c]) => c.finished > 0)
        .map(([id, c]) => ({ department: deptName(id), finished: c.finished, onTimeRate: onTimeRate(c) }))
        .sort((a, b) => b.finished - a.finished),
    },
    satisfaction: {
      total: ratio(allRatings.good, allRatings.all),
      ratings: allRatings.all,
      byDepartment: [...grades].map(([id, s]) => ({ department: deptName(id), ratings: s.all, satisfaction: ratio(s.good, s.all) })).sort((a, b) => b.ratings - a.ratings),
    },
    queueTimes: days.map((day) => {
      const q = perQueueDay.get(day);
      return { day, tickets: q?.issued ?? 0, avgWaitMinutes: round1(q?.called ? q.wait / q.called / 60 : null), avgServiceMinutes: round1(q?.served ? q.service / q.served / 60 : null) };
    }),
    /** [weekday 1-7 (Monday = 1), hour 0-23, tickets issued]. */
    heatmap: [...heat].map(([k, n]) => {
      const [dow, hour] = k.split('|').map(Number) as [number, number];
      return [dow, hour, n] as [number, number, number];
    }),
    lights: departments
      .map((d) => {
        const of = (light: string) => lightRows.filter((r) => r.department_id === d.id && r.light === light).reduce((a, r) => a + Number(r.n), 0);
        return { department: d.name, red: of('red'), yellow: of('yellow'), reminder: of('reminder') };
      })
      .filter((l) => l.red + l.yellow + l.reminder > 0),
    asOf: range.now.toISOString(),
  };
}
