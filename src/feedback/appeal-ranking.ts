// 12345 红黑榜: the month's ranking of units (departments) over the appeals dispatched to them, by volume,
// satisfaction at the return visit, on-time sign-for, returns, re-dos and on-time closure (domain.md,
// local rules: top five and bottom five). No national text fixes the weights: the defaults below are this
// project's [local] choice, a hall setting (settings.feedback.appeal.ranking). Pure, shared with the web app.

export const RANKING_FACTORS = ['volume', 'satisfaction', 'onTimeSign', 'returns', 'redos', 'onTimeClose'] as const;
export type RankingFactor = (typeof RANKING_FACTORS)[number];
export type RankingWeights = Record<RankingFactor, number>;

/**
 * Defaults, out of 100: what the person feels (satisfaction, closing in time) weighs most; the unit's own
 * discipline (signing for in time, not bouncing or redoing work) next; sheer volume least, so a busy unit
 * gets some credit without a quiet one being punished for quiet.
 */
export const DEFAULT_RANKING_WEIGHTS: RankingWeights = { volume: 10, satisfaction: 30, onTimeSign: 15, returns: 10, redos: 10, onTimeClose: 25 };

/** A unit's counts for the month, from the appeal log. */
export interface UnitCounts {
  key: string;
  name: string;
  /** Dispatches to the unit (派单), first or again, and escalations handed to it. */
  dispatched: number;
  /** Dispatches the unit did not sign for in time (supervised for sign-for). */
  lateSigns: number;
  /** Appeals the unit sent back as not its business (退回). */
  returns: number;
  /** Appeals sent back to the unit after a dissatisfied return visit (重办). */
  redos: number;
  /** Return visits that reached the appellant, and of those the satisfied ones (非常满意, 满意). */
  revisits: number;
  satisfied: number;
  /** Answers given, and those given after the appeal's time limit. */
  answered: number;
  answeredLate: number;
}

export interface RankedUnit extends UnitCounts {
  /** Each factor as a share in [0, 1], higher better; null when the month gives nothing to judge it by. */
  factors: Record<RankingFactor, number | null>;
  /** 0-100: the weighted mean of the factors that could be judged. */
  score: number;
  rank: number;
}

export interface Ranking {
  units: RankedUnit[];
  red: RankedUnit[];
  black: RankedUnit[];
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const round = (x: number) => Math.round(x * 10) / 10;

export function factorsOf(u: UnitCounts, busiest: number): Record<RankingFactor, number | null> {
  return {
    volume: share(u.dispatched, busiest),
    satisfaction: share(u.satisfied, u.revisits),
    onTimeSign: share(Math.max(0, u.dispatched - u.lateSigns), u.dispatched),
    returns: u.dispatched > 0 ? 1 - Math.min(1, u.returns / u.dispatched) : null,
    redos: u.dispatched > 0 ? 1 - Math.min(1, u.redos / u.dispatched) : null,
    onTimeClose: share(u.answered - u.answeredLate, u.answered),
  };
}

/** The weighted mean over the factors that exist, so a unit is not marked down for what did not happen. */
export function scoreOf(factors: Record<RankingFactor, number | null>, weights: RankingWeights): number {
  let sum = 0;
  let weight = 0;
  for (const f of RANKING_FACTORS) {
    const v = factors[f];
    if (v === null || weights[f] <= 0) continue;
    sum += v * weights[f];
    weight += weights[f];
  }
  return weight > 0 ? round((sum / weight) * 100) : 0;
}

/**
 * Ranks the units that had at least `minDispatched` dispatches: best score first, ties by more volume, then
 * name. The red list is the top `size`, the black list the bottom `size` of those not on the red list (a
 * small hall's unit is never on both).
 */
export function rankUnits(units: readonly UnitCounts[], weights: RankingWeights, size = 5, minDispatched = 1): Ranking {
  const ranked = units.filter((u) => u.dispatched >= Math.max(1, minDispatched));
  const busiest = Math.max(0, ...ranked.map((u) => u.dispatched));
  const scored = ranked
    .map((u) => {
      const factors = factorsOf(u, busiest);
      return { ...u, factors, score: scoreOf(factors, weights), rank: 0 };
    })
    .sort((a, b) => b.score - a.score || b.dispatched - a.dispatched || a.name.localeCompare(b.name, 'zh-CN'));
  scored.forEach((u, i) => (u.rank = i + 1));
  const red = scored.slice(0, size);
  const black = scored.slice(Math.max(red.length, scored.length - size)).reverse();
  return { units: scored, red, black };
}
