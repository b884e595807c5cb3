import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';

/**
 * GET /health for load balancers and monitoring: 200 `{status:'ok'}` while the database answers and no
 * timer this node can fire is overdue by more than the allowed lag (a stuck worker means reminders and
 * lights stop), 503 `{status:'unavailable'}` otherwise, with the reason in `checks`.
 */
export function registerHealth(app: FastifyInstance, ctx: AppContext, timerKinds: string[]): void {
  app.get('/health', async (_req, reply) => {
    let lagSeconds: number;
    try {
      const [row] = await ctx.database.query<{ due: Date | string | null }>(
        `SELECT min(due_at) AS due FROM timers WHERE fired_at IS NULL AND due_at <= $1 AND kind = ANY($2::text[])`,
        [ctx.clock.now().toISOString(), timerKinds],
      );
      lagSeconds = row?.due ? Math.max(0, Math.round((ctx.clock.now().getTime() - new Date(row.due).getTime()) / 1000)) : 0;
    } catch {
      return reply.code(503).send({ status: 'unavailable', checks: { database: 'unavailable' } });
    }
    const timersOk = lagSeconds <= ctx.config.maxTimerLagSeconds;
    return reply
      .code(timersOk ? 200 : 503)
      .send({ status: timersOk ? 'ok' : 'unavailable', checks: { database: 'ok', timerLagSeconds: lagSeconds } });
  });
}
