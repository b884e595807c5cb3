// The life of a case (办件): its state replayed from the append-only action log through the table of
// allowed moves in states.ts (the history is the truth; the stored status is a projection checked against it).
// Pure: no I/O, no clock. Deadlines come from src/calendar.
import { deadlineFor, lightAt, nextLightChange, type Deadline, type Light, type LightChange, type LightSettings } from '../calendar/index.js';
import type { HallHours, WorkingCalendar } from '../calendar/index.js';
import {
  ACTION_LABELS,
  STATUS_LABELS,
  targetsOf,
  type AcceptedKind,
  type CaseAction,
  type CaseKind,
  type CaseStatus,
  type LogAction,
  type PauseKind,
} from './states.js';

export * from './states.js';

/** What each logged action carries that the replay needs (the log row holds more for people). */
export interface ActionFacts {
  receive: {
    acceptedKind: AcceptedKind;
    /** The time limit in working days once accepted (承诺时限, or the joint case's). */
    limitDays: number;
    /** Material ids the guide requires for this application, and those handed in at receipt. */
    required: string[];
    received: string[];
    tasks: { departmentId: string; limitDays: number }[];
    /** The hall only takes the item in (收件转报, the catalogue per level): a hall above decides it. */
    takeInOnly?: boolean;
  };
  accept: Record<string, never>;
  correct: Record<string, never>;
  supplement: { materials: string[] };
  reject: Record<string, never>;
  no_approval: Record<string, never>;
  return: Record<string, never>;
  escalate: { forwardLimitDays: number };
  forward: { resultLimitDays: number };
  pause: { pauseKind: PauseKind };
  resume: Record<string, never>;
  task_complete: { departmentId: string };
  complete: Record<string, never>;
  schedule_pickup: Record<string, never>;
  pick_up: Record<string, never>;
  mail: Record<string, never>;
  /** To the hall above that decides the item: its department for it, and the working days it has to sign. */
  transfer: { toHallId: string; departmentId: string | null; signLimitDays: number };
  /** The deciding hall's own promised limit for the item, which runs from its acceptance. */
  sign: { limitDays: number };
  decline: Record<string, never>;
  send_back: Record<string, never>;
}

export type LogEntry = { [A in LogAction]: { action: A; at: number; facts: ActionFacts[A] } }[LogAction];

export interface PauseSpan {
  kind: PauseKind;
  from: number;
  to: number | null;
}

/** A case's way to a hall above it and back (上报件 within the network): one hop, from the receiving hall. */
export interface CaseRoute {
  toHallId: string;
  /** The deciding hall's department for the item; null when its catalogue names none (the whole hall sees it). */
  departmentId: string | null;
  sentAt: number;
  signedAt: number | null;
  returnedAt: number | null;
}

/** Which hall a staff member acts for: the one that received the case, or the one it was transferred to. */
export type CaseSide = 'origin' | 'upper';

/** A running time limit: from `startAt`, `limitDays` working days, stopped by pauses when pausable. */
export interface CaseClock {
  startAt: number;
  limitDays: number;
  pausable: boolean;
}

export interface CaseState {
  status: CaseStatus;
  kind: CaseKind;
  acceptedKind: AcceptedKind;
  limitDays: number;
  required: string[];
  received: string[];
  tasks: { departmentId: string; limitDays: number }[];
  tasksDone: string[];
  receivedAt: number;
  /** When the hall's clock first started (acceptance, or the supplement that completed the file). */
  acceptedAt: number | null;
  clock: CaseClock | null;
  pauses: PauseSpan[];
  finishedAt: number | null;
  takeInOnly: boolean;
  route: CaseRoute | null;
}

export const missingOf = (state: Pick<CaseState, 'required' | 'received'>) => state.required.filter((id) => !state.received.includes(id));

export class InvalidTransition extends Error {
  constructor(
    readonly status: CaseStatus,
    readonly action: LogAction,
  ) {
    super(`办件${STATUS_LABELS[status]}，不能${ACTION_LABELS[action]}`);
  }
}

const inProgress = (state: CaseState): CaseStatus => (state.acceptedKind === 'joint' ? 'joint_review' : 'accepted');

