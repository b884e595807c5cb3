import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { CASE_ACTIONS, CASE_STATUSES, allowedActions, type CaseAction, type CaseStatus } from './states.js';
import { PERSON, act, addDepartment, addService, addStation, as, receive } from './test-helpers.js';

// A well-formed body for every action, so a refusal can only come from the table of allowed moves.
const BODIES: Record<CaseAction, Record<string, unknown>> = {
  accept: { action: 'accept' },
  correct: { action: 'correct', corrections: ['申请表第 3 栏填写有误'] },
  supplement: { action: 'supplement', materials: [] },
  reject: { action: 'reject', reason: '不属于本机关职权范围', competentAuthority: '市自然资源和规划局' },
  no_approval: { action: 'no_approval', reason: '该行为不需取得行政许可' },
  return: { action: 'return', reason: '现场核查不符合条件' },
  escalate: { action: 'escalate', authority: '省林业局' },
  forward: { action: 'forward', reference: '随政服〔2025〕1号' },
  pause: { action: 'pause', pauseKind: 'site_visit', reason: '现场勘查' },
  resume: { action: 'resume' },
  task_complete: { action: 'task_complete' },
  complete: { action: 'complete' },
  schedule_pickup: { action: 'schedule_pickup', pickupAt: '2025-10-09T10:00:00+08:00' },
  pick_up: { action: 'pick_up' },
  mail: { action: 'mail', trackingNumber: '1234567890123' },
  transfer: { action: 'transfer' },
  sign: { action: 'sign' },
  decline: { action: 'decline', reason: '不属于本中心办理' },
  send_back: { action: 'send_back' },
};

describe('every move the table does not allow is refused over the API', () => {
  let t: TestApp;
  const byStatus = new Map<CaseStatus, string>();

  beforeAll(async () => {
    t = await createTestApp();
    await addService(t, 'S-REQ', { materials: [{ id: 'form', name: '申请表', required: true }] });
    const third = await addDepartment(t, '第三局');
    const create = async (body: Record<string, unknown>, ...moves: Record<string, unknown>[]) => {
      const res = await receive(t, body);
      if (res.statusCode !== 201) throw new Error(res.body);
      const n = res.json().caseNumber as string;
      for (const m of moves) {
        const moved = await act(t, n, m);
        if (moved.statusCode !== 200) throw new Error(moved.body);
      }
      return n;
    };
    byStatus.set('received', await create({ decision: { action: 'receive' } }));
    byStatus.set('awaiting_supplement', await create({ serviceCode: 'S-REQ' }));
    byStatus.set('accepted', await create({}));
    byStatus.set(
      'joint_review',
      await create({
        joint: { tasks: [t.hall.departmentId, t.hall.otherDepartmentId, third].map((departmentId) => ({ departmentId, task: '并联审查', limitDays: 3 })) },
      }),
    );
    byStatus.set('paused', await create({}, BODIES.pause));
    byStatus.set('escalated', await create({ decision: BODIES.escalate }));
    byStatus.set('forwarded', await create({ decision: BODIES.escalate }, BODIES.forward));
    byStatus.set('completed', await create({}, BODIES.complete));
    byStatus.set('delivered', await create({}, BODIES.complete, BODIES.pick_up));
    byStatus.set('returned', await create({ decision: BODIES.return }));
    byStatus.set('not_accepted', await create({ decision: BODIES.reject }));
    byStatus.set('not_required', await create({ decision: BODIES.no_approval }));
    // Transferred up from a village station: the fixture staff member stands at the deciding hall.
    const station = await addStation(t, [t.hall.serviceId]);
    const up = await station.village.call({ method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: PERSON, materials: [] } });
    byStatus.set('transferred', up.json().caseNumber);
  });
  afterAll(() => t?.close());

  it('has a case standing in every status, offering exactly the moves of the table', async () => {
    expect([...byStatus.keys()].sort()).toEqual([...CASE_STATUSES].sort());
    for (const [status, n] of byStatus) {
      const view = (await as(t, 'staff', { method: 'GET', url: `/cases/${n}` })).json();
      expect(view.status).toBe(status);
      // Sending a result back is for a deciding hall above, and the fixture county has no hall above to transfer to.
      expect(view.allowedActions).toEqual(allowedActions(status).filter((a) => a !== 'send_back' && a !== 'transfer'));
    }
  });

  it('answers 409 INVALID_TRANSITION to each disallowed (status, action) pair and changes nothing', async () => {
    const before = await t.counts();
    let refused = 0;
    for (const [status, n] of byStatus) {
      for (const action of CASE_ACTIONS.filter((a) => !allowedActions(status).includes(a))) {
        const res = await act(t, n, BODIES[action]);
        expect(res.statusCode, `${status} × ${action}`).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status, action } });
        refused++;
      }
    }
    expect(refused).toBe(CASE_STATUSES.reduce((sum, s) => sum + CASE_ACTIONS.length - allowedActions(s).length, 0));
    expect(await t.counts()).toEqual(before);
  });
});
