import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../server/context.js';
import { validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { fromLocal } from '../calendar/index.js';
import { ratingIndicators } from '../feedback/indicators.js';
import { createAssessmentService } from '../staff/assessment-service.js';
import { createExtendedService } from '../staff/extended-scan.js';
import { monthBounds, today } from '../staff/hall.js';
import { createStaffService } from '../staff/service.js';
import { createBulletinService } from './bulletin.js';
import { addRow, emptyCounts, onTimeRate } from './case-figures.js';
import { caseDays } from './rollups.js';
import { dashboard } from './dashboard.js';
import { ensureNightly } from './nightly.js';
import { bulletinPdf } from './pdf.js';
import { bulletinSections } from './text.js';
import { bulletinXlsx } from './xlsx.js';
import { mergeBulletins } from './rollup.js';
import { bulletinTexts } from './tables.js';

/** One hall's month in the yearly summary: counts only, so halls add up. */
interface YearMonth {
  accepted: number;
  finished: number;
  immediate: number;
  promised: number;
  withDeadline: number;
  onTime: number;
  counted: number;
  satisfied: number;
  extended: number;
}

/** The longest range the dashboard answers for. */
export const MAX_DASHBOARD_DAYS = 92;

export function createReportsService(ctx: AppContext) {
  const { db, clock } = ctx;
  const staff = createStaffService(ctx);
  const extended = createExtendedService(ctx);
  const assessment = createAssessmentService(ctx, staff, extended);
  const bulletins = createBulletinService(ctx, { staff, extended, assessment });
  async function bulletinOf(hallIds: readonly string[], month: string) {
    const parts = await Promise.all(hallIds.map((id) => bulletins.monthly(id, month)));
    return parts.length === 1 ? parts[0]! : mergeBulletins(parts[0]!, parts);
  }

  /**
   * One hall's raw counts for each of `months` (consecutive, one year), the parts a year or a subtree's
   * year is added up from: the case roll-up and the extended services read once for the whole span and
   * split by month, the rating indicators month by month.
   */
  async function yearOfHall(hallId: string, months: readonly string[]): Promise<YearMonth[]> {
    const h = await staff.hallOf(hallId);
    const span = { from: monthBounds(months[0]!, h.zone).from, to: monthBounds(months.at(-1)!, h.zone).to };
    const [days, ratings, ext] = await Promise.all([
      caseDays(db, h, span.from, span.to, clock.now()),
      Promise.all(months.map((month) => ratingIndicators(db, hallId, month, clock.now()))),
      extended.between(hallId, span.from, span.to, h),
    ]);
    return months.map((month, i) => {
      const c = emptyCounts();
      for (const r of days) if (r.local_date.startsWith(month)) addRow(c, r);
      const { accepted, finished, immediate, promised, withDeadline, onTime } = c;
      const r = ratings[i]!.totals;
      return { accepted, finished, immediate, promised, withDeadline, onTime, counted: r.counted, satisfied: r.satisfied, extended: ext.filter((e) => e.localDate.startsWith(month)).length };
    });
  }

  return {
    staff,
    extended,
    assessment,

    /** The bulletin of a hall, or of a subtree (`hallIds` from hallScope, its root first). */
    async monthly(hallIds: readonly string[], month: string) {
      const b = await bulletinOf(hallIds, month);
      for (const hallId of hallIds) await ensureNightly(db, hallId, (await staff.hallOf(hallId)).zone, clock.now());
      return { ...b, sections: bulletinSections(b) };
    },

    async monthlyFile(hallIds: readonly string[], month: string, format: 'pdf' | 'xlsx') {
      const b = await bulletinOf(hallIds, month);
      const name = `${b.hallName}${b.year}年${b.monthNumber}月窗口工作情况通报`;
      return format === 'pdf'
        ? { data: await bulletinPdf(b), mimeType: 'application/pdf', filename: `${name}.pdf` }
        : { data: await bulletinXlsx(b), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${name}.xlsx` };
    },

    async saveTexts(actor: Actor, hallId: string, month: string, input: { issueNo: string; intro: string; problems: string; nextSteps: string }) {
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(bulletinTexts).where(and(eq(bulletinTexts.hallId, hallId), eq(bulletinTexts.month, month)));
        const values = { ...input, updatedBy: actor.id, updatedAt: clock.now() };
        await tx.insert(bulletinTexts).values({ hallId, month, ...values }).onConflictDoUpdate({ target: [bulletinTexts.hallId, bulletinTexts.month], set: values });
        await recordAudit(tx, actor, { hallId, action: 'bulletin.texts_saved', entityType: 'bulletin', entityId: month, before: before ?? null, after: input });
        return { month, ...input };
      });
    },

    /**
     * A year in figures, like the Xiangcheng reply [000]: cases, on-time rate, satisfaction, extended
     * services, by month, for a hall or a subtree (`hallIds` from hallScope, its root first). A subtree's
     * counts are its halls' counts added month by month, and its rates recomputed from the summed parts.
     */
    async yearly(hallIds: readonly string[], year: number) {
      const top = await staff.hallOf(hallIds[0]!);
      const current = today(top, clock.now()).slice(0, 7);
      const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter((m) => m <= current);
      const perHall = await Promise.all(hallIds.map((hallId) => yearOfHall(hallId, months)));
      const rows = months.map((month, i) => {
        const parts = perHall.map((hall) => hall[i]!);
        const add = (f: (r: YearMonth) => number) => parts.reduce((a, r) => a + f(r), 0);
        return { month, accepted: add((r) => r.accepted), finished: add((r) => r.finished), immediate: add((r) => r.immediate), promised: add((r) => r.promised), withDeadline: add((r) => r.withDeadline), onTime: add((r) => r.onTime), counted: add((r) => r.counted), satisfied: add((r) => r.satisfied), extended: add((r) => r.extended) };
      });
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
      const counted = sum((r) => r.counted);
      return {
        year,
        hallName: top.name,
        halls: hallIds.length,
        casesAccepted: sum((r) => r.accepted),
        casesFinished: sum((r) => r.finished),
        immediate: sum((r) => r.immediate),
        promised: sum((r) => r.promised),
        onTimeRate: onTimeRate({ withDeadline: sum((r) => r.withDeadline), onTime: sum((r) => r.onTime) }),
        satisfaction: counted ? Math.round((sum((r) => r.satisfied) / counted) * 10_000) / 10_000 : null,
        ratings: counted,
        extendedServices: sum((r) => r.extended),
        months: rows.map((r) => ({
          month: r.month,
          casesAccepted: r.accepted,
          casesFinished: r.finished,
          onTimeRate: onTimeRate(r),
          satisfaction: r.counted ? Math.round((r.satisfied / r.counted) * 10_000) / 10_000 : null,
          extendedServices: r.extended,
        })),
      };
    },

    /** The dashboard of a hall, or of a subtree (`hallIds` from hallScope, its root first). */
    async dashboard(hallIds: readonly string[], from: string, to: string) {
      if (to < from) throw validationFailed('结束日期不能早于开始日期', { from, to });
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      if (span > MAX_DASHBOARD_DAYS) throw validationFailed(`一次最多查询 ${MAX_DASHBOARD_DAYS} 天`, { from, to });
      const halls = await Promise.all(hallIds.map((id) => staff.hallOf(id)));
      const zone = halls[0]!.zone;
      return dashboard(db, halls, { from, to, start: new Date(fromLocal(from, 0, zone)), end: new Date(fromLocal(to, 1440, zone)), now: clock.now() });
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;