/** The state after one logged action; throws InvalidTransition when the table does not allow it. */
export function applyAction(state: CaseState, entry: Exclude<LogEntry, { action: 'receive' }>): CaseState {
  const targets = targetsOf(state.status, entry.action);
  if (targets.length === 0) throw new InvalidTransition(state.status, entry.action);
  const next: CaseState = { ...state, pauses: [...state.pauses] };
  const at = entry.at;
  const startClock = () => {
    next.acceptedAt ??= at;
    next.clock = { startAt: at, limitDays: state.limitDays, pausable: true };
  };
  const finish = (status: CaseStatus) => {
    next.status = status;
    next.finishedAt = at;
  };
  // A refusal by the deciding hall ends its part: the written notice goes back with the case at once.
  const handBack = () => {
    if (holderOf(state) === 'upper') next.route = { ...state.route!, returnedAt: at };
  };
  switch (entry.action) {
    case 'accept':
      next.status = inProgress(state);
      startClock();
      break;
    case 'correct':
      next.status = 'awaiting_supplement';
      next.kind = 'supplement';
      break;
    case 'supplement': {
      next.received = [...new Set([...state.received, ...entry.facts.materials])];
      if (missingOf(next).length === 0) {
        next.kind = state.acceptedKind;
        if (state.takeInOnly && holderOf(state) === 'origin') {
          next.status = 'received';
        } else {
          next.status = inProgress(state);
          startClock();
        }
      }
      break;
    }
    case 'reject':
      next.kind = 'returned';
      finish('not_accepted');
      handBack();
      break;
    case 'return':
      next.kind = 'returned';
      finish('returned');
      handBack();
      break;
    case 'no_approval':
      finish('not_required');
      handBack();
      break;
    case 'escalate':
      next.status = 'escalated';
      next.kind = 'escalated';
      next.acceptedAt ??= at;
      next.clock = { startAt: at, limitDays: entry.facts.forwardLimitDays, pausable: false };
      break;
    case 'forward':
      next.status = 'forwarded';
      next.clock = { startAt: at, limitDays: entry.facts.resultLimitDays, pausable: false };
      break;
    case 'pause':
      next.status = 'paused';
      next.pauses.push({ kind: entry.facts.pauseKind, from: at, to: null });
      break;
    case 'resume': {
      const open = next.pauses.at(-1);
      if (open) next.pauses[next.pauses.length - 1] = { ...open, to: at };
      next.status = inProgress(state);
      break;
    }
    case 'task_complete': {
      if (!state.tasks.some((t) => t.departmentId === entry.facts.departmentId) || state.tasksDone.includes(entry.facts.departmentId)) {
        throw new InvalidTransition(state.status, entry.action);
      }
      next.tasksDone = [...state.tasksDone, entry.facts.departmentId];
      if (next.tasksDone.length === state.tasks.length) finish('completed');
      break;
    }
    case 'complete':
      finish('completed');
      break;
    case 'schedule_pickup':
      break;
    case 'pick_up':
    case 'mail':
      next.status = 'delivered';
      break;
    case 'transfer':
      next.status = 'transferred';
      next.kind = 'escalated';
      next.clock = { startAt: at, limitDays: entry.facts.signLimitDays, pausable: false };
      next.route = { toHallId: entry.facts.toHallId, departmentId: entry.facts.departmentId, sentAt: at, signedAt: null, returnedAt: null };
      break;
    case 'sign':
      next.status = 'received';
      next.clock = null;
      next.limitDays = entry.facts.limitDays;
      next.route = state.route && { ...state.route, signedAt: at };
      break;
    case 'decline':
      next.status = 'received';
      next.kind = state.acceptedKind;
      next.clock = null;
      next.route = null;
      break;
    case 'send_back':
      next.route = state.route && { ...state.route, returnedAt: at };
      break;
  }
  // The table is the contract: a rule above that strays from it is a bug, not a move.
  if (!targets.includes(next.status)) throw new Error(`lifecycle rule for ${entry.action} led to ${next.status}, not in the table`);
  return next;
}

