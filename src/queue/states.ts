// The ticket's life as one table of allowed moves. Services ask `move(status, action)` before writing,
// so no code path can put a ticket into a state this table does not allow.

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'skipped', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = ['call', 'recall', 'start', 'complete', 'nextStep', 'skip', 'restore', 'transfer', 'cancel', 'sweep'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** action → (from → to). `nextStep` is completing one step of a one-window chain: the ticket queues again. */
const MOVES: Record<TicketAction, Partial<Record<TicketStatus, TicketStatus>>> = {
  call: { waiting: 'called' },
  recall: { called: 'called' },
  start: { called: 'serving' },
  // Staff often finish a quick matter without pressing "start": completing a called ticket is allowed.
  complete: { called: 'done', serving: 'done' },
  nextStep: { called: 'waiting', serving: 'waiting' },
  skip: { called: 'skipped' },
  restore: { skipped: 'waiting' },
  transfer: { called: 'waiting', serving: 'waiting' },
  // A visitor withdrawing, or a kiosk whose print failed, so no phantom number stays in the line.
  cancel: { waiting: 'cancelled' },
  // The day's sweep (日终清号) at closing: nobody carries over into the next day's line.
  sweep: { waiting: 'cancelled', called: 'cancelled', serving: 'cancelled' },
};

export const ACTION_LABELS: Record<TicketAction, string> = {
  call: '叫号',
  recall: '重呼',
  start: '开始办理',
  complete: '办结',
  nextStep: '转入下一环节',
  skip: '过号',
  restore: '恢复排队',
  transfer: '转移',
  cancel: '取消',
  sweep: '日终清号',
};

export const STATUS_LABELS: Record<TicketStatus, string> = {
  waiting: '等候中',
  called: '已叫号',
  serving: '办理中',
  done: '已办结',
  skipped: '已过号',
  cancelled: '已取消',
};

/** The status after `action`, or null when the table does not allow it from `from`. */
export function move(from: TicketStatus, action: TicketAction): TicketStatus | null {
  return MOVES[action][from] ?? null;
}

/** Actions allowed from a status, for the console's buttons. */
export function allowedActions(from: TicketStatus): TicketAction[] {
  return TICKET_ACTIONS.filter((a) => move(from, a) !== null);
}
