// The monthly bulletin (月度通报) of the Suixian model [002]: every figure read from the event tables for
// the month when it is asked for, the registers and awards managers keep, and the text a person wrote.
import { and, eq, gte, lt, lte } from 'drizzle-orm';
import type { AppContext } from '../server/context.js';
import { complaints, suggestions } from '../feedback/tables.js';
import { onlineFigures } from '../online/figures.js';
import { ratingIndicators } from '../feedback/indicators.js';
import type { AssessmentService } from '../staff/assessment-service.js';
import type { ExtendedService } from '../staff/extended-scan.js';
import { monthBounds } from '../staff/hall.js';
import type { StaffService } from '../staff/service.js';
import { LEAVE_KINDS } from '../staff/schemas.js';
import { caseFigures, consultationsByWindow, onTimeRate } from './case-figures.js';
import { bulletinTexts } from './tables.js';

export const TOP_WINDOWS = 5;

export type Bulletin = Awaited<ReturnType<ReturnType<typeof createBulletinService>['monthly']>>;

interface WindowRow { windowName: string; departmentName: string; accepted: number; consultations: number }
interface DepartmentRow { departmentName: string; accepted: number }

/** The lists the bulletin derives from its window and department rows: one rule for a hall and a subtree. */
export function rankings<W extends WindowRow>(windowRows: readonly W[], departments: readonly DepartmentRow[]) {
  // Ties keep the rows' own order (windows by number), so the list is the same every time it is read.
  const byVolume = [...windowRows].sort((a, x) => x.accepted - a.accepted);
  const maxConsult = Math.max(0, ...windowRows.map((w) => w.consultations));
  return {
    topWindows: byVolume.slice(0, TOP_WINDOWS).filter((w) => w.accepted > 0).map((w) => ({ windowName: w.windowName, departmentName: w.departmentName, cases: w.accepted })),
    topDepartments: [...departments].sort((a, x) => x.accepted - a.accepted).slice(0, TOP_WINDOWS).filter((d) => d.accepted > 0).map((d) => ({ departmentName: d.departmentName, cases: d.accepted })),
    mostConsulted: maxConsult > 0 ? windowRows.filter((w) => w.consultations === maxConsult).map((w) => ({ windowName: w.windowName, consultations: w.consultations })) : [],
    consultations: windowRows.reduce((a, w) => a + w.consultations, 0),
    windowsWithoutCases: windowRows.filter((w) => w.accepted === 0).map((w) => ({ windowName: w.windowName, departmentName: w.departmentName })),
  };
}