/** The state of a case replayed from its whole log, which must start with `receive`. */
export function replay(log: readonly LogEntry[]): CaseState {
  const [first, ...rest] = log;
  if (!first || first.action !== 'receive') throw new Error('a case log starts with receive');
  const f = first.facts;
  let state: CaseState = {
    status: 'received',
    kind: f.acceptedKind,
    acceptedKind: f.acceptedKind,
    limitDays: f.limitDays,
    required: [...f.required],
    received: [...new Set(f.received)],
    tasks: f.tasks.map((t) => ({ ...t })),
    tasksDone: [],
    receivedAt: first.at,
    acceptedAt: null,
    clock: null,
    pauses: [],
    finishedAt: null,
    takeInOnly: f.takeInOnly ?? false,
    route: null,
  };
  for (const entry of rest) {
    if (entry.action === 'receive') throw new Error('a case log has one receive');
    state = applyAction(state, entry);
  }
  return state;
}

/** The hall that holds the case: the deciding hall from signing until its result or refusal goes back. */
export const holderOf = (state: Pick<CaseState, 'route'>): CaseSide =>
  state.route && state.route.signedAt !== null && state.route.returnedAt === null ? 'upper' : 'origin';

const DELIVERY: readonly CaseAction[] = ['schedule_pickup', 'pick_up', 'mail'];
/** What only a hall that decides the item may do. */
const DECIDING: readonly CaseAction[] = ['accept', 'reject', 'no_approval', 'escalate'];

/**
 * Why the hall on `side` may not take an action the table allows, or null when it may: a transferred case
 * waits for the deciding hall to sign; then that hall decides and the receiving hall waits; the result is
 * handed to the applicant where the case was received, once it is back.
 */
export function routeProblem(state: CaseState, action: CaseAction, side: CaseSide): string | null {
  if (state.status === 'transferred') return side === 'upper' ? null : '办件已转报上级中心，待对方签收';
  if (action === 'transfer') {
    if (side !== 'origin' || state.route) return '办件只能由收件的中心转报一次';
    return state.tasks.length ? '联办件由本中心牵头办理，不能转报上级中心' : null;
  }
  if (action === 'send_back') return side === 'upper' && holderOf(state) === 'upper' ? null : '只有签收办理的上级中心可以回传结果';
  if (side !== holderOf(state)) return side === 'upper' ? '办件已回传收件中心' : '办件由上级中心办理中，结果回传后才能继续';
  if (side === 'upper' && DELIVERY.includes(action)) return '结果由收件中心交给申请人，请先回传结果';
  if (side === 'origin' && state.takeInOnly && DECIDING.includes(action)) return '本中心对该事项只收件转报，请转报上级中心办理';
  return null;
}

export interface HallTime {
  calendar: WorkingCalendar;
  hours: HallHours;
  zone: string;
  lights: LightSettings;
}

function deadlineOfClock(clock: CaseClock, pauses: readonly PauseSpan[], limitDays: number, t: HallTime): Deadline | null {
  return deadlineFor({
    calendar: t.calendar,
    hours: t.hours,
    acceptedAt: clock.startAt,
    limitDays,
    // Time paused before this clock started is ignored by deadlineFor.
    pauses: clock.pausable ? pauses : [],
    zone: t.zone,
  });
}

/** The deadline of the running clock; null before acceptance and while a pause holds the clock. */
export function deadlineOf(state: CaseState, t: HallTime): Deadline | null {
  return state.clock ? deadlineOfClock(state.clock, state.pauses, state.clock.limitDays, t) : null;
}

/** A joint case's sub-deadline for one department: its own limit on the case's clock. */
export function taskDeadlineOf(state: CaseState, limitDays: number, t: HallTime): Deadline | null {
  return state.clock && state.clock.pausable ? deadlineOfClock(state.clock, state.pauses, limitDays, t) : null;
}

export interface LightNow {
  light: Light | null;
  next: LightChange | null;
}

/**
 * The light of a case at `now`, and when it changes next. A finished case keeps the light it finished
 * with (red when it finished late); a case without a running deadline has none.
 */
export function lightOf(state: CaseState, deadline: Deadline | null, now: number, t: HallTime): LightNow {
  if (!deadline) return { light: null, next: null };
  if (state.finishedAt !== null) return { light: lightAt(t.calendar, t.hours, deadline.at, state.finishedAt, t.lights, t.zone), next: null };
  return {
    light: lightAt(t.calendar, t.hours, deadline.at, now, t.lights, t.zone),
    next: nextLightChange(t.calendar, t.hours, deadline.at, now, t.lights, t.zone),
  };
}
