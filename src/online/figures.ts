// Figures for the monthly bulletin: how much of the hall's work can be, and is, done online, and how
// often people still had to come in (the 最多跑一次 rate).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { formatDate, parseDate } from '../calendar/dates.js';
import { fromLocal } from '../calendar/zone.js';
import { rowsOf } from '../db/reads.js';

export interface OnlineFigures {
  /** Published items, and those flagged online-applicable (网上可办率 = the share). */
  items: number;
  onlineItems: number;
  onlineItemShare: number | null;
  /** Cases received in the period, those that came in as online applications, and the share. */
  cases: number;
  onlineCases: number;
  onlineCaseShare: number | null;
  /** Trips to the hall for those cases, and per case; at most 1 is the 最多跑一次 promise. */
  visits: number;
  averageVisits: number | null;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const perCase = (visits: number, cases: number) => (cases === 0 ? null : Math.round((visits / cases) * 100) / 100);

/** The shares recomputed from counts: one rule for a hall and for a subtree's summed counts. */
export function onlineShares(c: Pick<OnlineFigures, 'items' | 'onlineItems' | 'cases' | 'onlineCases' | 'visits'>): OnlineFigures {
  return { ...c, onlineItemShare: share(c.onlineItems, c.items), onlineCaseShare: share(c.onlineCases, c.cases), averageVisits: perCase(c.visits, c.cases) };
}

/**
 * Figures for the days `from` to `to` (YYYY-MM-DD, both included, hall time). A visit is a trip to the
 * hall: at the counter, the receipt, each time materials were brought later (补齐材料) and the pick-up of
 * the result; online, the one trip with originals when the applicant chose it, and the pick-up.
 */
export async function onlineFigures(db: Db, hallId: string, from: string, to: string): Promise<OnlineFigures> {
  const start = new Date(fromLocal(from, 0)).toISOString();
  const end = new Date(fromLocal(formatDate(parseDate(to) + 1), 0)).toISOString();
  const [items] = await db.execute(sql`
    select count(*) as items, count(*) filter (where online_applicable) as online
    from services where hall_id = ${hallId} and current_guide_version is not null`).then(rowsOf<{ items: string; online: string }>);
  const [work] = await db.execute(sql`
    select count(*) as cases, count(o.id) as online,
      sum(
        case when o.id is null
          then 1 + (select count(*) from case_actions a where a.case_id = c.id and a.action = 'supplement')
          else case when o.finish = 'once' then 1 else 0 end
        end
        + case when exists (select 1 from case_actions a where a.case_id = c.id and a.action = 'pick_up') then 1 else 0 end
      ) as visits
    from cases c left join online_applications o on o.case_id = c.id
    where c.hall_id = ${hallId} and c.received_at >= ${start} and c.received_at < ${end}`).then(rowsOf<{ cases: string; online: string; visits: string | null }>);
  return onlineShares({
    items: Number(items?.items ?? 0),
    onlineItems: Number(items?.online ?? 0),
    cases: Number(work?.cases ?? 0),
    onlineCases: Number(work?.online ?? 0),
    visits: Number(work?.visits ?? 0),
  });
}

