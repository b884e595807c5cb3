import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_WEIGHTS, rankUnits, scoreOf, type UnitCounts } from './appeal-ranking.js';

const unit = (name: string, over: Partial<UnitCounts> = {}): UnitCounts => ({
  key: name,
  name,
  dispatched: 10,
  lateSigns: 0,
  returns: 0,
  redos: 0,
  revisits: 10,
  satisfied: 10,
  answered: 10,
  answeredLate: 0,
  ...over,
});

describe('12345 红黑榜: units ranked by a weighted score of six factors', () => {
  it('gives a flawless busiest unit 100 and takes each shortfall off by its weight', () => {
    const { units } = rankUnits([unit('人社局'), unit('医保局', { satisfied: 5 }), unit('住建局', { answeredLate: 10 })], DEFAULT_RANKING_WEIGHTS);
    // Half satisfied loses half of satisfaction's 30; every answer late loses all of on-time closure's 25.
    expect(units.map((u) => [u.name, u.score, u.rank])).toEqual([
      ['人社局', 100, 1],
      ['医保局', 85, 2],
      ['住建局', 75, 3],
    ]);
  });

  it('scores volume against the busiest unit, and returns, re-dos and late sign-for against the unit’s own volume', () => {
    const { units } = rankUnits([unit('A', { dispatched: 20 }), unit('B', { returns: 5, redos: 2, lateSigns: 10 })], DEFAULT_RANKING_WEIGHTS);
    const b = units.find((u) => u.name === 'B')!;
    expect(b.factors).toEqual({ volume: 0.5, satisfaction: 1, onTimeSign: 0, returns: 0.5, redos: 0.8, onTimeClose: 1 });
    // 10×0.5 + 30 + 15×0 + 10×0.5 + 10×0.8 + 25 = 73.
    expect(b.score).toBe(73);
  });

  it('does not mark a unit down for what the month did not give (no return visits yet)', () => {
    const factors = { volume: 1, satisfaction: null, onTimeSign: 1, returns: 1, redos: 1, onTimeClose: null };
    expect(scoreOf(factors, DEFAULT_RANKING_WEIGHTS)).toBe(100);
    // A weight of 0 leaves the factor out; hall weights change the order.
    const slowButLiked = unit('慢而满意', { answeredLate: 10 });
    const quickButDisliked = unit('快而不满意', { satisfied: 0 });
    expect(rankUnits([slowButLiked, quickButDisliked], DEFAULT_RANKING_WEIGHTS).units[0]!.name).toBe('慢而满意');
    expect(rankUnits([slowButLiked, quickButDisliked], { ...DEFAULT_RANKING_WEIGHTS, satisfaction: 0 }).units[0]!.name).toBe('快而不满意');
  });

  it('puts the top five on the red list and the bottom five on the black list, never one unit on both', () => {
    const many = Array.from({ length: 12 }, (_, i) => unit(`单位${String(i + 1).padStart(2, '0')}`, { satisfied: 10 - i * 0.5 }));
    const r = rankUnits([...many, unit('无派单', { dispatched: 0, revisits: 0, satisfied: 0, answered: 0 })], DEFAULT_RANKING_WEIGHTS);
    expect(r.red.map((u) => u.name)).toEqual(['单位01', '单位02', '单位03', '单位04', '单位05']);
    // Worst first; a unit with no dispatches is not ranked at all.
    expect(r.black.map((u) => u.name)).toEqual(['单位12', '单位11', '单位10', '单位09', '单位08']);
    expect(r.units).toHaveLength(12);
    const small = rankUnits([unit('甲'), unit('乙', { satisfied: 9 }), unit('丙', { satisfied: 8 })], DEFAULT_RANKING_WEIGHTS);
    expect([small.red.map((u) => u.name), small.black.map((u) => u.name)]).toEqual([['甲', '乙', '丙'], []]);
    expect(rankUnits([unit('甲'), unit('乙', { satisfied: 9 }), unit('丙', { satisfied: 8 })], DEFAULT_RANKING_WEIGHTS, 1).black.map((u) => u.name)).toEqual(['丙']);
  });
});
