// An appeal (诉求, the 12345 model) as one table of allowed moves, and its state replayed from the
// append-only action log. Received, dispatched to a unit at a grid level with a time limit, signed for or
// returned with a reason, re-dispatched, escalated a level up when the level cannot solve it, extended with
// approval, answered, and closed only by the return visit (回访): an appeal never closes unfinished.
// Pure: no I/O, shared with the web app.

export const APPEAL_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];
export const APPEAL_TYPE_LABELS: Record<AppealType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
};

/** Grid management's levels, lowest first: each solves what it can and escalates the rest. */
export const APPEAL_LEVELS = ['grid', 'community', 'street', 'district'] as const;
export type AppealLevel = (typeof APPEAL_LEVELS)[number];
export const APPEAL_LEVEL_LABELS: Record<AppealLevel, string> = { grid: '网格', community: '社区', street: '街道', district: '区县' };

export const APPEAL_STATUSES = ['received', 'dispatched', 'accepted', 'returned', 'answered', 'closed'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];
export const APPEAL_STATUS_LABELS: Record<AppealStatus, string> = {
  received: '已受理待派发',
  dispatched: '已派发待签收',
  accepted: '已签收办理中',
  returned: '已退回待改派',
  answered: '已答复待回访',
  closed: '已回访办结',
};

export const APPEAL_ACTIONS = [
  'receive',
  'dispatch',
  'sign',
  'return',
  'escalate',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'answer',
  'revisit',
  'supervise',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];
export const APPEAL_ACTION_LABELS: Record<AppealAction, string> = {
  receive: '受理',
  dispatch: '派发',
  sign: '签收',
  return: '退回',
  escalate: '上报上一级',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '驳回延期',
  answer: '答复诉求人',
  revisit: '回访',
  supervise: '超时督办',
};

const OPEN: readonly AppealStatus[] = ['received', 'dispatched', 'accepted', 'returned', 'answered'];

/** action → (from → to); `revisit` goes to `closed`, or back to `accepted` when the appellant is not satisfied. */
const MOVES: Record<Exclude<AppealAction, 'receive'>, Partial<Record<AppealStatus, AppealStatus>>> = {
  dispatch: { received: 'dispatched', returned: 'dispatched' },
  sign: { dispatched: 'accepted' },
  // A unit returns what is not its business before signing for it, with the reason.
  return: { dispatched: 'returned' },
  // Escalating hands the appeal to a unit of the next level, which signs for it again.
  escalate: { dispatched: 'dispatched', accepted: 'dispatched' },
  request_extension: { accepted: 'accepted' },
  approve_extension: { accepted: 'accepted' },
  reject_extension: { accepted: 'accepted' },
  answer: { accepted: 'answered' },
  revisit: { answered: 'closed' },
  supervise: Object.fromEntries(OPEN.map((s) => [s, s])),
};

/** Answers at a return visit that send the appeal back for rework (重办) instead of closing it. */
export const REWORK_SATISFACTION = ['dissatisfied', 'very_dissatisfied'] as const;

export interface AppealState {
  status: AppealStatus;
  level: AppealLevel;
  departmentId: string | null;
}

export interface AppealStep {
  action: AppealAction;
  /** What the action carries that the state depends on. */
  level?: AppealLevel;
  departmentId?: string | null;
  satisfaction?: string | null;
}

export class AppealMoveError extends Error {
  constructor(
    readonly from: AppealStatus | null,
    readonly action: AppealAction,
    readonly why: 'transition' | 'top_level' | 'department',
  ) {
    super(`${action} not allowed from ${from ?? 'nothing'} (${why})`);
  }
}

export function nextLevel(level: AppealLevel): AppealLevel | null {
  return APPEAL_LEVELS[APPEAL_LEVELS.indexOf(level) + 1] ?? null;
}

/** The state after one step; throws AppealMoveError when the table does not allow it. */
export function applyAppealStep(state: AppealState | null, step: AppealStep): AppealState {
  if (step.action === 'receive') {
    if (state !== null) throw new AppealMoveError(state.status, 'receive', 'transition');
    return { status: 'received', level: step.level ?? 'district', departmentId: null };
  }
  if (state === null) throw new AppealMoveError(null, step.action, 'transition');
  let to = MOVES[step.action][state.status];
  if (!to) throw new AppealMoveError(state.status, step.action, 'transition');
  switch (step.action) {
    case 'dispatch': {
      if (!step.departmentId) throw new AppealMoveError(state.status, step.action, 'department');
      return { status: to, level: step.level ?? state.level, departmentId: step.departmentId };
    }
    case 'escalate': {
      const up = nextLevel(state.level);
      if (!up) throw new AppealMoveError(state.status, step.action, 'top_level');
      return { status: to, level: up, departmentId: step.departmentId ?? state.departmentId };
    }
    case 'revisit':
      if ((REWORK_SATISFACTION as readonly (string | null | undefined)[]).includes(step.satisfaction)) to = 'accepted';
      return { ...state, status: to };
    default:
      return { ...state, status: to };
  }
}

/** The state an action log leads to, replayed from the first action: the log is the truth. */
export function replayAppeal(steps: readonly AppealStep[]): AppealState {
  let state: AppealState | null = null;
  for (const step of steps) state = applyAppealStep(state, step);
  if (!state) throw new AppealMoveError(null, 'receive', 'transition');
  return state;
}

/** Actions a state allows, for the desk's and inbox's buttons. */
export function allowedAppealActions(state: AppealState): AppealAction[] {
  return APPEAL_ACTIONS.filter((a) => {
    if (a === 'receive' || a === 'supervise') return false;
    if (a === 'escalate' && nextLevel(state.level) === null) return false;
    return MOVES[a][state.status] !== undefined;
  });
}

export const isAppealOpen = (status: AppealStatus): boolean => status !== 'closed';
