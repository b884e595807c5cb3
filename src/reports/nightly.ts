// The nightly job: once a day is over, build its roll-ups and scan it for extended services, so the
// bulletin and the dashboard read built days plus today. Reads still build any day that is missing, so a
// night the server was down costs the next reader that day's build, nothing else.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { fromLocal, localDate } from '../calendar/index.js';
import { readCalendar } from '../calendar/service.js';
import { scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { timers } from '../jobs/tables.js';
import { createExtendedService } from '../staff/extended-scan.js';
import { loadHall, shiftDate } from '../staff/hall.js';
import { rebuildDay } from './rollups.js';

export const REPORTS_NIGHTLY = 'reports.nightly';
/** 01:00 hall time: the day is closed, and the figures are ready long before the hall opens. */
const RUN_AT_MINUTE = 60;

const tomorrowRun = (now: Date, zone: string) => new Date(fromLocal(shiftDate(localDate(now.getTime(), zone), 1), RUN_AT_MINUTE, zone));

/** Makes sure the hall's nightly job is scheduled; it then reschedules itself. */
export async function ensureNightly(db: Db, hallId: string, zone: string, now: Date): Promise<void> {
  const [pending] = await db
    .select({ id: timers.id })
    .from(timers)
    .where(and(eq(timers.kind, REPORTS_NIGHTLY), eq(timers.hallId, hallId), isNull(timers.firedAt)))
    .limit(1);
  if (!pending) await scheduleTimer(db, { hallId, kind: REPORTS_NIGHTLY, key: hallId, dueAt: tomorrowRun(now, zone) });
}

export function reportsTimerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  const extended = createExtendedService(ctx);
  return {
    [REPORTS_NIGHTLY]: async (tx, timer) => {
      const h = await loadHall(tx, timer.hallId, (id) => readCalendar(tx, id));
      const now = ctx.clock.now();
      const yesterday = shiftDate(localDate(now.getTime(), h.zone), -1);
      await rebuildDay(tx, h, yesterday, now);
      await extended.scanDay(h, yesterday, tx);
      // Moves this very timer to tomorrow night; the runner keeps a timer its handler moved.
      await scheduleTimer(tx, { hallId: timer.hallId, kind: REPORTS_NIGHTLY, key: timer.hallId, dueAt: tomorrowRun(now, h.zone) });
    },
  };
}
