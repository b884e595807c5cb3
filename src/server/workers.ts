import type { FastifyBaseLogger } from 'fastify';
import { createTimerRunner, type TimerHandler } from '../jobs/timers.js';
import { createNoticeSender, recordingAdapter, type NoticeAdapter } from '../notify/sender.js';
import type { NightlyBackup } from '../ops/nightly.js';
import type { AppContext } from './context.js';

/**
 * Background work of an app node: due timers and the notification outbox. Every node runs it; claiming
 * rows with SKIP LOCKED keeps each timer and message to one node.
 */
export function startWorkers(
  ctx: AppContext,
  handlers: Record<string, TimerHandler>,
  options: { intervalMs?: number; adapter?: NoticeAdapter; log?: FastifyBaseLogger; backup?: NightlyBackup } = {},
) {
  const timers = createTimerRunner(ctx, handlers);
  const sender = createNoticeSender(ctx, options.adapter ?? recordingAdapter);
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= (async () => {
      try {
        await timers.runDue();
        await sender.sendPending();
        const file = await options.backup?.runIfDue();
        if (file) options.log?.info({ file }, 'nightly backup taken');
      } catch (err) {
        options.log?.error({ err }, 'background work failed; retried at the next tick');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const interval = setInterval(() => void tick(), options.intervalMs ?? 5_000);
  interval.unref();
  void tick(); // timers that fell due while the server was down fire right away
  return {
    tick,
    async stop() {
      clearInterval(interval);
      await running;
    },
  };
}
