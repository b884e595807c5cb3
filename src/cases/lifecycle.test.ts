import { describe, expect, it } from 'vitest';
import { DEFAULT_LIGHT_SETTINGS, WorkingCalendar, formatInstant } from '../calendar/index.js';
import { HOURS, local } from '../calendar/test-helpers.js';
import { formatCaseNumber, isCaseNumber } from './case-number.js';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  InvalidTransition,
  OPEN_STATUSES,
  TRANSITIONS,
  allowedActions,
  applyAction,
  deadlineOf,
  lightOf,
  missingOf,
  replay,
  holderOf,
  routeProblem,
  taskDeadlineOf,
  targetsOf,
  type AcceptedKind,
  type ActionFacts,
  type CaseAction,
  type CaseState,
  type CaseStatus,
  type HallTime,
  type LogEntry,
} from './lifecycle.js';

const time: HallTime = { calendar: new WorkingCalendar(), hours: HOURS, zone: 'Asia/Shanghai', lights: DEFAULT_LIGHT_SETTINGS };
const TASKS = [
  { departmentId: 'd-lead', limitDays: 5 },
  { departmentId: 'd-fire', limitDays: 3 },
  { departmentId: 'd-env', limitDays: 4 },
];

function receive(at: string, kind: AcceptedKind, options: Partial<ActionFacts['receive']> = {}): LogEntry {
  return {
    action: 'receive',
    at: local(at),
    facts: { acceptedKind: kind, limitDays: kind === 'immediate' ? 0 : 3, required: ['a', 'b'], received: ['a', 'b'], tasks: kind === 'joint' ? TASKS : [], ...options },
  };
}
// Facts of the actions that need none, so a walk reads as a list of moves.
const EMPTY = {} as Record<string, never>;
const step = <A extends Exclude<LogEntry['action'], 'receive'>>(action: A, at: string, facts: ActionFacts[A] = EMPTY as ActionFacts[A]) =>
  ({ action, at: local(at), facts }) as LogEntry;

/** Replays a walk and returns every status on the way. */
function walk(log: LogEntry[]): { statuses: CaseStatus[]; state: CaseState } {
  const statuses: CaseStatus[] = [];
  for (let i = 1; i <= log.length; i++) statuses.push(replay(log.slice(0, i)).status);
  return { statuses, state: replay(log) };
}

const at = (ms: number | null | undefined) => (ms == null ? null : formatInstant(ms));

