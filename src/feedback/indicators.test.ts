import { describe, expect, it } from 'vitest';
import { computeIndicators, type IndicatorFacts } from './indicators.js';
import { FeedbackSettings } from './schemas.js';

const settings = FeedbackSettings.parse({}).rating;
const at = (d: string) => new Date(`${d}T10:00:00+08:00`);
const names = new Map([['w1', '1号窗口'], ['w2', '2号窗口']]);
const facts: IndicatorFacts = {
  units: [
    { id: 't1', windowId: 'w1', departmentId: 'd1', servedAt: at('2025-09-01'), offered: true },
    { id: 't2', windowId: 'w1', departmentId: 'd1', servedAt: at('2025-09-02'), offered: false },
    { id: 't3', windowId: 'w2', departmentId: 'd1', servedAt: at('2025-09-29'), offered: true },
    { id: 't4', windowId: 'w2', departmentId: 'd1', servedAt: at('2025-09-29'), offered: false },
  ],
  ratings: [
    { unitId: 't1', windowId: 'w1', departmentId: 'd1', grade: 'very_satisfied', timely: true, excluded: false, followup: null },
    { unitId: 't3', windowId: 'w2', departmentId: 'd1', grade: 'dissatisfied', timely: true, excluded: false, followup: { closed: true, overdue: false, withdrawn: false } },
    { unitId: null, windowId: null, departmentId: 'd1', grade: 'satisfied', timely: false, excluded: false, followup: null },
  ],
  complaints: [{ windowId: 'w2', departmentId: 'd1', substantiated: true }],
};

describe('rating indicators', () => {
  it('computes coverage, rating rate, satisfaction, bad reviews handled in time and timeliness per window', () => {
    const { totals, rows } = computeIndicators(facts, 'window', names, settings, at('2025-10-20'));
    expect(totals).toMatchObject({ served: 4, offered: 2, rated: 2, coverage: 0.5, ratingRate: 0.5, counted: 3, satisfied: 2, satisfaction: 0.6667, meanScore: 3.67, badReviews: 1, badHandledInTime: 1, badHandledRate: 1, timeliness: 0.6667, complaintsSubstantiated: 1 });
    expect(rows.map((r) => [r.name, r.served, r.rated, r.satisfaction])).toEqual([
      ['1号窗口', 2, 1, 1],
      ['2号窗口', 2, 1, 0],
      ['网上评价及其他', 0, 0, 1],
    ]);
  });

  it('counts unrated services as 基本满意 only under the Guangdong rule, and only after the days given', () => {
    const rule = { ...settings, unratedCountsBasic: true };
    // On 10-03 the 09-29 visits have waited 4 days: only t2 (09-02) counts as 基本满意.
    const early = computeIndicators(facts, 'window', names, rule, at('2025-10-03')).totals;
    expect(early).toMatchObject({ defaultedBasic: 1, counted: 4, rated: 2, ratingRate: 0.5 });
    const late = computeIndicators(facts, 'window', names, rule, at('2025-10-20')).totals;
    expect(late).toMatchObject({ defaultedBasic: 2, counted: 5, satisfaction: 0.4, meanScore: 3.4 });
  });

  it('leaves an excluded review out of satisfaction and bad reviews but keeps it as a rating given', () => {
    const excluded = { ...facts, ratings: facts.ratings.map((r) => (r.unitId === 't3' ? { ...r, excluded: true } : r)) };
    expect(computeIndicators(excluded, 'department', new Map([['d1', '测试局']]), settings, at('2025-10-20')).totals).toMatchObject({ rated: 2, excluded: 1, badReviews: 0, satisfaction: 1 });
  });
});
