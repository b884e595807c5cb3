import { describe, expect, it } from 'vitest';
import { computeIndicators, type GroupCounts } from './indicators.js';

const names = new Map([['w1', '1号窗口'], ['w2', '2号窗口'], ['d1', '测试局'], ['d2', '审批局']]);
// What the database returns for a month: the served services and the ratings of each window/department
// pair, in separate rows (one query each), as groupCounts gives them.
const groups: Partial<GroupCounts>[] = [
  { windowId: 'w1', departmentId: 'd1', served: 2 },
  { windowId: 'w2', departmentId: 'd2', served: 2 },
  { windowId: 'w2', departmentId: 'd2', offered: 1 },
  { windowId: 'w1', departmentId: 'd1', ratings: 1, rated: 1, offered: 1, timely: 1, scored: 1, scoreSum: 5, satisfied: 1 },
  { windowId: 'w2', departmentId: 'd2', ratings: 1, rated: 1, offered: 1, timely: 1, scored: 1, scoreSum: 2, badReviews: 1, badHandledInTime: 1 },
  { windowId: null, departmentId: 'd1', ratings: 1, scored: 1, scoreSum: 4, satisfied: 1 },
  { windowId: 'w2', departmentId: 'd2', complaintsSubstantiated: 1 },
];

describe('rating indicators from grouped counts', () => {
  it('sums each window’s rows into coverage, rating rate, satisfaction, bad reviews handled in time and timeliness', () => {
    const { totals, rows } = computeIndicators(groups, 'window', names);
    expect(totals).toMatchObject({ served: 4, offered: 3, rated: 2, coverage: 0.75, ratingRate: 0.5, counted: 3, satisfied: 2, satisfaction: 0.6667, meanScore: 3.67, badReviews: 1, badHandledInTime: 1, badHandledRate: 1, timeliness: 0.6667, complaintsSubstantiated: 1 });
    expect(rows.map((r) => [r.name, r.served, r.offered, r.rated, r.satisfaction])).toEqual([
      ['1号窗口', 2, 1, 1, 1],
      ['2号窗口', 2, 2, 1, 0],
      ['网上评价及其他', 0, 0, 0, 1],
    ]);
  });

  it('groups the same counts by department, with the same totals', () => {
    const byWindow = computeIndicators(groups, 'window', names);
    const byDepartment = computeIndicators(groups, 'department', names);
    expect(byDepartment.totals).toEqual(byWindow.totals);
    expect(byDepartment.rows.map((r) => [r.name, r.served, r.counted])).toEqual([
      ['测试局', 2, 2],
      ['审批局', 2, 1],
    ]);
  });

  it('counts unrated services as 基本满意 (score 3) in satisfaction and the mean, not as ratings given', () => {
    const { totals } = computeIndicators([...groups, { windowId: 'w1', departmentId: 'd1', defaultedBasic: 2 }], 'window', names);
    expect(totals).toMatchObject({ defaultedBasic: 2, counted: 5, ratings: 3, rated: 2, satisfaction: 0.4, meanScore: 3.4 });
  });

  it('leaves an excluded review out of satisfaction but keeps it as a rating given and a service rated', () => {
    const { totals } = computeIndicators([{ windowId: 'w1', departmentId: 'd1', served: 1, ratings: 1, rated: 1, offered: 1, excluded: 1 }], 'window', names);
    expect(totals).toMatchObject({ rated: 1, ratings: 1, excluded: 1, counted: 0, satisfaction: null, meanScore: null, ratingRate: 1 });
  });
});