describe('the six kinds through their lifecycle', () => {
  it('即办件: accepted and completed on the spot, then picked up', () => {
    const { statuses, state } = walk([
      receive('2025-09-30T09:10', 'immediate'),
      step('accept', '2025-09-30T09:12'),
      step('complete', '2025-09-30T09:30'),
      step('pick_up', '2025-09-30T09:31'),
    ]);
    expect(statuses).toEqual(['received', 'accepted', 'completed', 'delivered']);
    expect(state.kind).toBe('immediate');
    // Limit 0: due at the close of the day of acceptance; done long before, so it finished green.
    const deadline = deadlineOf(state, time);
    expect(at(deadline?.at)).toBe('2025-09-30T17:00:00+08:00');
    expect(lightOf(state, deadline, local('2025-10-20T09:00'), time).light).toBe('green');
  });

  it('承诺件: the promised date from the limit; a pause for a hearing moves it; post, with the tracking number', () => {
    const log = [receive('2025-09-30T09:00', 'promised'), step('accept', '2025-09-30T09:05')];
    expect(at(deadlineOf(replay(log), time)?.at)).toBe('2025-10-11T17:00:00+08:00');
    log.push(step('pause', '2025-10-09T09:00', { pauseKind: 'hearing' }));
    // An open pause before the deadline: no deadline until it ends.
    expect(deadlineOf(replay(log), time)).toBeNull();
    log.push(step('resume', '2025-10-09T11:00'));
    expect(at(deadlineOf(replay(log), time)?.at)).toBe('2025-10-13T11:00:00+08:00');
    log.push(step('complete', '2025-10-10T15:00'), step('schedule_pickup', '2025-10-10T15:01'), step('mail', '2025-10-10T16:00'));
    const { statuses, state } = walk(log);
    expect(statuses).toEqual(['received', 'accepted', 'paused', 'accepted', 'completed', 'completed', 'delivered']);
    expect(state.pauses).toEqual([{ kind: 'hearing', from: local('2025-10-09T09:00'), to: local('2025-10-09T11:00') }]);
    expect(at(state.finishedAt)).toBe('2025-10-10T15:00:00+08:00');
  });

  it('联办件: parallel tasks with their own sub-deadlines; done only when every department is', () => {
    const log = [receive('2025-09-30T09:00', 'joint', { limitDays: 5 }), step('accept', '2025-09-30T09:05')];
    const accepted = replay(log);
    expect(accepted.status).toBe('joint_review');
    expect(at(taskDeadlineOf(accepted, 3, time)?.at)).toBe('2025-10-11T17:00:00+08:00');
    expect(at(deadlineOf(accepted, time)?.at)).toBe('2025-10-14T17:00:00+08:00');
    log.push(step('task_complete', '2025-10-09T10:00', { departmentId: 'd-fire' }), step('task_complete', '2025-10-09T11:00', { departmentId: 'd-lead' }));
    expect(replay(log).status).toBe('joint_review');
    // The same department twice is not a move.
    expect(() => applyAction(replay(log), step('task_complete', '2025-10-09T11:30', { departmentId: 'd-lead' }) as never)).toThrow(InvalidTransition);
    log.push(step('task_complete', '2025-10-10T10:00', { departmentId: 'd-env' }));
    const { statuses, state } = walk(log);
    expect(statuses).toEqual(['received', 'joint_review', 'joint_review', 'joint_review', 'completed']);
    expect(state.kind).toBe('joint');
    expect(at(state.finishedAt)).toBe('2025-10-10T10:00:00+08:00');
  });

  it('补办件: everything missing at once, no clock until the last material arrives, then the service kind', () => {
    const log = [
      receive('2025-09-30T09:00', 'promised', { required: ['a', 'b', 'c', 'd', 'e'], received: ['a', 'b'] }),
      step('correct', '2025-09-30T09:10'),
    ];
    const waiting = replay(log);
    expect(waiting).toMatchObject({ status: 'awaiting_supplement', kind: 'supplement', acceptedAt: null });
    expect(missingOf(waiting)).toEqual(['c', 'd', 'e']);
    expect(deadlineOf(waiting, time)).toBeNull();
    log.push(step('supplement', '2025-10-09T10:00', { materials: ['c'] }));
    expect(missingOf(replay(log))).toEqual(['d', 'e']);
    expect(replay(log).status).toBe('awaiting_supplement');
    log.push(step('supplement', '2025-10-10T10:00', { materials: ['d', 'e'] }));
    const { state } = walk(log);
    expect(state).toMatchObject({ status: 'accepted', kind: 'promised', acceptedAt: local('2025-10-10T10:00') });
    // Three working days from 10-10: 10-11 (make-up Saturday), 10-13, 10-14.
    expect(at(deadlineOf(state, time)?.at)).toBe('2025-10-14T17:00:00+08:00');
  });

  it('退回件: with its reason, from receipt, from waiting for materials, or after a failed site check', () => {
    expect(walk([receive('2025-09-30T09:00', 'promised'), step('return', '2025-09-30T09:05')]).state).toMatchObject({ status: 'returned', kind: 'returned' });
    const fromWaiting = walk([receive('2025-09-30T09:00', 'promised', { received: [] }), step('correct', '2025-09-30T09:05'), step('return', '2025-10-20T09:00')]);
    expect(fromWaiting.statuses).toEqual(['received', 'awaiting_supplement', 'returned']);
    const afterVisit = walk([
      receive('2025-09-30T09:00', 'promised'),
      step('accept', '2025-09-30T09:05'),
      step('pause', '2025-10-09T09:00', { pauseKind: 'site_visit' }),
      step('return', '2025-10-09T16:00'),
    ]);
    expect(afterVisit.statuses).toEqual(['received', 'accepted', 'paused', 'returned']);
  });

  it('上报件: forwarded within the forwarding time, then followed to the result', () => {
    const log = [receive('2025-09-30T09:00', 'promised'), step('escalate', '2025-09-30T09:30', { forwardLimitDays: 1 })];
    const escalated = replay(log);
    expect(escalated).toMatchObject({ status: 'escalated', kind: 'escalated' });
    expect(at(deadlineOf(escalated, time)?.at)).toBe('2025-10-09T17:00:00+08:00');
    log.push(step('forward', '2025-10-09T10:00', { resultLimitDays: 20 }));
    // Twenty working days from 10-09, the make-up Saturday 10-11 among them.
    expect(at(deadlineOf(replay(log), time)?.at)).toBe('2025-11-05T17:00:00+08:00');
    log.push(step('complete', '2025-10-30T10:00'), step('pick_up', '2025-10-31T10:00'));
    expect(walk(log).statuses).toEqual(['received', 'escalated', 'forwarded', 'completed', 'delivered']);
  });

  it('decisions that end at the window: not accepted (another authority) and no approval needed', () => {
    expect(walk([receive('2025-09-30T09:00', 'promised'), step('reject', '2025-09-30T09:05')]).state).toMatchObject({ status: 'not_accepted', kind: 'returned' });
    expect(walk([receive('2025-09-30T09:00', 'promised'), step('no_approval', '2025-09-30T09:05')]).state).toMatchObject({ status: 'not_required', kind: 'promised' });
  });
});

