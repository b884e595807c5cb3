import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../auth/roles.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { addUser, api, noticesTo, runTimers } from './test-helpers.js';

describe('appeals (诉求, 12345)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T09:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const intake = (payload: Record<string, unknown>) => api(t, 'manager', { method: 'POST', url: '/appeals', payload });
  const act = (id: string, payload: Record<string, unknown>, role: Role = 'leader') => api(t, role, { method: 'POST', url: `/appeals/${id}/actions`, payload });

  it('keeps the whole history and each level’s time limit of an appeal escalated from grid to district', async () => {
    const created = await intake({ type: 'help', content: '小区路灯坏了一排，夜里出行不便', appellantName: '王五', appellantPhone: '13700001111', address: '神农大道 88 号', departmentId: t.hall.departmentId, level: 'grid' });
    expect(created.statusCode).toBe(201);
    const a = created.json();
    // 求助: 10 working days from dispatch (10-11 is a make-up Saturday); sign for it within 1; the grid level has 1.
    expect(a).toMatchObject({ status: 'dispatched', level: 'grid', levelLabel: '网格', departmentName: '测试局', deadline: '2025-10-22T17:00:00+08:00', signDeadline: '2025-10-10T17:00:00+08:00', levelDeadline: '2025-10-10T17:00:00+08:00' });
    // The unit's inbox has it.
    expect((await api(t, 'leader', { method: 'GET', url: '/appeals/inbox' })).json()).toEqual([expect.objectContaining({ id: a.id, allowedActions: ['sign', 'return', 'escalate'] })]);

    expect((await act(a.id, { action: 'sign' })).json()).toMatchObject({ status: 'accepted' });
    t.clock.set('2025-10-10T10:00:00+08:00');
    const community = await act(a.id, { action: 'escalate', reason: '网格无法协调电力维修' });
    expect(community.json()).toMatchObject({ status: 'dispatched', level: 'community', levelDeadline: '2025-10-13T17:00:00+08:00' });
    await act(a.id, { action: 'sign' });
    t.clock.set('2025-10-13T10:00:00+08:00');
    const street = await act(a.id, { action: 'escalate', reason: '需街道协调供电所' });
    expect(street.json()).toMatchObject({ level: 'street', levelDeadline: '2025-10-16T17:00:00+08:00' });
    await act(a.id, { action: 'sign' });
    t.clock.set('2025-10-14T10:00:00+08:00');
    const district = await act(a.id, { action: 'escalate', reason: '涉及线路改造，需区县协调' });
    expect(district.json()).toMatchObject({ level: 'district', levelDeadline: '2025-10-21T17:00:00+08:00' });
    await act(a.id, { action: 'sign' });
    // The district is the top: difficult matters are coordinated there, not passed on.
    const top = await act(a.id, { action: 'escalate', reason: '再上报' });
    expect(top.statusCode).toBe(409);
    expect(top.json().error.code).toBe('TOP_LEVEL');
    // Never closed unfinished: no return visit before an answer.
    const early = await act(a.id, { action: 'revisit', satisfaction: 'satisfied' }, 'manager');
    expect(early.statusCode).toBe(409);
    await act(a.id, { action: 'answer', answer: '已协调供电所于 10 月 16 日更换线路，路灯恢复' });
    const closed = await act(a.id, { action: 'revisit', satisfaction: 'very_satisfied', note: '回访满意' }, 'manager');
    expect(closed.json()).toMatchObject({ status: 'closed', satisfaction: 'very_satisfied', satisfactionLabel: '非常满意', deadline: '2025-10-22T17:00:00+08:00', consistent: true });

    const h = closed.json().history as { action: string; level: string; deadline: string | null; reason: string | null }[];
    expect(h.map((x) => x.action)).toEqual(['receive', 'dispatch', 'sign', 'escalate', 'sign', 'escalate', 'sign', 'escalate', 'sign', 'answer', 'revisit']);
    const levelSteps = h.filter((x) => x.action === 'dispatch' || x.action === 'escalate');
    expect(levelSteps.map((x) => [x.level, x.deadline])).toEqual([
      ['grid', '2025-10-10T17:00:00+08:00'],
      ['community', '2025-10-13T17:00:00+08:00'],
      ['street', '2025-10-16T17:00:00+08:00'],
      ['district', '2025-10-21T17:00:00+08:00'],
    ]);
    expect(levelSteps.slice(1).map((x) => x.reason)).toEqual(['网格无法协调电力维修', '需街道协调供电所', '涉及线路改造，需区县协调']);
    expect((await noticesTo(t, 'feedback.appeal_answer'))).toEqual([expect.objectContaining({ recipient: '13700001111', channel: 'sms' })]);
    const ledger = (await api(t, 'supervisor', { method: 'GET', url: '/appeals/revisits' })).json();
    expect(ledger).toEqual([expect.objectContaining({ number: a.number, satisfactionLabel: '非常满意', reopened: false })]);
  });

  it('returns with a reason, is re-dispatched without restarting the limit, and only the unit may sign', async () => {
    const a = (await intake({ type: 'consultation', content: '企业开办需要哪些材料', departmentId: t.hall.otherDepartmentId })).json();
    // 咨询: 2 working days, the second a make-up Saturday.
    expect(a.deadline).toBe('2025-10-11T17:00:00+08:00');
    const notMine = await act(a.id, { action: 'sign' });
    expect(notMine.statusCode).toBe(403);
    const other = await addUser(t, 'other.leader', ['leader'], t.hall.otherDepartmentId);
    const noReason = await other.call({ method: 'POST', url: `/appeals/${a.id}/actions`, payload: { action: 'return' } });
    expect(noReason.statusCode).toBe(400);
    t.clock.set('2025-10-10T09:00:00+08:00');
    const returned = await other.call({ method: 'POST', url: `/appeals/${a.id}/actions`, payload: { action: 'return', reason: '企业开办属市场监管，非本单位职责' } });
    expect(returned.json()).toMatchObject({ status: 'returned' });
    expect(await noticesTo(t, 'feedback.appeal_desk')).toEqual([expect.objectContaining({ body: expect.stringContaining('非本单位职责') })]);
    const again = await act(a.id, { action: 'dispatch', departmentId: t.hall.departmentId }, 'manager');
    expect(again.json()).toMatchObject({ status: 'dispatched', departmentName: '测试局', deadline: '2025-10-11T17:00:00+08:00' });
    // The returning unit still sees what it handled; another department's staff do not.
    expect((await other.call({ method: 'GET', url: `/appeals/${a.id}` })).statusCode).toBe(200);
  });

  it('extends once with a manager’s approval, and sends an unsatisfied return visit back for rework', async () => {
    const a = (await intake({ type: 'complaint', content: '办事窗口推诿', departmentId: t.hall.departmentId })).json();
    await act(a.id, { action: 'sign' });
    const asked = await act(a.id, { action: 'request_extension', days: 5, reason: '需调取录像' });
    expect(asked.json()).toMatchObject({ extensionPendingDays: 5 });
    expect((await act(a.id, { action: 'approve_extension' })).statusCode).toBe(403);
    const approved = await act(a.id, { action: 'approve_extension' }, 'manager');
    // 投诉: 15 working days from 10-09 end 10-29; five more: 11-05.
    expect(approved.json()).toMatchObject({ extended: true, deadline: '2025-11-05T17:00:00+08:00' });
    const second = await act(a.id, { action: 'request_extension', days: 1, reason: '再延' });
    expect(second.json().error.code).toBe('EXTENSION_USED');
    await act(a.id, { action: 'answer', answer: '已批评教育当事人' });
    const rework = await act(a.id, { action: 'revisit', satisfaction: 'dissatisfied', note: '不认可处理结果' }, 'supervisor');
    expect(rework.json()).toMatchObject({ status: 'accepted', satisfaction: 'dissatisfied' });
    await act(a.id, { action: 'answer', answer: '已约谈并由部门负责人当面道歉' });
    const closed = await act(a.id, { action: 'revisit', satisfaction: 'satisfied' }, 'supervisor');
    expect(closed.json()).toMatchObject({ status: 'closed', consistent: true });
  });

  it('supervises an appeal not signed for in time, once, and tells the unit and the desk', async () => {
    const a = (await intake({ type: 'help', content: '求助', departmentId: t.hall.departmentId, level: 'community' })).json();
    t.clock.set('2025-10-11T09:00:00+08:00');
    expect(await runTimers(t)).toBe(1);
    expect(await runTimers(t)).toBe(0);
    const got = (await api(t, 'manager', { method: 'GET', url: `/appeals/${a.id}` })).json();
    expect(got.history.filter((h: { action: string }) => h.action === 'supervise').map((h: { reason: string }) => h.reason)).toEqual(['超过签收时限']);
    expect(got.light).toBe('red');
    expect((await noticesTo(t, 'feedback.appeal_overdue')).length).toBeGreaterThanOrEqual(2);
    expect(got.consistent).toBe(true);
  });

  it('refuses bad input and unknown things with 4xx, changing nothing', async () => {
    await api(t, 'manager', { method: 'GET', url: '/appeals' });
    await api(t, 'leader', { method: 'GET', url: '/appeals/inbox' });
    const before = await t.counts();
    for (const bad of [{ content: '没有类型' }, { type: 'praise', content: 'x' }, { type: 'help', content: '' }, { type: 'help', content: 'x', appellantPhone: '123' }]) {
      const res = await intake(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await intake({ type: 'help', content: 'x', departmentId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
    expect((await intake({ categoryCode: 'NOPE', content: 'x' })).statusCode).toBe(404);
    expect((await act('00000000-0000-4000-8000-000000000000', { action: 'sign' })).statusCode).toBe(404);
    expect((await act('00000000-0000-4000-8000-000000000000', { action: 'fly' })).statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
  });
});

describe('appeals filed on the portal without an account', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T09:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const file = (payload: Record<string, unknown>) => api(t, null, { method: 'POST', url: '/public/appeals', payload });
  const query = (number: string, last4: string) => api(t, null, { method: 'GET', url: `/public/appeals/${number}?phoneLast4=${last4}` });
  const APPEAL = { type: 'complaint', content: '办理营业执照被要求重复提交材料', appellantName: '赵小青', appellantPhone: '13712345678' };

  it('gives a receipt number, then shows the appeal masked to whoever has the number and the phone tail', async () => {
    const filed = await file(APPEAL);
    expect(filed.statusCode).toBe(201);
    const { number } = filed.json();
    expect(filed.json()).toMatchObject({ typeLabel: '投诉', receivedAt: '2025-10-09T09:00:00+08:00' });
    // The desk has it, from the web, waiting to be dispatched.
    const desk = (await api(t, 'manager', { method: 'GET', url: '/appeals' })).json();
    expect(desk).toEqual([expect.objectContaining({ number, source: 'web', status: 'received', appellantPhone: '13712345678' })]);
    const shown = await query(number, '5678');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ number, statusLabel: '已受理待派发', appellantName: '赵**', appellantPhone: '137****5678', answer: null });
    expect(shown.body).not.toContain('13712345678');
    // Wrong digits and unknown numbers look alike.
    for (const [n, d] of [[number, '0000'], ['SQ-NOPE', '5678']] as const) {
      const res = await query(n, d);
      expect(res.statusCode).toBe(404);
    }
    expect((await query(number, '56')).statusCode).toBe(400);
  });

  it('refuses a filing without a valid mobile and records nothing', async () => {
    const before = await t.counts();
    for (const bad of [{ ...APPEAL, appellantPhone: '0722-1234567' }, { ...APPEAL, appellantName: '' }, { ...APPEAL, type: 'praise' }]) {
      const res = await file(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.counts()).toEqual(before);
  });
});
