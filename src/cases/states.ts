// The kinds, statuses and actions of a case, and the one table of allowed moves. No imports, so the web
// app shares it (the case page shows the buttons the table allows).

export const CASE_KINDS = ['immediate', 'promised', 'joint', 'supplement', 'returned', 'escalated'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
/** The kind a case takes once accepted: the service's own kind, or joint. */
export type AcceptedKind = 'immediate' | 'promised' | 'joint';

export const CASE_STATUSES = [
  'received',
  'awaiting_supplement',
  'accepted',
  'joint_review',
  'paused',
  'escalated',
  'forwarded',
  'transferred',
  'completed',
  'delivered',
  'returned',
  'not_accepted',
  'not_required',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which the hall still owes the applicant a decision or a result: the boards show these. */
export const OPEN_STATUSES = ['received', 'awaiting_supplement', 'accepted', 'joint_review', 'paused', 'escalated', 'forwarded', 'transferred'] as const satisfies readonly CaseStatus[];
export const isOpen = (status: CaseStatus) => (OPEN_STATUSES as readonly CaseStatus[]).includes(status);

/** What staff may do to a case (POST /cases/{caseNumber}/actions). `receive` only starts a log. */
export const CASE_ACTIONS = [
  'accept',
  'correct',
  'supplement',
  'reject',
  'no_approval',
  'return',
  'escalate',
  'forward',
  'pause',
  'resume',
  'task_complete',
  'complete',
  'schedule_pickup',
  'pick_up',
  'mail',
  'transfer',
  'sign',
  'decline',
  'send_back',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
export type LogAction = 'receive' | CaseAction;

/** Reasons the law lets the clock stop (行政许可法 第45条), and the site visits the hall adds. */
export const PAUSE_KINDS = ['hearing', 'testing', 'expert_review', 'site_visit'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

/**
 * The allowed moves: status → action → the statuses it may lead to. Where there are several, the
 * case's facts choose (`resolve`): a joint case reviews in `joint_review`, a supplement with something
 * still missing stays waiting, the last department's task completes a joint case. Everything not listed
 * is refused (409 INVALID_TRANSITION).
 */
export const TRANSITIONS = {
  received: {
    accept: ['accepted', 'joint_review'],
    correct: ['awaiting_supplement'],
    reject: ['not_accepted'],
    no_approval: ['not_required'],
    return: ['returned'],
    escalate: ['escalated'],
    // 上报件 within the network: to a hall above that decides the item, which signs for it (or declines).
    transfer: ['transferred'],
  },
  transferred: {
    sign: ['received'],
    decline: ['received'],
  },
  awaiting_supplement: {
    // Complete at a hall that only takes the item in, the case waits there to be transferred.
    supplement: ['awaiting_supplement', 'accepted', 'joint_review', 'received'],
    reject: ['not_accepted'],
    return: ['returned'],
  },
  accepted: {
    complete: ['completed'],
    pause: ['paused'],
    escalate: ['escalated'],
    return: ['returned'],
  },
  joint_review: {
    task_complete: ['joint_review', 'completed'],
    pause: ['paused'],
    return: ['returned'],
  },
  paused: {
    resume: ['accepted', 'joint_review'],
    return: ['returned'],
  },
  escalated: {
    forward: ['forwarded'],
    return: ['returned'],
  },
  forwarded: {
    complete: ['completed'],
    return: ['returned'],
  },
  completed: {
    // The deciding hall hands the result back to the hall that received the case.
    send_back: ['completed'],
    schedule_pickup: ['completed'],
    pick_up: ['delivered'],
    mail: ['delivered'],
  },
  delivered: {},
  returned: {},
  not_accepted: {},
  not_required: {},
} as const satisfies { [S in CaseStatus]: Partial<Record<CaseAction, readonly CaseStatus[]>> };

export const KIND_LABELS: Record<CaseKind, string> = {
  immediate: '即办件',
  promised: '承诺件',
  joint: '联办件',
  supplement: '补办件',
  returned: '退回件',
  escalated: '上报件',
};

export const STATUS_LABELS: Record<CaseStatus, string> = {
  received: '已收件',
  awaiting_supplement: '待补齐材料',
  accepted: '办理中',
  joint_review: '联合审查中',
  paused: '暂停计时',
  escalated: '待上报',
  forwarded: '已上报',
  transferred: '待上级中心签收',
  completed: '已办结',
  delivered: '已送达',
  returned: '已退回',
  not_accepted: '不予受理',
  not_required: '不需审批',
};

export const ACTION_LABELS: Record<LogAction, string> = {
  receive: '收件登记',
  accept: '受理',
  correct: '一次性告知补正',
  supplement: '补齐材料',
  reject: '不予受理',
  no_approval: '告知不需审批',
  return: '退回',
  escalate: '上报',
  forward: '报送上级机关',
  pause: '暂停计时',
  resume: '恢复计时',
  task_complete: '部门办结',
  complete: '办结',
  schedule_pickup: '预约领取',
  pick_up: '领取',
  mail: '邮寄送达',
  transfer: '转报上级中心',
  sign: '签收',
  decline: '退回下级中心',
  send_back: '结果回传',
};

export const PAUSE_KIND_LABELS: Record<PauseKind, string> = {
  hearing: '听证',
  testing: '检验检测鉴定',
  expert_review: '专家评审',
  site_visit: '现场勘查',
};

/** The statuses an action may lead to from a status; empty when the table does not allow it. */
export function targetsOf(status: CaseStatus, action: CaseAction): readonly CaseStatus[] {
  return (TRANSITIONS[status] as Partial<Record<CaseAction, readonly CaseStatus[]>>)[action] ?? [];
}

export const isAllowed = (status: CaseStatus, action: CaseAction) => targetsOf(status, action).length > 0;

/** Actions the table allows from a status, for the buttons of the case page. */
export const allowedActions = (status: CaseStatus): CaseAction[] => CASE_ACTIONS.filter((a) => isAllowed(status, a));