export function createBulletinService(ctx: AppContext, deps: { staff: StaffService; extended: ExtendedService; assessment: AssessmentService }) {
  const { db, clock } = ctx;
  const { staff, extended, assessment } = deps;

  async function texts(hallId: string, month: string) {
    const [row] = await db.select().from(bulletinTexts).where(and(eq(bulletinTexts.hallId, hallId), eq(bulletinTexts.month, month)));
    return { issueNo: row?.issueNo ?? '', intro: row?.intro ?? '', problems: row?.problems ?? '', nextSteps: row?.nextSteps ?? '' };
  }

  return {
    texts,

    async monthly(hallId: string, month: string) {
      const h = await staff.hallOf(hallId);
      const b = monthBounds(month, h.zone);
      const [figures, consultations, indicators, attendance, register, awardRows, inspections, gaps, ext, written, complaintRows, suggestionRows, online] = await Promise.all([
        caseFigures(db, h, b.from, b.to, clock.now()),
        consultationsByWindow(db, h, b.from, b.to, clock.now()),
        ratingIndicators(db, hallId, month, clock.now()),
        staff.monthlyAttendance(hallId, month),
        staff.register(hallId, month),
        assessment.awards(hallId, month),
        staff.inspections(hallId, month),
        staff.gaps.gaps(hallId, month),
        extended.between(hallId, b.from, b.to, h),
        texts(hallId, month),
        db
          .select({ kind: complaints.kind, windowId: complaints.windowId, departmentId: complaints.departmentId, content: complaints.content, status: complaints.status, finding: complaints.finding, receivedAt: complaints.receivedAt })
          .from(complaints)
          .where(and(eq(complaints.hallId, hallId), gte(complaints.receivedAt, b.start), lt(complaints.receivedAt, b.end))),
        db
          .select({ source: suggestions.source, status: suggestions.status })
          .from(suggestions)
          .where(and(eq(suggestions.hallId, hallId), gte(suggestions.receivedOn, b.from), lte(suggestions.receivedOn, b.to))),
        onlineFigures(db, hallId, b.from, b.to),
      ]);
      const deptName = (id: string | null) => h.departments.find((d) => d.id === id)?.name ?? '综合受理';
      const windowRows = h.windows.map((w) => {
        const c = figures.byWindow.get(w.id);
        return { windowId: w.id, windowName: w.name, departmentName: deptName(w.departmentId), accepted: c?.accepted ?? 0, finished: c?.finished ?? 0, consultations: consultations.get(w.id) ?? 0 };
      });
      const departments = h.departments
        .map((d) => {
          const c = figures.byDepartment.get(d.id);
          return { departmentId: d.id, departmentName: d.name, accepted: c?.accepted ?? 0, finished: c?.finished ?? 0, onTimeRate: c ? onTimeRate(c) : null };
        })
        .filter((d) => d.accepted > 0 || d.finished > 0 || h.windows.some((w) => w.departmentId === d.departmentId));
      const entries = (kind: (typeof register)[number]['kind']) => register.filter((r) => r.kind === kind);
      const infoReports = entries('info_report');
      const reportingUnits = [...new Set(infoReports.map((r) => r.windowName ?? r.departmentName).filter((x): x is string => Boolean(x)))];
      const leaveByKind = Object.fromEntries(
        LEAVE_KINDS.map((k) => [k, { days: attendance.persons.reduce((a, p) => a + p.leaveDays[k], 0) }]),
      ) as Record<(typeof LEAVE_KINDS)[number], { days: number }>;
      const sum = (f: (p: (typeof attendance.persons)[number]) => number) => attendance.persons.reduce((a, p) => a + f(p), 0);
      const award = (kind: string) => awardRows.filter((a) => a.kind === kind).map((a) => ({ name: a.name, title: a.title, score: a.score }));
      const year = Number(month.slice(0, 4));
      const monthNumber = Number(month.slice(5, 7));

      return {
        month,
        year,
        monthNumber,
        hallName: h.name,
        title: `${monthNumber}月份窗口工作情况通报`,
        generatedAt: clock.now().toISOString(),
        // The fixed core of shared/api.md.
        casesAccepted: figures.totals.accepted,
        casesFinished: figures.totals.finished,
        immediate: figures.totals.immediate,
        promised: figures.totals.promised,
        joint: figures.totals.joint,
        onTimeRate: onTimeRate(figures.totals),
        satisfaction: indicators.totals.satisfaction,
        ratings: indicators.totals.counted,
        // What the two rates are made of, so a subtree's rates come from its halls' sums (rollup.ts).
        basis: { withDeadline: figures.totals.withDeadline, onTime: figures.totals.onTime, satisfied: indicators.totals.satisfied },
        windows: windowRows,
        departments,
        ...rankings(windowRows, departments),
        infoReports: { entries: infoReports, units: reportingUnits },
        leaderVisits: entries('leader_visit'),
        mediaReports: entries('media_report'),
        otherWork: entries('other_work'),
        goodDeeds: entries('good_deed'),
        attendance: {
          leaveTimes: sum((p) => p.leaveTimes),
          leaveDays: sum((p) => p.leaveDays.total),
          byKind: leaveByKind,
          goingOuts: sum((p) => p.goingOuts),
          late: sum((p) => p.late),
          early: sum((p) => p.early),
          missedSign: sum((p) => p.missedSign),
          offPost: sum((p) => p.offPost),
          absentHalfDays: sum((p) => p.absentHalfDays),
          people: attendance.persons.length,
          fullAttendance: attendance.persons.filter((p) => p.late + p.early + p.missedSign + p.offPost + p.absentHalfDays === 0 && p.leaveTimes === 0).length,
        },
        inspections: { count: inspections.inspections.length, inspected: inspections.inspected.map((d) => d.name), notInspected: inspections.notInspected.map((d) => d.name) },
        abGaps: { count: gaps.length, minutes: gaps.reduce((a, g) => a + g.minutes, 0), windows: [...new Set(gaps.map((g) => g.windowName))] },
        extendedServices: { count: ext.length, minutes: ext.reduce((a, e) => a + e.minutes, 0), people: new Set(ext.map((e) => e.userId)).size },
        complaints: {
          complaints: complaintRows.filter((c) => c.kind === 'complaint').length,
          cannotGetDone: complaintRows.filter((c) => c.kind === 'cannot_get_done').length,
          answered: complaintRows.filter((c) => c.status === 'answered').length,
          substantiated: complaintRows.filter((c) => c.finding === 'substantiated' || c.finding === 'partly').length,
          messages: suggestionRows.length,
          byWindow: [...new Set(complaintRows.map((c) => c.windowId).filter((x): x is string => Boolean(x)))].map((id) => ({
            windowName: h.windows.find((w) => w.id === id)?.name ?? '',
            count: complaintRows.filter((c) => c.windowId === id).length,
          })),
        },
        // 网上可办率, 网上申报率 and the 最多跑一次 visits per case (issue 11).
        online,
        awards: { red_flag: award('red_flag'), star_chief: award('star_chief'), service_model: award('service_model'), other: award('other') },
        texts: written,
      };
    },
  };
}
export type BulletinService = ReturnType<typeof createBulletinService>;
