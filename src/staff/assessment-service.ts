// The monthly assessment (量化评比): the sheet filled for every window and staff member from the month's
// data plus the managers' points, award proposals with the numbers behind them, and confirmed awards.
import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { formatInstant } from '../calendar/index.js';
import { complaints, ratings } from '../feedback/tables.js';
import { isGoodGrade } from '../feedback/schemas.js';
import { ratingIndicators } from '../feedback/indicators.js';
import { caseFigures, emptyCounts, onTimeRate as caseOnTimeRate, type CaseCounts } from '../reports/case-figures.js';
import { maxScore, rank, scoreSheet, type Figures, type Scored } from './assessment.js';
import type { createExtendedService } from './extended-scan.js';
import { monthBounds, staffMembers } from './hall.js';
import { AWARD_KIND_LABELS, type AwardInput, type PointsInput } from './schemas.js';
import type { StaffService } from './service.js';
import { assessmentPoints, awards, windowBackups } from './tables.js';
import type { z } from 'zod';

interface Subject {
  id: string;
  name: string;
  figures: Figures;
  score: Scored;
}

const ratio4 = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export function createAssessmentService(ctx: AppContext, staff: StaffService, extended: ReturnType<typeof createExtendedService>) {
  const { db, clock } = ctx;

  /** Ratings per staff member: the feedback capability's own grade rule, applied to their ratings. */
  async function staffRatings(hallId: string, start: Date, end: Date) {
    const rows = await db
      .select({ staffId: ratings.staffId, grade: ratings.grade, n: sql<number>`count(*)::int` })
      .from(ratings)
      .where(and(eq(ratings.hallId, hallId), eq(ratings.excluded, false), isNotNull(ratings.staffId), sql`coalesce(${ratings.servedAt}, ${ratings.ratedAt}) >= ${start.toISOString()}`, sql`coalesce(${ratings.servedAt}, ${ratings.ratedAt}) < ${end.toISOString()}`))
      .groupBy(ratings.staffId, ratings.grade);
    const out = new Map<string, { good: number; all: number }>();
    for (const r of rows) {
      const s = out.get(r.staffId!) ?? { good: 0, all: 0 };
      s.all += Number(r.n);
      if (isGoodGrade(r.grade)) s.good += Number(r.n);
      out.set(r.staffId!, s);
    }
    return out;
  }

  /** Substantiated complaints (属实 or 部分属实) answered in the month, per staff member named in the finding. */
  async function staffComplaints(hallId: string, start: Date, end: Date) {
    const rows = await db
      .select({ staffId: sql<string | null>`coalesce(${complaints.findingStaffId}, ${complaints.staffId})`, n: sql<number>`count(*)::int` })
      .from(complaints)
      .where(and(eq(complaints.hallId, hallId), inArray(complaints.finding, ['substantiated', 'partly']), gte(complaints.answeredAt, start), lt(complaints.answeredAt, end)))
      .groupBy(sql`1`);
    return new Map(rows.filter((r) => r.staffId).map((r) => [r.staffId!, Number(r.n)]));
  }

  const service = {
    async sheet(hallId: string, month: string) {
      const h = await staff.hallOf(hallId);
      const b = monthBounds(month, h.zone);
      const sheet = h.settings.assessment;
      const [cases, indicators, attendance, ext, gaps, register, points, people, chiefs, posts, byStaffRatings, byStaffComplaints, confirmed] = await Promise.all([
        caseFigures(db, h, b.from, b.to, clock.now()),
        ratingIndicators(db, hallId, month, clock.now()),
        staff.monthlyAttendance(hallId, month),
        extended.between(hallId, b.from, b.to, h),
        staff.gaps.gaps(hallId, month),
        staff.register(hallId, month),
        db.select().from(assessmentPoints).where(and(eq(assessmentPoints.hallId, hallId), eq(assessmentPoints.month, month))),
        staffMembers(db, hallId),
        staff.chiefs(hallId),
        db.select().from(windowBackups).where(eq(windowBackups.hallId, hallId)),
        staffRatings(hallId, b.start, b.end),
        staffComplaints(hallId, b.start, b.end),
        service.awards(hallId, month),
      ]);
      const manualOf = (type: 'window' | 'staff', id: string) => new Map(points.filter((p) => p.subjectType === type && p.subjectId === id).map((p) => [p.itemKey, Number(p.points)]));
      const base = h.settings.disciplineBase;
      const fromCases = (c: CaseCounts | undefined) => ({ cases: c?.accepted ?? 0, finishedWithDeadline: c?.withDeadline ?? 0, onTime: c?.onTime ?? 0 });
      const postOf = new Map(people.map((p) => [p.id, p.windowIds[0] ?? null]));

      const windowSubjects = h.windows.map((w) => {
        const rating = indicators.byWindow.find((r) => r.key === w.id);
        const team = attendance.persons.filter((p) => postOf.get(p.userId) === w.id);
        const figures: Figures = {
          ...fromCases(cases.byWindow.get(w.id)),
          satisfaction: rating?.satisfaction ?? null,
          ratings: rating?.counted ?? 0,
          complaints: rating?.complaintsSubstantiated ?? 0,
          discipline: team.length ? team.reduce((a, p) => a + p.score, 0) / team.length : null,
          disciplineBase: base,
          extendedServices: ext.filter((e) => e.windowId === w.id).length,
          abGaps: gaps.filter((g) => g.windowId === w.id).length,
          infoReports: register.filter((r) => r.kind === 'info_report' && (r.windowId === w.id || (!r.windowId && r.departmentId !== null && r.departmentId === w.departmentId))).length,
          goodDeeds: register.filter((r) => r.kind === 'good_deed' && (r.windowId === w.id || r.userIds.some((u) => postOf.get(u) === w.id))).length,
        };
        return { id: w.id, name: w.name, departmentId: w.departmentId, figures, score: scoreSheet(sheet, figures, manualOf('window', w.id)) };
      });

      const staffSubjects = attendance.persons.map((p) => {
        const r = byStaffRatings.get(p.userId);
        const figures: Figures = {
          ...fromCases(cases.byHandler.get(p.userId)),
          satisfaction: r ? ratio4(r.good, r.all) : null,
          ratings: r?.all ?? 0,
          complaints: byStaffComplaints.get(p.userId) ?? 0,
          discipline: p.score,
          disciplineBase: base,
          extendedServices: ext.filter((e) => e.userId === p.userId).length,
          abGaps: gaps.filter((g) => posts.some((x) => x.windowId === g.windowId && x.aUserId === p.userId)).length,
          infoReports: register.filter((e) => e.kind === 'info_report' && e.userIds.includes(p.userId)).length,
          goodDeeds: register.filter((e) => e.kind === 'good_deed' && e.userIds.includes(p.userId)).length,
        };
        return { id: p.userId, name: p.name, departmentId: p.departmentId, departmentName: p.departmentName, windowName: p.windowName, figures, score: scoreSheet(sheet, figures, manualOf('staff', p.userId)) };
      });

      const departmentSubjects = h.departments
        .map((d) => {
          const mine = windowSubjects.filter((w) => w.departmentId === d.id);
          const c = cases.byDepartment.get(d.id) ?? emptyCounts();
          const chief = chiefs.find((x) => x.departmentId === d.id) ?? null;
          return {
            id: d.id,
            name: d.name,
            windows: mine.length,
            score: mine.length ? Math.round((mine.reduce((a, w) => a + w.score.total, 0) / mine.length) * 100) / 100 : 0,
            cases: c.accepted,
            onTimeRate: caseOnTimeRate(c),
            satisfaction: indicators.byDepartment.find((r) => r.key === d.id)?.satisfaction ?? null,
            chief,
          };
        })
        .filter((d) => d.windows > 0);

      const basis = (s: Pick<Subject, 'figures'>) => ({
        cases: s.figures.cases,
        onTimeRate: s.figures.finishedWithDeadline ? Math.round((s.figures.onTime / s.figures.finishedWithDeadline) * 10_000) / 10_000 : null,
        satisfaction: s.figures.satisfaction,
        ratings: s.figures.ratings,
        complaints: s.figures.complaints,
        discipline: s.figures.discipline === null ? null : Math.round(s.figures.discipline * 10) / 10,
        extendedServices: s.figures.extendedServices,
        abGaps: s.figures.abGaps,
      });
      const counts = h.settings.awardCounts;
      // Only those who served in the month are proposed: a full score with nothing done is no merit.
      const active = departmentSubjects.filter((d) => d.cases > 0);
      const redFlag = rank(active, counts.redFlag).map((d) => ({ subjectId: d.id, name: d.name, rank: d.rank, score: d.score, basis: { cases: d.cases, onTimeRate: d.onTimeRate, satisfaction: d.satisfaction, windows: d.windows } }));
      const starChief = rank(
        active.filter((d) => d.chief),
        counts.starChief,
      ).map((d) => ({ subjectId: d.chief!.userId, name: d.chief!.name, rank: d.rank, score: d.score, basis: { department: d.name, cases: d.cases, onTimeRate: d.onTimeRate, satisfaction: d.satisfaction } }));
      const serviceModel = rank(
        staffSubjects.filter((s) => s.figures.cases > 0).map((s) => ({ ...s, score: s.score.total, cases: s.figures.cases })),
        counts.serviceModel,
      ).map((s) => ({ subjectId: s.id, name: s.name, rank: s.rank, score: s.score, basis: { department: s.departmentName, ...basis(s) } }));

      return {
        month,
        sheet,
        maxScore: maxScore(sheet),
        windows: windowSubjects.map((w) => ({ id: w.id, name: w.name, departmentName: h.departments.find((d) => d.id === w.departmentId)?.name ?? '综合受理', score: w.score, basis: basis(w) })),
        staff: staffSubjects.map((s) => ({ id: s.id, name: s.name, departmentName: s.departmentName, windowName: s.windowName, score: s.score, basis: basis(s) })),
        departments: departmentSubjects,
        proposals: { red_flag: redFlag, star_chief: starChief, service_model: serviceModel },
        awards: confirmed,
        points: points.map((p) => ({ subjectType: p.subjectType, subjectId: p.subjectId, itemKey: p.itemKey, points: Number(p.points), note: p.note })),
      };
    },

    async setPoints(user: AuthUser, month: string, input: z.infer<typeof PointsInput>) {
      const h = await staff.hallOf(user.hallId);
      const item = h.settings.assessment.blocks.flatMap((b) => b.items).find((i) => i.key === input.itemKey);
      if (!item) throw validationFailed(`考核项目“${input.itemKey}”不存在`, { itemKey: input.itemKey });
      if (item.source !== 'manual') throw validationFailed(`“${item.name}”由系统根据数据计分，不能手工打分`, { itemKey: input.itemKey });
      if (input.points > item.points) throw validationFailed(`“${item.name}”最高 ${item.points} 分`, { max: item.points });
      const known = input.subjectType === 'window' ? h.windows.some((w) => w.id === input.subjectId) : (await staffMembers(db, user.hallId)).some((p) => p.id === input.subjectId);
      if (!known) throw validationFailed(input.subjectType === 'window' ? '所选窗口不存在' : '所选人员不存在', { subjectId: input.subjectId });
      return db.transaction(async (tx) => {
        const values = { points: input.points, note: input.note, updatedBy: user.id, updatedAt: clock.now() };
        await tx
          .insert(assessmentPoints)
          .values({ hallId: user.hallId, month, subjectType: input.subjectType, subjectId: input.subjectId, itemKey: input.itemKey, ...values })
          .onConflictDoUpdate({ target: [assessmentPoints.hallId, assessmentPoints.month, assessmentPoints.subjectType, assessmentPoints.subjectId, assessmentPoints.itemKey], set: values });
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'assessment.points_set', entityType: input.subjectType, entityId: input.subjectId, after: { month, ...input } });
        return { month, ...input };
      });
    },

    /** Confirms proposed subjects as awards, with the score and figures they were proposed on. */
    async confirm(user: AuthUser, month: string, input: z.infer<typeof AwardInput>) {
      if (input.kind === 'other') {
        if (!input.name) throw validationFailed('请填写获奖单位或个人', { name: null });
        return db.transaction(async (tx) => {
          const [row] = await tx.insert(awards).values({ hallId: user.hallId, month, kind: 'other', subjectType: 'staff', subjectId: null, name: input.name!, title: input.title, confirmedBy: user.id, confirmedAt: clock.now() }).returning();
          await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'award.confirmed', entityType: 'award', entityId: row!.id, after: { month, ...input } });
          return service.awards(user.hallId, month, tx);
        });
      }
      if (input.subjectIds.length === 0) throw validationFailed('请选择要确认的对象', { subjectIds: [] });
      const sheet = await service.sheet(user.hallId, month);
      const proposals = sheet.proposals[input.kind];
      const candidates =
        input.kind === 'red_flag'
          ? sheet.departments.map((d) => ({ subjectId: d.id, name: d.name, score: d.score, basis: { cases: d.cases, onTimeRate: d.onTimeRate, satisfaction: d.satisfaction } }))
          : input.kind === 'star_chief'
            ? sheet.departments.filter((d) => d.chief).map((d) => ({ subjectId: d.chief!.userId, name: d.chief!.name, score: d.score, basis: { department: d.name, cases: d.cases } }))
            : sheet.staff.map((s) => ({ subjectId: s.id, name: s.name, score: s.score.total, basis: { department: s.departmentName, ...s.basis } }));
      const unknown = input.subjectIds.filter((id) => !candidates.some((c) => c.subjectId === id));
      if (unknown.length) throw validationFailed(`所选对象不能评为“${AWARD_KIND_LABELS[input.kind]}”`, { subjectIds: unknown });
      return db.transaction(async (tx) => {
        for (const id of new Set(input.subjectIds)) {
          const c = candidates.find((x) => x.subjectId === id)!;
          const proposed = proposals.find((p) => p.subjectId === id);
          const [row] = await tx
            .insert(awards)
            .values({
              hallId: user.hallId,
              month,
              kind: input.kind,
              subjectType: input.kind === 'red_flag' ? 'department' : 'staff',
              subjectId: id,
              name: c.name,
              title: input.title,
              score: c.score,
              basis: { ...c.basis, proposedRank: proposed?.rank ?? null },
              confirmedBy: user.id,
              confirmedAt: clock.now(),
            })
            .onConflictDoNothing()
            .returning({ id: awards.id });
          if (!row) throw new DomainError(409, 'DUPLICATE', `${c.name}已评为本月“${AWARD_KIND_LABELS[input.kind]}”`, { subjectId: id });
          await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'award.confirmed', entityType: 'award', entityId: row.id, after: { month, kind: input.kind, subjectId: id, score: c.score } });
        }
        return service.awards(user.hallId, month, tx);
      });
    },

    async removeAward(user: AuthUser, id: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx.delete(awards).where(and(eq(awards.id, id), eq(awards.hallId, user.hallId))).returning();
        if (!row) throw notFound('表彰');
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'award.removed', entityType: 'award', entityId: id, before: row });
      });
    },

    async awards(hallId: string, month: string, q = db) {
      const rows = await q.select().from(awards).where(and(eq(awards.hallId, hallId), eq(awards.month, month))).orderBy(awards.kind, awards.confirmedAt, awards.name);
      return rows.map((a) => ({
        id: a.id,
        kind: a.kind,
        kindLabel: AWARD_KIND_LABELS[a.kind],
        subjectType: a.subjectType,
        subjectId: a.subjectId,
        name: a.name,
        title: a.title,
        score: a.score === null ? null : Number(a.score),
        basis: a.basis,
        confirmedAt: formatInstant(a.confirmedAt.getTime()),
      }));
    },
  };
  return service;
}
export type AssessmentService = ReturnType<typeof createAssessmentService>;
