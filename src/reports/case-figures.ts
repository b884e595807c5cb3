// The period's case and consultation figures, summed from the daily roll-ups (src/reports/rollups.ts):
// accepted (受理: the hall's clock started) and finished (办结: completed or delivered), by kind, window,
// department and handler; consultations per window.
import type { Db } from '../db/client.js';
import type { HallContext } from '../staff/hall.js';
import { caseDays, consultationRows, type CaseDayRow } from './rollups.js';

export interface CaseCounts {
  accepted: number;
  finished: number;
  immediate: number;
  promised: number;
  joint: number;
  withDeadline: number;
  onTime: number;
}

export interface CaseFigures {
  totals: CaseCounts;
  byWindow: Map<string | null, CaseCounts>;
  byDepartment: Map<string, CaseCounts>;
  byHandler: Map<string | null, CaseCounts>;
}

export const emptyCounts = (): CaseCounts => ({ accepted: 0, finished: 0, immediate: 0, promised: 0, joint: 0, withDeadline: 0, onTime: 0 });

/** On-time share of finished cases that had a deadline, 0..1 to four places (as the rating indicators). */
export const onTimeRate = (c: Pick<CaseCounts, 'withDeadline' | 'onTime'>): number | null =>
  c.withDeadline === 0 ? null : Math.round((c.onTime / c.withDeadline) * 10_000) / 10_000;

/** Adds one roll-up row to counts. 承诺件 counts joint cases too (they run on a promised limit); `joint` says how many. */
export function addRow(c: CaseCounts, r: Pick<CaseDayRow, 'accepted' | 'finished' | 'accepted_kind' | 'with_deadline' | 'on_time'>): void {
  const finished = Number(r.finished);
  c.accepted += Number(r.accepted);
  c.finished += finished;
  if (r.accepted_kind === 'immediate') c.immediate += finished;
  else c.promised += finished;
  if (r.accepted_kind === 'joint') c.joint += finished;
  c.withDeadline += Number(r.with_deadline);
  c.onTime += Number(r.on_time);
}

export async function caseFigures(db: Db, h: HallContext, from: string, to: string, now: Date): Promise<CaseFigures> {
  const figures: CaseFigures = { totals: emptyCounts(), byWindow: new Map(), byDepartment: new Map(), byHandler: new Map() };
  const into = <K>(map: Map<K, CaseCounts>, key: K, r: CaseDayRow) => {
    let c = map.get(key);
    if (!c) map.set(key, (c = emptyCounts()));
    addRow(c, r);
  };
  for (const r of await caseDays(db, h, from, to, now)) {
    addRow(figures.totals, r);
    into(figures.byWindow, r.window_id, r);
    into(figures.byDepartment, r.department_id, r);
    into(figures.byHandler, r.handler_id, r);
  }
  return figures;
}

/** Consultations (咨询) per window: visits finished there whose ticket led to no case. */
export async function consultationsByWindow(db: Db, h: HallContext, from: string, to: string, now: Date): Promise<Map<string, number>> {
  return new Map((await consultationRows(db, h, from, to, now)).map((r) => [r.window_id, Number(r.consultations)]));
}
