import { describe, expect, it } from 'vitest';
import { maxScore, rank, scoreSheet, type Figures } from './assessment.js';
import { DEFAULT_SHEET } from './schemas.js';

const perfect: Figures = { cases: 100, finishedWithDeadline: 100, onTime: 100, satisfaction: 1, ratings: 50, complaints: 0, discipline: 100, disciplineBase: 100, extendedServices: 5, abGaps: 0, infoReports: 3, goodDeeds: 3 };

describe('the assessment sheet', () => {
  it('defaults to three blocks in fourteen points, 100 in all', () => {
    expect(DEFAULT_SHEET.blocks).toHaveLength(3);
    expect(DEFAULT_SHEET.blocks.flatMap((b) => b.items)).toHaveLength(14);
    expect(maxScore(DEFAULT_SHEET)).toBe(100);
    expect(scoreSheet(DEFAULT_SHEET, perfect, new Map()).total).toBe(100);
  });

  it('takes points from the data and from the manager', () => {
    const f = { ...perfect, onTime: 90, satisfaction: 0.8, complaints: 2, discipline: 90, extendedServices: 1, abGaps: 1, infoReports: 0, goodDeeds: 0 };
    const s = scoreSheet(DEFAULT_SHEET, f, new Map([['skill', 8]]));
    expect(s.items).toMatchObject({ efficiency: 13.5, attitude: 12, skill: 8, complaints: 8, attendance: 13.5, backup: 4, extended: 1, info: 0, good_deeds: 0 });
    expect(s.total).toBe(13.5 + 12 + 8 + 5 + 13.5 + 4 + 8 + 5 + 5 + 1 + 0 + 0 + 2 + 2);
  });

  it('ranks by score, then cases, then name', () => {
    const list = [{ name: '乙', score: 90, cases: 10 }, { name: '甲', score: 95, cases: 1 }, { name: '丙', score: 90, cases: 20 }];
    expect(rank(list, 2).map((x) => [x.rank, x.name])).toEqual([[1, '甲'], [2, '丙']]);
  });
});
