// The assessment sheet, pure: each item's points from the month's figures (or a manager's hand), the
// block and total scores, and the ranking behind the monthly award proposals.
import type { AssessmentSheet, ItemSource } from './schemas.js';

/** The month's figures of one window or staff member; null where there is nothing to judge. */
export interface Figures {
  cases: number;
  finishedWithDeadline: number;
  onTime: number;
  /** Share of good ratings, 0..1. */
  satisfaction: number | null;
  ratings: number;
  complaints: number;
  /** The discipline score (attendance) and its base. */
  discipline: number | null;
  disciplineBase: number;
  extendedServices: number;
  abGaps: number;
  infoReports: number;
  goodDeeds: number;
}

export const onTimeRate = (f: Pick<Figures, 'finishedWithDeadline' | 'onTime'>): number | null =>
  f.finishedWithDeadline > 0 ? f.onTime / f.finishedWithDeadline : null;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Points for one item. Rates earn their share of the points; with nothing to judge an item is not held
 * against anyone (full points). Complaints and AB gaps take one point each; extended services, reports
 * and good deeds earn one point each up to the item's points.
 */
export function itemPoints(source: ItemSource, points: number, f: Figures, manual: number | undefined): number {
  switch (source) {
    case 'on_time_rate': {
      const rate = onTimeRate(f);
      return round2(points * (rate ?? 1));
    }
    case 'satisfaction':
      return round2(points * (f.satisfaction ?? 1));
    case 'attendance':
      return round2(f.discipline === null ? points : (points * f.discipline) / f.disciplineBase);
    case 'complaints':
      return Math.max(0, points - f.complaints);
    case 'ab_gaps':
      return Math.max(0, points - f.abGaps);
    case 'extended_service':
      return Math.min(points, f.extendedServices);
    case 'info_reports':
      return Math.min(points, f.infoReports);
    case 'good_deeds':
      return Math.min(points, f.goodDeeds);
    case 'manual':
      return Math.min(points, manual ?? points);
  }
}

export interface Scored {
  total: number;
  blocks: { key: string; name: string; score: number }[];
  items: Record<string, number>;
}

export function scoreSheet(sheet: AssessmentSheet, f: Figures, manual: ReadonlyMap<string, number>): Scored {
  const items: Record<string, number> = {};
  const blocks = sheet.blocks.map((b) => {
    let sum = 0;
    for (const item of b.items) {
      const p = itemPoints(item.source, item.points, f, manual.get(item.key));
      items[item.key] = p;
      sum += p;
    }
    return { key: b.key, name: b.name, score: round2(sum * b.weight) };
  });
  return { total: round2(blocks.reduce((a, b) => a + b.score, 0)), blocks, items };
}

export const maxScore = (sheet: AssessmentSheet) => round2(sheet.blocks.reduce((a, b) => a + b.weight * b.items.reduce((s, i) => s + i.points, 0), 0));

/** Highest score first; ties go to more cases, then the name, so a proposal never depends on row order. */
export function rank<T extends { score: number; cases: number; name: string }>(list: readonly T[], count: number): (T & { rank: number })[] {
  return [...list]
    .sort((a, b) => b.score - a.score || b.cases - a.cases || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, count)
    .map((x, i) => ({ ...x, rank: i + 1 }));
}
