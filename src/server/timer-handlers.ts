import type { TimerHandler } from '../jobs/timers.js';
import type { AppContext } from './context.js';

/** Every capability's timer handlers by kind; one line per capability. */
export function timerHandlers(_ctx: AppContext): Record<string, TimerHandler> {
  return {};
}
