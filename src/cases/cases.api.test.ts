import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { notifications } from '../notify/tables.js';
import { outbox } from '../notify/test-helpers.js';
import { halls } from '../org/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { caseNotices, cases } from './tables.js';
import { COMPANY, FIVE_MATERIALS, PERSON, act, addDepartment, addService, addUser, as, receive } from './test-helpers.js';

describe('receiving and deciding cases', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('a promised case accepted on 2025-09-30 with 3 working days is due 2025-10-11 at the close of that day', async () => {
    const res = await receive(t, {});
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      caseNumber: 'TEST-20250930-00001',
      kind: 'promised',
      status: 'accepted',
      missingMaterials: [],
      acceptedAt: '2025-09-30T09:00:00+08:00',
      deadline: '2025-10-11T17:00:00+08:00',
      deadlineDate: '2025-10-11',
      light: 'green',
    });
    expect(body.history.map((h: { action: string }) => h.action)).toEqual(['receive', 'accept']);
    // The written acceptance notice, and an SMS with the case number and the query link, no ID number.
    expect(body.notices).toEqual([expect.objectContaining({ seq: 1, type: 'acceptance', title: '承诺件受理通知书' })]);
    const sms = await outbox(t.ctx.db, eq(notifications.channel, 'sms'));
    expect(sms).toHaveLength(1);
    expect(sms[0]!.recipient).toBe(PERSON.phone);
    expect(sms[0]!.body).toContain('TEST-20250930-00001');
    expect(sms[0]!.body).toContain('/portal/cases?no=TEST-20250930-00001');
    expect(sms[0]!.body).toContain('2025年10月11日 17:00');
    expect(sms[0]!.body).not.toContain(PERSON.idNumber);
    // The next case of the day takes the next number.
    expect((await receive(t, {})).json().caseNumber).toBe('TEST-20250930-00002');
  });

  it('a 补办件 received with 2 of 5 required materials lists exactly the 3 missing; its deadline starts only when they arrive', async () => {
    await addService(t, 'S-005', { materials: FIVE_MATERIALS, promisedLimitDays: 3 });
    const res = await receive(t, { serviceCode: 'S-005', materials: ['form', 'id-card'] });
    expect(res.statusCode).toBe(201);
    const waiting = res.json();
    expect(waiting).toMatchObject({ kind: 'supplement', status: 'awaiting_supplement', acceptedAt: null, deadline: null, light: null });
    expect(waiting.missingMaterials).toEqual([
      { id: 'licence', name: '营业执照' },
      { id: 'plan', name: '平面布置图' },
      { id: 'health', name: '健康证明' },
    ]);
    expect(waiting.notices).toEqual([expect.objectContaining({ type: 'supplement', title: '办件通知书' })]);
    const notice = await as(t, 'staff', { method: 'GET', url: `/cases/${waiting.caseNumber}/notices/1` });
    for (const name of ['营业执照', '平面布置图', '健康证明']) expect(notice.body).toContain(name);

    t.clock.set('2025-10-09T10:00:00+08:00');
    const partial = await act(t, waiting.caseNumber, { action: 'supplement', materials: ['licence'] });
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ status: 'awaiting_supplement', deadline: null });
    expect(partial.json().missingMaterials.map((m: { id: string }) => m.id)).toEqual(['plan', 'health']);

    t.clock.set('2025-10-10T10:00:00+08:00');
    const complete = await act(t, waiting.caseNumber, { action: 'supplement', materials: ['plan', 'health'] });
    expect(complete.json()).toMatchObject({
      kind: 'promised',
      status: 'accepted',
      missingMaterials: [],
      acceptedAt: '2025-10-10T10:00:00+08:00',
      // Three working days from 10-10: the make-up Saturday 10-11, 10-13, 10-14.
      deadline: '2025-10-14T17:00:00+08:00',
    });
    expect(complete.json().notices.map((n: { type: string }) => n.type)).toEqual(['supplement', 'acceptance']);
  });

  it('a 即办件 is accepted and completed on the spot, and picked up', async () => {
    await addService(t, 'I-001', { kind: 'immediate', promisedLimitDays: 0 });
    const res = await receive(t, { serviceCode: 'I-001', decision: { action: 'accept', completeNow: true, result: '当场出证' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'immediate', status: 'completed', deadline: '2025-09-30T17:00:00+08:00', result: '当场出证', finishedAt: '2025-09-30T09:00:00+08:00' });
    expect(res.json().history.map((h: { action: string }) => h.action)).toEqual(['receive', 'accept', 'complete']);
    const picked = await act(t, res.json().caseNumber, { action: 'pick_up' });
    expect(picked.json()).toMatchObject({ status: 'delivered', delivery: { deliveredAt: '2025-09-30T09:00:00+08:00' } });
    // 一事一评: completing the case also texts the applicant its rating link.
    const sms = await t.ctx.db.select({ template: notifications.template }).from(notifications).where(eq(notifications.channel, 'sms'));
    expect(sms.map((s) => s.template).sort()).toEqual(['case.completed', 'case.picked_up', 'feedback.rating_invitation']);
    // Only 即办件 can be done on the spot.
    const refused = await receive(t, { decision: { action: 'accept', completeNow: true } });
    expect(refused.statusCode).toBe(400);
  });

  it('pausing for a hearing stops the clock and resuming moves the deadline by the paused working time', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    t.clock.set('2025-10-09T09:00:00+08:00');
    const paused = await act(t, caseNumber, { action: 'pause', pauseKind: 'hearing', reason: '组织听证' });
    expect(paused.json()).toMatchObject({ status: 'paused', deadline: null, light: null });
    t.clock.set('2025-10-10T09:00:00+08:00');
    const resumed = await act(t, caseNumber, { action: 'resume' });
    // One whole working day paused: 10-11 17:00 becomes 10-13 17:00.
    expect(resumed.json()).toMatchObject({ status: 'accepted', deadline: '2025-10-13T17:00:00+08:00' });
    expect(resumed.json().pauses).toEqual([{ kind: 'hearing', from: '2025-10-09T09:00:00+08:00', to: '2025-10-10T09:00:00+08:00' }]);
  });

  it('a joint case with three departments is done only when every department is', async () => {
    const third = await addDepartment(t, '第三局');
    const other = await addUser(t, 'other.staff', 'staff', t.hall.otherDepartmentId);
    const thirdLeader = await addUser(t, 'third.leader', 'leader', third);
    const res = await receive(t, {
      joint: {
        tasks: [
          { departmentId: t.hall.departmentId, task: '牵头受理并出具许可', limitDays: 5 },
          { departmentId: t.hall.otherDepartmentId, task: '消防审查', limitDays: 3 },
          { departmentId: third, task: '环评审查', limitDays: 4 },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ kind: 'joint', status: 'joint_review', limitDays: 5, deadline: '2025-10-14T17:00:00+08:00' });
    expect(created.tasks.map((x: { departmentName: string; deadline: string }) => [x.departmentName, x.deadline])).toEqual([
      ['测试局', '2025-10-14T17:00:00+08:00'],
      ['另一局', '2025-10-11T17:00:00+08:00'],
      ['第三局', '2025-10-13T17:00:00+08:00'],
    ]);
    expect(created.notices).toEqual([expect.objectContaining({ type: 'joint', title: '联办件通知书' })]);
    const n = created.caseNumber;
    // The case itself cannot be completed while departments are still at work.
    expect((await act(t, n, { action: 'complete' })).statusCode).toBe(409);
    // Each department completes its own task only.
    expect((await other.call({ method: 'POST', url: `/cases/${n}/actions`, payload: { action: 'task_complete', departmentId: third } })).statusCode).toBe(403);
    expect((await other.call({ method: 'POST', url: `/cases/${n}/actions`, payload: { action: 'task_complete' } })).json().status).toBe('joint_review');
    expect((await act(t, n, { action: 'task_complete' })).json().status).toBe('joint_review');
    expect((await act(t, n, { action: 'task_complete' })).statusCode).toBe(409);
    const done = await thirdLeader.call({ method: 'POST', url: `/cases/${n}/actions`, payload: { action: 'task_complete', reason: '环评通过' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', finishedAt: '2025-09-30T09:00:00+08:00' });
    expect(done.json().tasks.every((x: { doneAt: string | null }) => x.doneAt !== null)).toBe(true);
  });

  it('a joint case needs three departments with the lead among them', async () => {
    await as(t, 'staff', { method: 'GET', url: '/cases' });
    const before = await t.counts();
    const two = await receive(t, { joint: { tasks: [{ departmentId: t.hall.departmentId, task: '甲', limitDays: 3 }, { departmentId: t.hall.otherDepartmentId, task: '乙', limitDays: 3 }] } });
    expect(two.statusCode).toBe(400);
    const third = await addDepartment(t, '第三局');
    const fourth = await addDepartment(t, '第四局');
    const noLead = await receive(t, {
      joint: { tasks: [third, fourth, t.hall.otherDepartmentId].map((departmentId) => ({ departmentId, task: '审查', limitDays: 3 })) },
    });
    expect(noLead.statusCode).toBe(400);
    expect({ ...(await t.counts()), departments: before.departments }).toEqual(before);
  });

  it('returns with a written reason, refuses naming the competent authority, escalates and follows up', async () => {
    const returned = await receive(t, { decision: { action: 'return', reason: '申请人不具备申请资格' } });
    expect(returned.json()).toMatchObject({ kind: 'returned', status: 'returned', decisionReason: '申请人不具备申请资格' });
    expect(returned.json().notices[0].title).toBe('退回件通知书');

    const rejected = await receive(t, { decision: { action: 'reject', reason: '该事项不属于本机关职权范围', competentAuthority: '随州市自然资源和规划局' } });
    expect(rejected.json()).toMatchObject({ kind: 'returned', status: 'not_accepted', competentAuthority: '随州市自然资源和规划局' });
    const decision = await as(t, 'staff', { method: 'GET', url: `/cases/${rejected.json().caseNumber}/notices/1` });
    expect(decision.body).toContain('不予受理决定书');
    expect(decision.body).toContain('随州市自然资源和规划局');

    const notRequired = await receive(t, { decision: { action: 'no_approval', reason: '该行为不需取得行政许可' } });
    expect(notRequired.json()).toMatchObject({ status: 'not_required', finishedAt: '2025-09-30T09:00:00+08:00' });

    const escalated = await receive(t, { decision: { action: 'escalate', authority: '湖北省林业局' } });
    const n = escalated.json().caseNumber;
    // The hall's forwarding time (1 working day by default) runs at once.
    expect(escalated.json()).toMatchObject({ kind: 'escalated', status: 'escalated', deadline: '2025-10-09T17:00:00+08:00', escalation: { authority: '湖北省林业局', forwardLimitDays: 1 } });
    t.clock.set('2025-10-09T10:00:00+08:00');
    const forwarded = await act(t, n, { action: 'forward', reference: '随政服〔2025〕12号', resultLimitDays: 20 });
    expect(forwarded.json()).toMatchObject({ status: 'forwarded', deadline: '2025-11-05T17:00:00+08:00', escalation: { forwardedAt: '2025-10-09T10:00:00+08:00', reference: '随政服〔2025〕12号' } });
    t.clock.set('2025-10-30T10:00:00+08:00');
    expect((await act(t, n, { action: 'complete', result: '省林业局准予许可' })).json()).toMatchObject({ status: 'completed', result: '省林业局准予许可' });
  });

  it('accepts a company with a valid credit code and an agent acting for it; results by post with the EMS number', async () => {
    const res = await receive(t, {
      applicant: COMPANY,
      agent: { name: '王五', idNumber: '440524198001010013', phone: '13900001111', authorization: '授权委托书（法定代表人签字盖章）' },
      delivery: { method: 'post', address: '湖北省随州市随县厉山镇神农大道 1 号' },
      queryPassword: 'ab12cd',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      applicant: { type: 'company', creditCode: '91350100M000100Y43', idNumber: null, contactName: '李四' },
      agent: { name: '王五' },
      queryPasswordSet: true,
      delivery: { method: 'post' },
    });
    // The company gave a landline: SMS goes to the agent's mobile.
    const sms = await outbox(t.ctx.db, eq(notifications.channel, 'sms'));
    expect(sms.map((s) => s.recipient)).toEqual(['13900001111']);
    const n = res.json().caseNumber;
    await act(t, n, { action: 'complete' });
    const mailed = await act(t, n, { action: 'mail', trackingNumber: 'ea123456789cn' });
    expect(mailed.json()).toMatchObject({ status: 'delivered', delivery: { trackingNumber: 'EA123456789CN' } });
    expect((await as(t, null, { method: 'GET', url: `/public/cases/${n}` })).json().delivery).toMatchObject({ method: 'post', trackingNumber: 'EA123456789CN' });
  });

  it('books a pick-up time within opening hours', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    await act(t, caseNumber, { action: 'complete' });
    expect((await act(t, caseNumber, { action: 'schedule_pickup', pickupAt: '2025-10-01T10:00:00+08:00' })).statusCode).toBe(400);
    const booked = await act(t, caseNumber, { action: 'schedule_pickup', pickupAt: '2025-10-09T10:30:00+08:00' });
    expect(booked.json()).toMatchObject({ status: 'completed', delivery: { method: 'pickup', pickupAt: '2025-10-09T10:30:00+08:00' } });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    await addService(t, 'S-005', { materials: FIVE_MATERIALS });
    await as(t, 'staff', { method: 'GET', url: '/cases' });
    const before = await t.counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ applicant: { ...PERSON, idNumber: '110105194912310021' } }, 'INVALID_ID_NUMBER'],
      [{ applicant: { ...COMPANY, creditCode: '91350100M000100Y44' } }, 'INVALID_CREDIT_CODE'],
      [{ applicant: { ...PERSON, phone: '12345' } }, 'VALIDATION_FAILED'],
      [{ applicant: { name: '张三', phone: PERSON.phone } }, 'VALIDATION_FAILED'],
      [{ agent: { name: '王五', idNumber: '440524198001010014', phone: '13900001111', authorization: '委托书' } }, 'INVALID_ID_NUMBER'],
      [{ serviceCode: 'S-005', materials: ['no-such'] }, 'VALIDATION_FAILED'],
      [{ decision: { action: 'return' } }, 'VALIDATION_FAILED'],
      [{ decision: { action: 'fly' } }, 'VALIDATION_FAILED'],
      [{ delivery: { method: 'post' } }, 'VALIDATION_FAILED'],
      [{ queryPassword: '密码' }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await receive(t, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code, JSON.stringify(body)).toBe(code);
    }
    expect((await receive(t, { serviceCode: 'NOPE' })).statusCode).toBe(404);
    expect(await t.counts()).toEqual(before);
    const { caseNumber } = (await receive(t, {})).json();
    const after = await t.counts();
    for (const body of [{ action: 'pause', pauseKind: 'lunch', reason: 'x' }, { action: 'pause', pauseKind: 'hearing' }, { action: 'mail', trackingNumber: '123' }, {}]) {
      expect((await act(t, caseNumber, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await t.counts()).toEqual(after);
  });

  it('a retried receipt with the same Idempotency-Key gives the same case', async () => {
    const first = await receive(t, {}, { 'idempotency-key': 'desk-1-0001' });
    const again = await receive(t, {}, { 'idempotency-key': 'desk-1-0001' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().caseNumber).toBe(first.json().caseNumber);
    const n = first.json().caseNumber;
    const headers = { 'idempotency-key': 'pause-1' };
    const pause = { action: 'pause', pauseKind: 'expert_review', reason: '专家评审' };
    expect((await as(t, 'staff', { method: 'POST', url: `/cases/${n}/actions`, payload: pause, headers })).statusCode).toBe(200);
    const retried = await as(t, 'staff', { method: 'POST', url: `/cases/${n}/actions`, payload: pause, headers });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().history).toHaveLength(3);
  });

  it('keeps each notice as issued: a reprint after the hall is renamed shows the original', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    const first = await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}/notices/1` });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/html');
    expect(first.body).toContain('@page { size: A4');
    expect(first.body).toContain('测试政务服务中心');
    expect(first.body).toContain(caseNumber);
    expect(first.body).toContain('data:image/svg+xml;base64,');
    expect(first.body).toContain('2025年10月11日 17:00');
    expect(first.body).not.toContain(PERSON.idNumber);
    await t.ctx.db.update(halls).set({ name: '新名称政务服务中心' }).where(eq(halls.id, t.hall.hallId));
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}/notices/1` })).body).toBe(first.body);
    const [stored] = await t.ctx.db.select().from(caseNotices);
    expect(stored).toMatchObject({ templateVersion: 1, type: 'acceptance', data: expect.objectContaining({ caseNumber, deadline: '2025-10-11T17:00:00+08:00' }) });
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}/notices/2` })).statusCode).toBe(404);
  });

  it('checks the stored status against the log and refuses to move a case whose row was changed behind its back', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    await t.ctx.db.update(cases).set({ status: 'completed' }).where(eq(cases.caseNumber, caseNumber));
    const res = await act(t, caseNumber, { action: 'pick_up' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('CASE_LOG_MISMATCH');
  });

  it('lets a manager set the light thresholds and the forwarding time, applied from the next move', async () => {
    expect((await as(t, 'manager', { method: 'GET', url: '/cases/settings' })).json()).toEqual({ yellowBeforeMinutes: 240, reminderBeforeYellowMinutes: 120, forwardLimitDays: 1, signLimitDays: 1, retentionYears: 30 });
    const put = await as(t, 'manager', { method: 'PUT', url: '/cases/settings', payload: { yellowBeforeMinutes: 480, reminderBeforeYellowMinutes: 240, forwardLimitDays: 2 } });
    expect(put.statusCode).toBe(200);
    expect((await as(t, 'staff', { method: 'PUT', url: '/cases/settings', payload: {} })).statusCode).toBe(403);
    // Twelve working hours of warning before 10-11 17:00 (a working day is 7 h here): the reminder
    // comes at 10-10 11:00 instead of 10-11 10:00.
    const res = await receive(t, {});
    expect(res.json().nextLightChangeAt).toBe('2025-10-10T11:00:00+08:00');
    expect((await receive(t, { decision: { action: 'escalate', authority: '省厅' } })).json().deadline).toBe('2025-10-10T17:00:00+08:00');
  });
});

