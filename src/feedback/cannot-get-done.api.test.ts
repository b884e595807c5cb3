import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../audit/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { api, noticesTo, runTimers, userId } from './test-helpers.js';

describe('the 办不成事 window: impossible findings answered in 3 working days, and its ledger', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T10:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const register = async (content: string, kind = 'cannot_get_done') => {
    const res = await api(t, 'supervisor', { method: 'POST', url: '/complaints', payload: { kind, channel: 'on_site', complexity: 'complex', complainantName: '赵六', complainantPhone: '13900002222', content } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  };
  const find = (id: string, payload: Record<string, unknown>) => api(t, 'supervisor', { method: 'POST', url: `/complaints/${id}/impossible`, payload });
  const answer = (id: string, payload: Record<string, unknown>) => api(t, 'supervisor', { method: 'POST', url: `/complaints/${id}/answer`, payload: { finding: 'unsubstantiated', ...payload } });

  it('starts a 3-working-day answer from the finding, reminds the supervisor on yellow, escalates when late, and tells the person why', async () => {
    const matter = await register('1990 年的老房产证补办不了');
    t.clock.set('2025-10-13T10:00:00+08:00');
    const found = await find(matter.id, { reason: '该房屋已列入征收范围，冻结办理', legalBasis: '《国有土地上房屋征收与补偿条例》第十六条' });
    expect(found.statusCode).toBe(200);
    // Monday 10:00 + 3 working days: Thursday's close; the desk's light follows the new deadline.
    expect(found.json()).toMatchObject({ disposition: 'impossible', dispositionLabel: '确属办不成', replyDueAt: '2025-10-16T17:00:00+08:00', dueAt: '2025-10-22T17:00:00+08:00', light: 'green', foundByName: '测试supervisor' });
    expect((await find(matter.id, { reason: '再认定', legalBasis: '同上' })).json().error.code).toBe('ALREADY_FOUND_IMPOSSIBLE');

    // Nothing fires the day before; on Thursday the light turns yellow and the supervisor is reminded once.
    t.clock.set('2025-10-15T16:00:00+08:00');
    expect(await runTimers(t)).toBe(0);
    t.clock.set('2025-10-16T16:00:00+08:00');
    expect(await runTimers(t)).toBe(1);
    expect(await noticesTo(t, 'feedback.impossible_reply_soon')).toEqual([expect.objectContaining({ recipient: await userId(t, 'supervisor'), body: expect.stringContaining('2025-10-16T17:00:00+08:00') })]);
    const onDesk = (await api(t, 'supervisor', { method: 'GET', url: '/complaints' })).json().find((c: { id: string }) => c.id === matter.id);
    expect(onDesk).toMatchObject({ light: 'yellow', escalated: false });

    // Past the answer deadline (still long before the intake one): escalated.
    t.clock.set('2025-10-17T09:00:00+08:00');
    expect(await runTimers(t)).toBe(1);
    expect((await noticesTo(t, 'feedback.impossible_reply_overdue')).map((n) => n.recipient)).toEqual(expect.arrayContaining([await userId(t, 'manager'), await userId(t, 'supervisor')]));
    expect((await api(t, 'supervisor', { method: 'GET', url: '/complaints' })).json().find((c: { id: string }) => c.id === matter.id)).toMatchObject({ light: 'red', escalated: true });

    // It cannot be answered as solved; answered, the SMS carries the reason and its basis.
    expect((await answer(matter.id, { outcome: '已办好', disposition: 'solved' })).statusCode).toBe(409);
    const done = await answer(matter.id, { outcome: '经核实确属不能办理，已当面解释' });
    expect(done.json()).toMatchObject({ status: 'answered', disposition: 'impossible' });
    expect(await noticesTo(t, 'feedback.complaint_outcome')).toEqual([
      expect.objectContaining({ recipient: '13900002222', body: expect.stringContaining('依据：《国有土地上房屋征收与补偿条例》第十六条') }),
    ]);
    const audits = await t.ctx.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, matter.id));
    expect(audits.map((a) => a.action)).toEqual(['complaint.registered', 'complaint.found_impossible', 'complaint.reply_reminded', 'complaint.escalated', 'complaint.answered']);
  });

  it('refuses a finding without its legal basis, on a plain complaint, or an answer that does not say how it ended, changing nothing', async () => {
    const matter = await register('营业执照跨区迁移办不了');
    const plain = await register('窗口态度差', 'complaint');
    const before = await t.counts();
    const noBasis = await find(matter.id, { reason: '不属于本中心事权', legalBasis: ' ' });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'body.legalBasis', message: '请填写法律政策依据' })] } });
    expect((await find(plain.id, { reason: 'x', legalBasis: 'y' })).json().error).toMatchObject({ code: 'NOT_CANNOT_GET_DONE' });
    expect((await answer(matter.id, { outcome: '已处理' })).json().error.message).toBe('请选择办理结果：已办成、已转办，或先认定确属办不成');
    expect((await answer(matter.id, { outcome: '已转办', disposition: 'transferred' })).json().error.message).toBe('请填写转办单位');
    expect((await answer(matter.id, { outcome: '办不了', disposition: 'impossible' })).json().error.code).toBe('NOT_FOUND_IMPOSSIBLE');
    expect(await t.counts()).toEqual(before);
    const staff = await api(t, 'staff', { method: 'POST', url: `/complaints/${matter.id}/impossible`, payload: { reason: 'x', legalBasis: 'y' } });
    expect(staff.statusCode).toBe(403);
  });

  it('keeps the month’s ledger: what came in, solved, impossible with the reason, transferred', async () => {
    const solved = await register('社保转移接续办不了');
    const transferred = await register('公积金提取被拒');
    const impossible = await register('宅基地上建房办不了证');
    await register('窗口态度差', 'complaint');
    const open = await register('户口迁移办不了');
    expect((await answer(solved.id, { outcome: '协调社保中心当场办结', disposition: 'solved' })).statusCode).toBe(200);
    expect((await answer(transferred.id, { outcome: '已转交', disposition: 'transferred', transferredTo: '县住房公积金中心' })).statusCode).toBe(200);
    await find(impossible.id, { reason: '超出规划许可范围', legalBasis: '《城乡规划法》第四十条' });
    await answer(impossible.id, { outcome: '已书面告知' });

    t.clock.set('2025-11-03T10:00:00+08:00');
    const ledger = await api(t, 'manager', { method: 'GET', url: '/complaints/cannot-get-done?month=2025-10' });
    expect(ledger.statusCode).toBe(200);
    // The plain complaint is not in it; the open one is late by November; names masked but for supervisors.
    expect(ledger.json().counts).toEqual({ received: 4, open: 1, solved: 1, impossible: 1, transferred: 1, late: 1 });
    expect(ledger.json().rows.map((r: { number: string; dispositionLabel: string | null; complainantName: string }) => [r.number, r.dispositionLabel, r.complainantName])).toEqual([
      [solved.number, '已办成', '赵*'],
      [transferred.number, '已转办', '赵*'],
      [impossible.number, '确属办不成', '赵*'],
      [open.number, null, '赵*'],
    ]);
    expect(ledger.json().rows[2]).toMatchObject({ impossibleReason: '超出规划许可范围', legalBasis: '《城乡规划法》第四十条' });
    expect(ledger.json().rows[1]).toMatchObject({ transferredTo: '县住房公积金中心' });
    expect((await api(t, 'manager', { method: 'GET', url: '/complaints/cannot-get-done?month=2025-09' })).json().counts.received).toBe(0);
    expect((await api(t, 'manager', { method: 'GET', url: '/complaints/cannot-get-done?month=2025-13' })).statusCode).toBe(400);
  });
});
