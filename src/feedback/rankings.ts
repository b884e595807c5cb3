// The month's 12345 红黑榜 from the appeal log: each unit's counts in one grouped query over the month's
// actions (who a dispatch went to, who signed late, returned, was sent back to redo, was visited back, and
// answered after the time limit), scored by appeal-ranking.ts with the hall's weights; JSON or a workbook.
import ExcelJS from 'exceljs';
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { departments, halls } from '../org/tables.js';
import { rankUnits, RANKING_FACTORS, type RankedUnit, type Ranking, type RankingWeights, type UnitCounts } from './appeal-ranking.js';
import { parseFeedbackSettings } from './common.js';
import { monthRange } from './indicators.js';
import { appealActions, appeals } from './tables.js';

export interface MonthRanking extends Ranking {
  month: string;
  hallName: string;
  weights: RankingWeights;
  listSize: number;
}

const count = (where: SQL) => sql<number>`(count(*) filter (where ${where}))::int`;

export async function appealRanking(db: Db, hallId: string, month: string): Promise<MonthRanking> {
  const [hall] = await db.select({ name: halls.name, zone: halls.timeZone, settings: halls.settings }).from(halls).where(eq(halls.id, hallId));
  if (!hall) throw new Error(`hall ${hallId} not found`);
  const settings = parseFeedbackSettings(hall.settings.feedback).appeal.ranking;
  const [from, to] = monthRange(month, hall.zone);
  const a = appealActions;
  const rows = await db
    .select({
      key: departments.id,
      name: departments.name,
      dispatched: count(sql`${a.action} in ('dispatch', 'escalate')`),
      lateSigns: count(sql`${a.action} = 'supervise' and ${a.data}->>'what' = 'sign'`),
      returns: count(sql`${a.action} = 'return'`),
      redos: count(sql`${a.action} = 'revisit' and ${a.statusAfter} = 'accepted'`),
      revisits: count(sql`${a.action} = 'revisit' and ${a.data}->>'satisfaction' <> 'unreachable'`),
      satisfied: count(sql`${a.action} = 'revisit' and ${a.data}->>'satisfaction' in ('very_satisfied', 'satisfied')`),
      answered: count(sql`${a.action} = 'answer'`),
      // Late: the appeal had passed its overall limit (flagged overdue) before this answer.
      answeredLate: count(sql`${a.action} = 'answer' and ${appeals.overdueAt} is not null and ${appeals.overdueAt} < ${a.at}`),
    })
    .from(a)
    .innerJoin(appeals, eq(appeals.id, a.appealId))
    .innerJoin(departments, eq(departments.id, a.departmentId))
    .where(and(eq(a.hallId, hallId), gte(a.at, from), lt(a.at, to)))
    .groupBy(departments.id, departments.name);
  const ranking = rankUnits(rows as UnitCounts[], settings.weights, settings.listSize, settings.minDispatched);
  return { month, hallName: hall.name, weights: settings.weights, listSize: settings.listSize, ...ranking };
}

const HEAD = ['名次', '单位', '得分', '派单量', '满意率', '按时签收率', '退回件', '重办件', '按时办结率'];
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const line = (u: RankedUnit) => [u.rank, u.name, u.score, u.dispatched, pct(u.factors.satisfaction), pct(u.factors.onTimeSign), u.returns, u.redos, pct(u.factors.onTimeClose)];
const WEIGHT_LABELS: Record<(typeof RANKING_FACTORS)[number], string> = { volume: '派单量', satisfaction: '满意率', onTimeSign: '按时签收', returns: '退回', redos: '重办', onTimeClose: '按时办结' };

/** The lists as a workbook: 红榜 and 黑榜 on one sheet, every ranked unit on the next, the weights last. */
export async function rankingXlsx(r: MonthRanking): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = r.hallName;
  const lists = wb.addWorksheet('红黑榜', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  lists.columns = HEAD.map((_, i) => ({ width: i === 1 ? 24 : 12 }));
  lists.addRow([`${r.hallName}${r.month.replace('-', '年')}月 12345 诉求办理红黑榜`]).font = { bold: true, size: 14 };
  for (const [title, units, color] of [[`红榜（前 ${r.listSize} 名）`, r.red, 'FFC62828'], [`黑榜（后 ${r.listSize} 名）`, r.black, 'FF303133']] as const) {
    lists.addRow([]);
    lists.addRow([title]).font = { bold: true, color: { argb: color } };
    lists.addRow(HEAD).font = { bold: true };
    units.forEach((u) => lists.addRow(line(u)));
  }
  const all = wb.addWorksheet('全部单位');
  all.columns = HEAD.map((header, i) => ({ header, width: i === 1 ? 24 : 12 }));
  all.getRow(1).font = { bold: true };
  all.addRows(r.units.map(line));
  const weights = wb.addWorksheet('评分权重');
  weights.columns = [{ header: '指标', width: 16 }, { header: '权重', width: 10 }];
  weights.getRow(1).font = { bold: true };
  weights.addRows(RANKING_FACTORS.map((f) => [WEIGHT_LABELS[f], r.weights[f]]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