describe('上报件 between halls of the network', () => {
  const up = { toHallId: 'h-county', departmentId: 'd-county', signLimitDays: 1 };
  const takenIn = receive('2025-09-30T09:00', 'promised', { takeInOnly: true });

  it('goes up to sign, is decided above, comes back for the applicant, one log and one status at a time', () => {
    const log = [
      takenIn,
      step('transfer', '2025-09-30T09:10', up),
      step('sign', '2025-10-09T09:00', { limitDays: 5 }),
      step('accept', '2025-10-09T10:00'),
      step('complete', '2025-10-10T10:00'),
      step('send_back', '2025-10-10T11:00'),
      step('pick_up', '2025-10-11T09:00'),
    ];
    const { statuses, state } = walk(log);
    expect(statuses).toEqual(['received', 'transferred', 'received', 'accepted', 'completed', 'completed', 'delivered']);
    expect(state).toMatchObject({ kind: 'escalated', limitDays: 5, route: { toHallId: 'h-county', signedAt: local('2025-10-09T09:00'), returnedAt: local('2025-10-10T11:00') } });
    // The time to sign runs on the transfer, not pausable; the deciding hall's own limit from its acceptance.
    const sent = replay(log.slice(0, 2));
    expect(sent.clock).toEqual({ startAt: local('2025-09-30T09:10'), limitDays: 1, pausable: false });
    expect(deadlineOf(replay(log.slice(0, 3)), time)).toBeNull();
    expect(replay(log.slice(0, 4)).clock).toMatchObject({ startAt: local('2025-10-09T10:00'), limitDays: 5 });
  });

  it('lets each hall act only while it holds the case', () => {
    const sent = replay([takenIn, step('transfer', '2025-09-30T09:10', up)]);
    expect(routeProblem(sent, 'sign', 'origin')).toBe('办件已转报上级中心，待对方签收');
    expect(routeProblem(sent, 'sign', 'upper')).toBeNull();
    const signed = applyAction(sent, { action: 'sign', at: local('2025-10-09T09:00'), facts: { limitDays: 5 } });
    expect(holderOf(signed)).toBe('upper');
    expect(routeProblem(signed, 'accept', 'upper')).toBeNull();
    expect(routeProblem(signed, 'return', 'origin')).toBe('办件由上级中心办理中，结果回传后才能继续');
    expect(routeProblem(signed, 'transfer', 'upper')).toBe('办件只能由收件的中心转报一次');
    const done = applyAction(applyAction(signed, { action: 'accept', at: local('2025-10-09T10:00'), facts: EMPTY }), { action: 'complete', at: local('2025-10-10T10:00'), facts: EMPTY });
    expect(routeProblem(done, 'pick_up', 'upper')).toBe('结果由收件中心交给申请人，请先回传结果');
    expect(routeProblem(done, 'pick_up', 'origin')).not.toBeNull();
    const back = applyAction(done, { action: 'send_back', at: local('2025-10-10T11:00'), facts: EMPTY });
    expect([routeProblem(back, 'pick_up', 'origin'), routeProblem(back, 'send_back', 'upper')]).toEqual([null, '只有签收办理的上级中心可以回传结果']);
    // A refusal above goes back with its notice at once.
    const refused = applyAction(signed, { action: 'return', at: local('2025-10-09T11:00'), facts: EMPTY });
    expect([refused.status, holderOf(refused)]).toEqual(['returned', 'origin']);
  });

  it('keeps a hall that only takes the item in from deciding it, and a completed file waits there to go up', () => {
    const short = receive('2025-09-30T09:00', 'promised', { takeInOnly: true, received: ['a'] });
    expect(routeProblem(replay([short]), 'accept', 'origin')).toBe('本中心对该事项只收件转报，请转报上级中心办理');
    const complete = replay([short, step('correct', '2025-09-30T09:05'), step('supplement', '2025-10-09T09:00', { materials: ['b'] })]);
    expect(complete).toMatchObject({ status: 'received', clock: null });
    expect(routeProblem(complete, 'transfer', 'origin')).toBeNull();
    // Declined above: back at the station as received, free to go up again.
    const declined = replay([short, step('correct', '2025-09-30T09:05'), step('supplement', '2025-10-09T09:00', { materials: ['b'] }), step('transfer', '2025-10-09T09:10', up), step('decline', '2025-10-09T10:00')]);
    expect(declined).toMatchObject({ status: 'received', route: null, kind: 'promised' });
  });
});

