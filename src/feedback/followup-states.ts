// A bad review's follow-up (差评回访整改) as one table of allowed moves. The supervision office calls the
// rater back and verifies; a valid review is rectified within the limit (one extension with approval), an
// invalid one (needs a manager's approval) or one that cannot be rectified (likewise) is explained; every
// path ends by answering the rater and the department and recording the rater's response. Pure: no I/O.

export const FOLLOWUP_STATUSES = [
  'to_verify',
  'invalid_pending',
  'invalid',
  'rectifying',
  'rectified',
  'cannot_rectify_pending',
  'cannot_rectify',
  'done',
  'withdrawn',
] as const;
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];

/** Which time limit runs in a status: verify (call back), rectify, answer (the rater and department). */
export type FollowupStage = 'verify' | 'rectify' | 'answer' | 'closed';
export const STAGE_OF: Record<FollowupStatus, FollowupStage> = {
  to_verify: 'verify',
  invalid_pending: 'verify',
  invalid: 'answer',
  rectifying: 'rectify',
  rectified: 'answer',
  cannot_rectify_pending: 'rectify',
  cannot_rectify: 'answer',
  done: 'closed',
  withdrawn: 'closed',
};

export const FOLLOWUP_ACTIONS = [
  'verify_valid',
  'propose_invalid',
  'approve_invalid',
  'reject_invalid',
  'complete_rectification',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'propose_cannot_rectify',
  'approve_cannot_rectify',
  'reject_cannot_rectify',
  'close',
  'withdraw',
  'reopen',
] as const;
export type FollowupAction = (typeof FOLLOWUP_ACTIONS)[number];

const MOVES: Record<FollowupAction, Partial<Record<FollowupStatus, FollowupStatus>>> = {
  // "Valid" is the verification result; rectification starts at once, so its clock starts at once.
  verify_valid: { to_verify: 'rectifying' },
  propose_invalid: { to_verify: 'invalid_pending' },
  approve_invalid: { invalid_pending: 'invalid' },
  reject_invalid: { invalid_pending: 'to_verify' },
  complete_rectification: { rectifying: 'rectified' },
  request_extension: { rectifying: 'rectifying' },
  approve_extension: { rectifying: 'rectifying' },
  reject_extension: { rectifying: 'rectifying' },
  propose_cannot_rectify: { rectifying: 'cannot_rectify_pending' },
  approve_cannot_rectify: { cannot_rectify_pending: 'cannot_rectify' },
  reject_cannot_rectify: { cannot_rectify_pending: 'rectifying' },
  // Closing needs a verification result behind it (invalid, rectified or cannot-rectify) and the answer.
  close: { invalid: 'done', rectified: 'done', cannot_rectify: 'done' },
  // The rater changed the grade to a good one within the edit time, before anyone acted on it.
  withdraw: { to_verify: 'withdrawn' },
  // ... and changed it back to a bad one, still within the edit time.
  reopen: { withdrawn: 'to_verify' },
};

/** Actions that need a manager's approval (the others are the supervision office's or the department's). */
export const APPROVALS: readonly FollowupAction[] = ['approve_invalid', 'reject_invalid', 'approve_extension', 'reject_extension', 'approve_cannot_rectify', 'reject_cannot_rectify'];
/** Actions the rated department's leader may take: it is the department that rectifies. */
export const DEPARTMENT_ACTIONS: readonly FollowupAction[] = ['complete_rectification', 'request_extension', 'propose_cannot_rectify'];

export function followupMove(from: FollowupStatus, action: FollowupAction): FollowupStatus | null {
  return MOVES[action][from] ?? null;
}

export function allowedFollowupActions(from: FollowupStatus): FollowupAction[] {
  return FOLLOWUP_ACTIONS.filter((a) => a !== 'withdraw' && a !== 'reopen' && followupMove(from, a) !== null);
}

export const FOLLOWUP_STATUS_LABELS: Record<FollowupStatus, string> = {
  to_verify: '待回访核实',
  invalid_pending: '认定无效待审批',
  invalid: '认定无效待答复',
  rectifying: '整改中',
  rectified: '已整改待答复',
  cannot_rectify_pending: '无法整改待审批',
  cannot_rectify: '无法整改待答复',
  done: '已办结',
  withdrawn: '评价人已改评',
};

export const FOLLOWUP_ACTION_LABELS: Record<FollowupAction | 'open' | 'overdue' | 'dispute_upheld', string> = {
  open: '差评生成整改单',
  verify_valid: '回访核实：情况属实',
  propose_invalid: '回访核实：申请认定无效',
  approve_invalid: '批准认定无效',
  reject_invalid: '驳回认定无效',
  complete_rectification: '整改完成',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '驳回延期',
  propose_cannot_rectify: '申请认定无法整改',
  approve_cannot_rectify: '批准无法整改',
  reject_cannot_rectify: '驳回无法整改',
  close: '答复评价人和部门并办结',
  withdraw: '评价人改为好评，整改单撤销',
  reopen: '评价人重新改为差评，整改单恢复',
  overdue: '超期，已提醒督办',
  dispute_upheld: '申诉复核成立，评价不计入指标',
};
