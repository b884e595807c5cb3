import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { addUser, api, noticesTo, runTimers, userId } from './test-helpers.js';

describe('complaints, petitions and the suggestion ledger', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T10:00:00+08:00' });
  });
  afterAll(() => t?.close());

  it('keeps the complainant confidential, answers simple complaints by the next working day and escalates when overdue', async () => {
    const staffId = await userId(t, 'staff');
    const created = await api(t, 'staff', {
      method: 'POST',
      url: '/complaints',
      payload: { channel: 'on_site', complainantName: '欧阳娜娜', complainantPhone: '13600001111', content: '窗口人员态度生硬', windowId: t.hall.windowId, staffId },
    });
    expect(created.statusCode).toBe(201);
    // Simple: the same or next working day (hall setting 1).
    expect(created.json()).toMatchObject({ number: 'TS20251009001', dueAt: '2025-10-10T17:00:00+08:00', departmentName: null });
    const forSupervisor = (await api(t, 'supervisor', { method: 'GET', url: '/complaints' })).json();
    expect(forSupervisor[0]).toMatchObject({ complainantName: '欧阳娜娜', complainantPhone: '13600001111', windowName: '测试窗口', staffName: '测试staff' });
    const forManager = (await api(t, 'manager', { method: 'GET', url: '/complaints' })).json();
    expect(forManager[0]).toMatchObject({ complainantName: '欧阳**', complainantPhone: '136****1111' });
    const forLeader = (await api(t, 'leader', { method: 'GET', url: '/complaints' })).json();
    expect(forLeader[0]).toMatchObject({ complainantName: '欧阳**' });

    const complex = await api(t, 'manager', { method: 'POST', url: '/complaints', payload: { channel: 'phone', complexity: 'multi_unit', complainantName: '李四', content: '多部门推诿' } });
    // Complex or multi-unit: five working days (10-11 is a make-up Saturday).
    expect(complex.json().dueAt).toBe('2025-10-15T17:00:00+08:00');
    const cannot = await api(t, 'manager', { method: 'POST', url: '/complaints', payload: { kind: 'cannot_get_done', channel: 'on_site', complexity: 'complex', complainantName: '赵六', content: '老房产证办不了' } });
    // 办不成事, complex: ten working days.
    expect(cannot.json()).toMatchObject({ kindLabel: '办不成事', dueAt: '2025-10-22T17:00:00+08:00' });

    t.clock.set('2025-10-11T09:00:00+08:00');
    expect(await runTimers(t)).toBe(1);
    const overdue = (await api(t, 'supervisor', { method: 'GET', url: '/complaints' })).json().find((c: { number: string }) => c.number === 'TS20251009001');
    expect(overdue).toMatchObject({ escalated: true, light: 'red' });
    expect((await noticesTo(t, 'feedback.complaint_overdue')).map((n) => n.recipient)).toEqual(expect.arrayContaining([await userId(t, 'manager'), await userId(t, 'leader')]));

    const answered = await api(t, 'supervisor', { method: 'POST', url: `/complaints/${overdue.id}/answer`, payload: { outcome: '经调查属实，已对当事人批评教育', finding: 'substantiated' } });
    expect(answered.json()).toMatchObject({ status: 'answered', findingLabel: '属实' });
    expect(await noticesTo(t, 'feedback.complaint_outcome')).toEqual([expect.objectContaining({ recipient: '13600001111', body: expect.stringContaining('批评教育') })]);
    expect((await api(t, 'supervisor', { method: 'POST', url: `/complaints/${overdue.id}/answer`, payload: { outcome: '再答复', finding: 'partly' } })).statusCode).toBe(409);
    // The finding counts against the window in the month's indicators.
    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-10' })).json();
    expect(ind.rows).toEqual([expect.objectContaining({ name: '测试窗口', complaintsSubstantiated: 1 })]);
  });

  it('takes online complaints from the public and refuses bad ones without a trace', async () => {
    const before = await t.counts();
    expect((await api(t, null, { method: 'POST', url: '/public/complaints', payload: { complainantName: '王', complainantPhone: '123', content: 'x' } })).statusCode).toBe(400);
    expect((await api(t, null, { method: 'POST', url: '/public/complaints', payload: { complainantName: '王五', complainantPhone: '13700000000', content: 'x', windowNumber: 99 } })).statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
    const ok = await api(t, null, { method: 'POST', url: '/public/complaints', payload: { complainantName: '王五', complainantPhone: '13700000000', content: '1 号窗口午休提前关窗', windowNumber: 1 } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ number: 'TS20251009001', dueAt: '2025-10-10T17:00:00+08:00' });
  });

  it('registers petitions with the register’s fields, flags a group visit at once, and schedules a leader’s reception', async () => {
    const one = await api(t, 'supervisor', { method: 'POST', url: '/petitions', payload: { name: '孙七', sex: 'male', age: 56, occupation: '农民', address: '厉山镇三里岗村', issue: '土地确权登记迟迟未办', phone: '13500001111' } });
    expect(one.statusCode).toBe(201);
    expect(one.json()).toMatchObject({ number: 'XF20251009001', groupVisit: false, dueAt: '2025-10-13T17:00:00+08:00', name: '孙七' });
    expect(await noticesTo(t, 'feedback.group_visit')).toEqual([]);
    const group = await api(t, 'supervisor', { method: 'POST', url: '/petitions', payload: { name: '周八', sex: 'female', issue: '拆迁补偿', visitors: 12 } });
    expect(group.json()).toMatchObject({ groupVisit: true, visitors: 12 });
    expect(await noticesTo(t, 'feedback.group_visit')).toEqual([expect.objectContaining({ recipient: await userId(t, 'manager'), body: expect.stringContaining('12 人') })]);
    // The leader sees the register with personal data masked.
    const asLeader = (await api(t, 'leader', { method: 'GET', url: '/petitions' })).json();
    expect(asLeader.find((p: { number: string }) => p.number === 'XF20251009001')).toMatchObject({ name: '孙*', phone: '135****1111', address: '' });

    const leaderId = await userId(t, 'leader');
    const soon = await api(t, 'supervisor', { method: 'POST', url: `/petitions/${one.json().id}/receptions`, payload: { leaderId, scheduledAt: '2025-10-14T09:30:00+08:00', place: '信访接待室' } });
    expect(soon.statusCode).toBe(201);
    expect(soon.json().receptions).toEqual([expect.objectContaining({ leaderName: '测试leader', late: false, status: 'scheduled' })]);
    expect((await noticesTo(t, 'feedback.reception'))[0]!.recipient).toBe(leaderId);
    const late = await api(t, 'supervisor', { method: 'POST', url: `/petitions/${one.json().id}/receptions`, payload: { leaderId, scheduledAt: '2025-10-20T09:30:00+08:00' } });
    expect(late.json().receptions[1]).toMatchObject({ late: true });
    const notLeader = await api(t, 'supervisor', { method: 'POST', url: `/petitions/${one.json().id}/receptions`, payload: { leaderId: await userId(t, 'staff'), scheduledAt: '2025-10-14T09:30:00+08:00' } });
    expect(notLeader.statusCode).toBe(400);
    const held = await api(t, 'leader', { method: 'POST', url: `/petition-receptions/${soon.json().receptions[0].id}`, payload: { status: 'held', notes: '当面答复' } });
    expect(held.json().receptions[0]).toMatchObject({ status: 'held', notes: '当面答复' });

    const answered = await api(t, 'supervisor', { method: 'POST', url: `/petitions/${one.json().id}/answer`, payload: { answer: '已转不动产登记中心，承诺 10 月底前办结', onTheSpot: false } });
    expect(answered.json()).toMatchObject({ status: 'answered' });
    t.clock.set('2025-10-14T09:00:00+08:00');
    expect(await runTimers(t)).toBe(1);
    const groupAfter = (await api(t, 'supervisor', { method: 'GET', url: `/petitions/${group.json().id}` })).json();
    expect(groupAfter).toMatchObject({ overdue: true, light: 'red' });
  });

  it('keeps the suggestion ledger: daily openings, missed days, answers in 3 working days and fixes in 7', async () => {
    const opened = await api(t, 'supervisor', { method: 'POST', url: '/suggestion-openings', payload: { source: 'box', openedOn: '2025-10-09', found: 2 } });
    expect(opened.statusCode).toBe(201);
    expect((await api(t, 'supervisor', { method: 'POST', url: '/suggestion-openings', payload: { source: 'box', openedOn: '2025-10-09', found: 3 } })).statusCode).toBe(409);
    t.clock.set('2025-10-14T10:00:00+08:00');
    const ledger = (await api(t, 'manager', { method: 'GET', url: '/suggestion-openings?from=2025-10-09&to=2025-10-31' })).json();
    // Opened on 10-09 only; 10-10, 10-11 (make-up Saturday), 10-13 and 10-14 were working days without an opening.
    expect(ledger.missedDays).toEqual(['2025-10-10', '2025-10-11', '2025-10-13', '2025-10-14']);

    const s = await api(t, 'supervisor', { method: 'POST', url: '/suggestions', payload: { source: 'box', receivedOn: '2025-10-09', content: '希望增加老年人座椅', contactName: '吴九', contactPhone: '13300001111' } });
    expect(s.json()).toMatchObject({ answerDueAt: '2025-10-13T17:00:00+08:00', fixDueAt: '2025-10-17T17:00:00+08:00', light: 'red' });
    expect((await api(t, 'supervisor', { method: 'POST', url: `/suggestions/${s.json().id}/fix`, payload: { fixNote: '已增加' } })).statusCode).toBe(409);
    const answered = await api(t, 'supervisor', { method: 'POST', url: `/suggestions/${s.json().id}/answer`, payload: { answer: '感谢建议，将于本周增设', needsFix: true } });
    expect(answered.json()).toMatchObject({ status: 'answered', answeredLate: true, light: 'green' });
    expect(await noticesTo(t, 'feedback.suggestion_answer')).toEqual([expect.objectContaining({ recipient: '13300001111' })]);
    const fixed = await api(t, 'leader', { method: 'POST', url: `/suggestions/${s.json().id}/fix`, payload: { fixNote: '已在等候区增设 10 把座椅' } });
    expect(fixed.json()).toMatchObject({ status: 'fixed', fixedLate: false });
    const pub = await api(t, null, { method: 'POST', url: '/public/suggestions', payload: { content: '网上预约入口不好找' } });
    expect(pub.statusCode).toBe(201);
    const list = (await api(t, 'leader', { method: 'GET', url: '/suggestions' })).json();
    expect(list.map((x: { sourceLabel: string; contactName: string | null }) => [x.sourceLabel, x.contactName])).toEqual([
      ['网上', null],
      ['意见箱', '吴*'],
    ]);
    const other = await addUser(t, 'clerk', ['staff'], null);
    expect((await other.call({ method: 'GET', url: '/suggestions' })).statusCode).toBe(403);
  });
});