describe('the table of allowed moves', () => {
  /** A case standing in `status`, with facts that let every listed move go somewhere. */
  function standingIn(status: CaseStatus): CaseState {
    const joint = status === 'joint_review';
    return {
      status,
      kind: joint ? 'joint' : 'promised',
      acceptedKind: joint ? 'joint' : 'promised',
      limitDays: 3,
      required: ['a'],
      received: [],
      tasks: TASKS,
      tasksDone: [],
      receivedAt: local('2025-09-30T09:00'),
      acceptedAt: null,
      clock: null,
      pauses: status === 'paused' ? [{ kind: 'hearing', from: local('2025-09-30T10:00'), to: null }] : [],
      finishedAt: null,
      takeInOnly: false,
      route: status === 'transferred' ? { toHallId: 'h-county', departmentId: 'd-county', sentAt: local('2025-09-30T10:00'), signedAt: null, returnedAt: null } : null,
    };
  }
  const FACTS: { [A in CaseAction]: ActionFacts[A] } = {
    accept: EMPTY,
    correct: EMPTY,
    supplement: { materials: ['a'] },
    reject: EMPTY,
    no_approval: EMPTY,
    return: EMPTY,
    escalate: { forwardLimitDays: 1 },
    forward: { resultLimitDays: 20 },
    pause: { pauseKind: 'expert_review' },
    resume: EMPTY,
    task_complete: { departmentId: 'd-lead' },
    complete: EMPTY,
    schedule_pickup: EMPTY,
    pick_up: EMPTY,
    mail: EMPTY,
    transfer: { toHallId: 'h-county', departmentId: 'd-county', signLimitDays: 1 },
    sign: { limitDays: 5 },
    decline: EMPTY,
    send_back: EMPTY,
  };
  const move = (status: CaseStatus, action: CaseAction) =>
    applyAction(standingIn(status), { action, at: local('2025-10-09T09:00'), facts: FACTS[action] } as Exclude<LogEntry, { action: 'receive' }>);

  const pairs = CASE_STATUSES.flatMap((status) => CASE_ACTIONS.map((action) => [status, action] as const));
  const disallowed = pairs.filter(([s, a]) => targetsOf(s, a).length === 0);
  const allowed = pairs.filter(([s, a]) => targetsOf(s, a).length > 0);

  it('refuses every pair the table does not list', () => {
    expect(disallowed.length).toBe(CASE_STATUSES.length * CASE_ACTIONS.length - allowed.length);
    for (const [status, action] of disallowed) {
      expect(() => move(status, action), `${status} × ${action}`).toThrow(InvalidTransition);
    }
  });

  it('takes every listed pair to one of its listed statuses', () => {
    for (const [status, action] of allowed) {
      expect(targetsOf(status, action), `${status} × ${action}`).toContain(move(status, action).status);
    }
  });

  it('reaches every status from receipt, and ends only in the finished ones', () => {
    const seen = new Set<CaseStatus>(['received']);
    const queue: CaseStatus[] = ['received'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const targets of Object.values(TRANSITIONS[s]) as (readonly CaseStatus[])[]) {
        for (const t of targets) if (!seen.has(t)) queue.push(t), seen.add(t);
      }
    }
    expect([...seen].sort()).toEqual([...CASE_STATUSES].sort());
    for (const s of CASE_STATUSES) {
      if ((OPEN_STATUSES as readonly CaseStatus[]).includes(s)) expect(allowedActions(s).length, s).toBeGreaterThan(0);
    }
    for (const s of ['delivered', 'returned', 'not_accepted', 'not_required'] as const) expect(allowedActions(s)).toEqual([]);
  });

  it('replays a log whose move the table refuses as an error, never as a status', () => {
    expect(() => replay([receive('2025-09-30T09:00', 'promised'), step('complete', '2025-09-30T09:05')])).toThrow(InvalidTransition);
    expect(() => replay([step('accept', '2025-09-30T09:05')])).toThrow();
  });
});

