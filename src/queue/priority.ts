// Which class of waiting ticket a window calls next. The hall ranks the classes; classes ranked above
// `normal` are "priority" and a starvation guard makes sure normal tickets still get their turn.

export const PRIORITIES = ['normal', 'green', 'elderly', 'appointment'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_LABELS: Record<Priority, string> = {
  normal: '普通',
  green: '绿色通道',
  elderly: '涉老优先',
  appointment: '预约',
};

/**
 * `ratio`: under contention, `normal` normal calls for every `priority` priority calls.
 * `maxInRow`: at most `max` priority calls in a row while a normal ticket waits (the same as ratio 1:max).
 * `none`: strict priority; normal tickets wait until no priority ticket does.
 */
export type StarvationGuard =
  | { kind: 'ratio'; normal: number; priority: number }
  | { kind: 'maxInRow'; max: number }
  | { kind: 'none' };

export interface PriorityPolicy {
  /** Every class once, highest first. */
  order: readonly Priority[];
  guard: StarvationGuard;
}

export const DEFAULT_PRIORITY_POLICY: PriorityPolicy = {
  order: ['green', 'elderly', 'appointment', 'normal'],
  guard: { kind: 'ratio', normal: 2, priority: 1 },
};

/**
 * Both guards as "at most `limit` priority calls among the last `span` calls, else call a normal one".
 * Ratio n:p gives span n+p-1 and limit p: with both classes waiting the window calls p priority, then n
 * normal, and again; maxInRow k is ratio 1:k.
 */
function guardWindow(guard: StarvationGuard): { span: number; limit: number } | null {
  if (guard.kind === 'none') return null;
  const [n, p] = guard.kind === 'ratio' ? [guard.normal, guard.priority] : [1, guard.max];
  return { span: n + p - 1, limit: p };
}

/** Whether the class counts as priority under the policy: ranked above normal. */
export function isPriorityClass(policy: PriorityPolicy, c: Priority): boolean {
  return policy.order.indexOf(c) < policy.order.indexOf('normal');
}

/**
 * The classes to try, best first: the waiting classes in the hall's order, with `normal` moved to the
 * front when the guard says priority tickets have had their share of this window's recent calls.
 * `recent` is the window's calls of the day, oldest first. Several are returned so a caller that finds
 * the head of one class taken by another window at the same instant tries the next.
 */
export function callOrder(policy: PriorityPolicy, waiting: Iterable<Priority>, recent: readonly Priority[]): Priority[] {
  const present = new Set(waiting);
  const ranked = policy.order.filter((c) => present.has(c));
  const guard = guardWindow(policy.guard);
  if (!guard || !present.has('normal') || ranked[0] === 'normal') return ranked;
  const lastCalls = guard.span > 0 ? recent.slice(-guard.span) : [];
  const priorityCalls = lastCalls.filter((c) => isPriorityClass(policy, c)).length;
  if (priorityCalls < guard.limit) return ranked;
  return ['normal', ...ranked.filter((c) => c !== 'normal')];
}

/** How many recent calls of a window the guard needs to see. */
export function historyNeeded(policy: PriorityPolicy): number {
  return guardWindow(policy.guard)?.span ?? 0;
}
