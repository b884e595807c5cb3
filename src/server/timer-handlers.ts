import { appointmentTimerHandlers } from '../appointments/service.js';
import { caseTimerHandlers } from '../cases/service.js';
import { feedbackTimerHandlers } from '../feedback/index.js';
import { queueTimerHandlers } from '../queue/sweep.js';
import { onlineTimerHandlers } from '../online/service.js';
import { opsTimerHandlers } from '../ops/reseal.js';
import type { TimerHandler } from '../jobs/timers.js';
import { reportsTimerHandlers } from '../reports/nightly.js';
import { staffTimerHandlers } from '../staff/gaps.js';
import type { AppContext } from './context.js';

/** Every capability's timer handlers by kind; one line per capability. */
export function timerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  return {
    ...appointmentTimerHandlers(ctx),
    ...caseTimerHandlers(ctx),
    ...feedbackTimerHandlers,
    ...queueTimerHandlers(ctx),
    ...staffTimerHandlers(ctx),
    ...reportsTimerHandlers(ctx),
    ...onlineTimerHandlers(ctx),
    ...opsTimerHandlers(ctx),
  };
}