describe('lights of a case', () => {
  it('turns reminder, yellow, then red on the working clock, and keeps the light a case finished with', () => {
    const state = replay([receive('2025-09-30T09:00', 'promised'), step('accept', '2025-09-30T09:00')]);
    const deadline = deadlineOf(state, time)!;
    const now = lightOf(state, deadline, local('2025-09-30T09:00'), time);
    expect(now.light).toBe('green');
    // Reminder six working hours before 10-11 17:00: the whole afternoon and two morning hours.
    expect(now.next && { light: now.next.light, at: at(now.next.at) }).toEqual({ light: 'reminder', at: '2025-10-11T10:00:00+08:00' });
    expect(lightOf(state, deadline, local('2025-10-11T14:00'), time).light).toBe('yellow');
    expect(lightOf(state, deadline, local('2025-10-13T09:00'), time).light).toBe('red');
    const late = applyAction(state, { action: 'complete', at: local('2025-10-13T09:00'), facts: EMPTY });
    expect(lightOf(late, deadline, local('2025-12-01T09:00'), time)).toEqual({ light: 'red', next: null });
  });
});

describe('case numbers', () => {
  it('encode the hall and the local date, with a five-digit daily sequence', () => {
    expect(formatCaseNumber('SUIXIAN', '2025-09-30', 42)).toBe('SUIXIAN-20250930-00042');
    expect(formatCaseNumber('TEST', '2025-09-30', 123456)).toBe('TEST-20250930-123456');
    expect(isCaseNumber('SUIXIAN-20250930-00042')).toBe(true);
    expect(isCaseNumber('SUIXIAN-2025093-00042')).toBe(false);
    expect(isCaseNumber("x'; drop table cases; --")).toBe(false);
  });
});
