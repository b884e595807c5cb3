import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { halls } from '../org/tables.js';
import { notifications } from '../notify/tables.js';
import { outbox } from '../notify/test-helpers.js';
import type { Role } from '../auth/roles.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { api, completedCase, doneTicket, noticesTo, runTimers, userId, waitingTicket } from './test-helpers.js';

describe('ratings and the bad-review loop', () => {
  let t: TestApp;
  // 2025-09-30 (Tuesday) is the last working day before the National Day holidays (10-01 to 10-08).
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-09-30T09:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const rate = (payload: Record<string, unknown>, role: Role | null = null) => api(t, role, { method: 'POST', url: '/ratings', payload });
  const followups = async (status = 'open') => (await api(t, 'supervisor', { method: 'GET', url: `/followups?status=${status}` })).json();
  const act = (id: string, payload: Record<string, unknown>, role: Role | null = 'supervisor') => api(t, role, { method: 'POST', url: `/followups/${id}/actions`, payload });

  it('a 非常不满意 rating opens a follow-up due in working days; closing needs the verification and the rater’s answer; the indicators count it', async () => {
    const ticket = await doneTicket(t);
    const res = await rate({ ticketId: ticket.id, grade: 'very_dissatisfied', tags: ['long_wait'], comment: '等了一个多小时', raterPhone: '13900001111' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ grade: 'very_dissatisfied' });
    expect(res.json().id).toEqual(expect.any(String));

    const [f] = await followups();
    expect(f).toMatchObject({ ratingId: res.json().id, status: 'to_verify', stage: 'verify', light: 'green' });
    // One working day to call back and verify: the holidays do not count, so the close of Thursday 10-09.
    expect(f.deadline).toBe('2025-10-09T17:00:00+08:00');
    expect(f.rating).toMatchObject({ gradeLabel: '非常不满意', windowName: '测试窗口', staffName: '测试staff', raterPhone: '13900001111', tags: ['等候太久'] });
    expect(await noticesTo(t, 'feedback.bad_review')).toEqual([expect.objectContaining({ recipient: await userId(t, 'supervisor'), channel: 'staff' })]);

    // No closing before the call-back has verified it.
    const early = await act(f.id, { action: 'close', answer: '已答复', raterResponse: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('INVALID_TRANSITION');
    expect(early.json().error.message).toContain('回访核实');

    t.clock.set('2025-10-09T10:00:00+08:00');
    const verified = await act(f.id, { action: 'verify_valid', note: '电话回访，属实：当日窗口人手不足' });
    expect(verified.statusCode).toBe(200);
    // Five working days to rectify (hall setting), counted from the verification: 10-10, 10-11 (调休), 10-13, 10-14, 10-15.
    expect(verified.json()).toMatchObject({ status: 'rectifying', verification: 'valid', deadline: '2025-10-15T17:00:00+08:00' });
    const rectified = await act(f.id, { action: 'complete_rectification', rectification: '高峰时段增开弹性窗口' });
    expect(rectified.json()).toMatchObject({ status: 'rectified', stage: 'answer', deadline: '2025-10-10T17:00:00+08:00' });

    // The rater's answer is required: refused, nothing written.
    const before = await t.counts();
    const noAnswer = await act(f.id, { action: 'close', answer: '已增开窗口' });
    expect(noAnswer.statusCode).toBe(400);
    expect(noAnswer.json().error.code).toBe('VALIDATION_FAILED');
    expect(await t.counts()).toEqual(before);

    const closed = await act(f.id, { action: 'close', answer: '已增开弹性窗口，感谢监督', raterResponse: 'satisfied' });
    expect(closed.json()).toMatchObject({ status: 'done', raterResponse: 'satisfied', handledInTime: true, answer: '已增开弹性窗口，感谢监督' });
    expect(closed.json().history.map((h: { action: string }) => h.action)).toEqual(['open', 'verify_valid', 'complete_rectification', 'close']);
    // The answer goes back to the rater by SMS.
    expect(await noticesTo(t, 'feedback.followup_answer')).toEqual([expect.objectContaining({ recipient: '13900001111', channel: 'sms' })]);
    expect(await followups('open')).toEqual([]);

    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09&by=window' })).json();
    expect(ind.totals).toMatchObject({ served: 1, rated: 1, ratingRate: 1, satisfaction: 0, meanScore: 1, badReviews: 1, badHandledInTime: 1, badHandledRate: 1, timeliness: 1 });
    expect(ind.rows).toEqual([expect.objectContaining({ name: '测试窗口', badReviews: 1 })]);
    const byDept = (await api(t, 'supervisor', { method: 'GET', url: '/feedback/indicators?month=2025-09&by=department' })).json();
    expect(byDept.rows).toEqual([expect.objectContaining({ name: '测试局', rated: 1 })]);
  });

  it('flags an overdue follow-up, tells the office and counts it as not handled in time', async () => {
    const ticket = await doneTicket(t);
    await rate({ ticketId: ticket.id, grade: 'dissatisfied' });
    const [f] = await followups();
    t.clock.set('2025-10-09T16:00:00+08:00');
    expect((await followups())[0].light).toBe('yellow');
    t.clock.set('2025-10-10T09:00:00+08:00');
    expect(await runTimers(t)).toBe(1);
    const [late] = await followups();
    expect(late).toMatchObject({ id: f.id, light: 'red', overdue: true });
    expect((await noticesTo(t, 'feedback.followup_overdue')).length).toBeGreaterThanOrEqual(2);
    await act(f.id, { action: 'propose_invalid', note: '评价人称误按' });
    expect((await act(f.id, { action: 'approve_invalid' }, 'supervisor')).statusCode).toBe(403);
    await act(f.id, { action: 'approve_invalid' }, 'manager');
    await act(f.id, { action: 'close', answer: '已向评价人说明', raterResponse: 'basically_satisfied' });
    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09' })).json();
    expect(ind.totals).toMatchObject({ badReviews: 1, badHandledInTime: 0, badHandledLate: 1, badHandledRate: 0 });
  });

  it('allows one extension of rectification, with a manager’s approval', async () => {
    const ticket = await doneTicket(t);
    await rate({ ticketId: ticket.id, grade: 'dissatisfied' });
    const [f] = await followups();
    await act(f.id, { action: 'verify_valid', note: '属实' });
    const asked = await act(f.id, { action: 'request_extension', days: 3, reason: '需采购设备' }, 'leader');
    expect(asked.json().extension).toMatchObject({ status: 'pending', days: 3 });
    const approved = await act(f.id, { action: 'approve_extension' }, 'manager');
    // Verified on 09-30: five working days end 10-14 (10-11 is a make-up Saturday); three more: 10-15, 10-16, 10-17.
    expect(asked.json().deadline).toBe('2025-10-14T17:00:00+08:00');
    expect(approved.json()).toMatchObject({ deadline: '2025-10-17T17:00:00+08:00', extension: { status: 'approved' } });
    const again = await act(f.id, { action: 'request_extension', days: 1, reason: '再延' }, 'leader');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('EXTENSION_USED');
  });

  it('refuses reusing an SMS token, rating one’s own service and rating twice, recording nothing', async () => {
    const caseNumber = await completedCase(t);
    const sent = await api(t, 'staff', { method: 'POST', url: '/ratings/invitations', payload: { caseNumber } });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ sent: true, phone: '138****5678' });
    const [sms] = await outbox(t.ctx.db, eq(notifications.template, 'feedback.rating_invitation'));
    expect(sms!.recipient).toBe('13812345678');
    const token = /token=([\w.-]+)/.exec(sms!.body)![1]!;

    const page = (await api(t, null, { method: 'GET', url: `/ratings/subject?token=${token}` })).json();
    expect(page).toMatchObject({ kind: 'case', label: caseNumber, rateable: true, staffName: '测试staff' });
    const first = await rate({ token, grade: 'satisfied', tags: ['fast'] });
    expect(first.statusCode).toBe(201);

    const before = await t.counts();
    const reused = await rate({ token, grade: 'very_dissatisfied' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('TOKEN_USED');
    const twice = await rate({ caseNumber, grade: 'basic' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_RATED');
    const forged = await rate({ token: token.slice(0, -4) + 'AAAA', grade: 'basic' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('INVALID_TOKEN');

    const ticket = await doneTicket(t);
    const afterTicket = await t.counts();
    const own = await rate({ ticketId: ticket.id, grade: 'very_satisfied' }, 'staff');
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('SELF_RATING');
    expect(await t.counts()).toEqual(afterTicket);
    // Another staff member who did not serve it may rate like anyone else.
    expect((await rate({ ticketId: ticket.id, grade: 'very_satisfied' }, 'supervisor')).statusCode).toBe(201);
    expect(before.ratings).toBe(1);
  });

  it('refuses unfinished services (409), unknown ones (404) and bad input (400), changing nothing', async () => {
    const waiting = await waitingTicket(t);
    const before = await t.counts();
    const unfinished = await rate({ ticketId: waiting, grade: 'satisfied' });
    expect(unfinished.statusCode).toBe(409);
    expect(unfinished.json().error.code).toBe('NOT_RATEABLE');
    expect((await rate({ ticketId: '00000000-0000-4000-8000-000000000000', grade: 'satisfied' })).statusCode).toBe(404);
    expect((await rate({ caseNumber: 'TEST-20250930-9999', grade: 'satisfied' })).statusCode).toBe(404);
    for (const bad of [
      { ticketId: waiting, grade: 'good' },
      { grade: 'satisfied' },
      { ticketId: waiting, caseNumber: 'X-1', grade: 'satisfied' },
      { ticketId: 'not-a-uuid', grade: 'satisfied' },
      { ticketId: waiting, grade: 'satisfied', comment: 'x'.repeat(501) },
      { ticketId: waiting, grade: 'satisfied', criteria: { overall: 6 } },
    ]) {
      const res = await rate(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const ticket = await doneTicket(t);
    const afterTicket = await t.counts();
    // Praise tags with a bad grade, and online criteria on a visit: refused.
    expect((await rate({ ticketId: ticket.id, grade: 'dissatisfied', tags: ['friendly'] })).statusCode).toBe(400);
    expect((await rate({ ticketId: ticket.id, grade: 'satisfied', criteria: { guideAccuracy: 5 } })).statusCode).toBe(400);
    expect(await t.counts()).toEqual(afterTicket);
    expect(before.ratings).toBe(0);
  });

  it('offers the ticket just finished on the window’s pad, which rates it anonymously as the pad channel', async () => {
    const empty = await api(t, 'staff', { method: 'GET', url: `/pads/${t.hall.windowId}` });
    expect(empty.json()).toMatchObject({ window: { name: '测试窗口' }, ticket: null });
    const ticket = await doneTicket(t);
    const pad = (await api(t, 'staff', { method: 'GET', url: `/pads/${t.hall.windowId}` })).json();
    expect(pad.ticket).toMatchObject({ id: ticket.id, number: ticket.number, serviceName: '测试事项', staffName: '测试staff' });
    const rated = await rate({ ticketId: ticket.id, padToken: pad.ticket.padToken, grade: 'very_satisfied', criteria: { overall: 5, attitude: 5 } });
    expect(rated.statusCode).toBe(201);
    const list = (await api(t, 'supervisor', { method: 'GET', url: '/ratings?month=2025-09' })).json();
    expect(list).toEqual([expect.objectContaining({ channel: 'pad', channelLabel: '窗口评价器', label: ticket.number, gradeLabel: '非常满意' })]);
    // Rated: the pad waits for the next visitor.
    expect((await api(t, 'staff', { method: 'GET', url: `/pads/${t.hall.windowId}` })).json().ticket).toBeNull();
    // A pad token is for its ticket only, and only for the pad's window staff to fetch.
    expect((await api(t, 'leader', { method: 'GET', url: `/pads/${t.hall.windowId}` })).statusCode).toBe(200);
    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09' })).json();
    expect(ind.totals).toMatchObject({ served: 1, offered: 1, coverage: 1, satisfaction: 1, meanScore: 5 });
  });

  it('lets the rater change the rating within the hall’s edit time only; a good grade withdraws the follow-up', async () => {
    const ticket = await doneTicket(t);
    const created = (await rate({ ticketId: ticket.id, grade: 'dissatisfied', tags: ['slow'] })).json();
    expect((await followups()).length).toBe(1);
    const wrongKey = await api(t, null, { method: 'PATCH', url: `/ratings/${created.id}`, payload: { editKey: 'x'.repeat(20), grade: 'satisfied' } });
    expect(wrongKey.statusCode).toBe(403);
    const changed = await api(t, null, { method: 'PATCH', url: `/ratings/${created.id}`, payload: { editKey: created.editKey, grade: 'satisfied' } });
    expect(changed.statusCode).toBe(200);
    expect(await followups()).toEqual([]);
    expect((await followups('closed'))[0]).toMatchObject({ status: 'withdrawn' });
    t.clock.set('2025-10-09T09:00:00+08:00');
    const late = await api(t, null, { method: 'PATCH', url: `/ratings/${created.id}`, payload: { editKey: created.editKey, grade: 'very_dissatisfied' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('EDIT_CLOSED');
  });

  it('counts services left unrated 7 days as 基本满意 when the hall turns the Guangdong rule on', async () => {
    await doneTicket(t);
    const rated = await doneTicket(t);
    await rate({ ticketId: rated.id, grade: 'very_satisfied' });
    t.clock.set('2025-10-08T09:00:00+08:00');
    const off = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09' })).json();
    expect(off.totals).toMatchObject({ served: 2, rated: 1, ratingRate: 0.5, defaultedBasic: 0, satisfaction: 1, meanScore: 5 });
    const settings = (await api(t, 'manager', { method: 'GET', url: '/feedback/settings' })).json();
    expect(settings.followup).toEqual({ verifyDays: 1, rectifyDays: 5, answerDays: 1, disputeDays: 5 });
    const put = await api(t, 'manager', { method: 'PUT', url: '/feedback/settings', payload: { ...settings, rating: { ...settings.rating, unratedCountsBasic: true } } });
    expect(put.statusCode).toBe(200);
    const on = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09' })).json();
    // Still one real rating; the unrated visit counts as 基本满意 (3) in satisfaction and the mean only.
    expect(on.totals).toMatchObject({ served: 2, rated: 1, ratingRate: 0.5, defaultedBasic: 1, counted: 2, satisfaction: 0.5, meanScore: 4 });
    expect(on.unratedCountsBasic).toBe(true);
    // ... and the rating period of that visit is over.
    const [hall] = await t.ctx.db.select({ settings: halls.settings }).from(halls).where(eq(halls.id, t.hall.hallId));
    expect((hall!.settings.feedback as { rating: { unratedCountsBasic: boolean } }).rating.unratedCountsBasic).toBe(true);
  });

  it('excludes a malicious bad review from the indicators when the supervisor upholds the staff member’s appeal', async () => {
    const ticket = await doneTicket(t);
    const r = (await rate({ ticketId: ticket.id, grade: 'very_dissatisfied', comment: '就是不满意' })).json();
    const mine = (await api(t, 'staff', { method: 'GET', url: '/ratings?mine=true' })).json();
    expect(mine).toEqual([expect.objectContaining({ id: r.id, mayDispute: true })]);
    const filed = await api(t, 'staff', { method: 'POST', url: `/ratings/${r.id}/disputes`, payload: { reason: '评价人与窗口发生私人纠纷，恶意差评，有录像为证' } });
    expect(filed.statusCode).toBe(201);
    expect((await api(t, 'staff', { method: 'POST', url: `/ratings/${r.id}/disputes`, payload: { reason: '再次申诉' } })).statusCode).toBe(409);
    const [d] = (await api(t, 'supervisor', { method: 'GET', url: '/rating-disputes' })).json();
    expect(d).toMatchObject({ ratingId: r.id, status: 'pending', filedByName: '测试staff' });
    expect((await api(t, 'manager', { method: 'POST', url: `/rating-disputes/${d.id}/decision`, payload: { decision: 'upheld', note: '查看录像属实' } })).statusCode).toBe(403);
    const decided = await api(t, 'supervisor', { method: 'POST', url: `/rating-disputes/${d.id}/decision`, payload: { decision: 'upheld', note: '查看录像属实' } });
    expect(decided.json()).toMatchObject({ status: 'upheld' });
    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09' })).json();
    expect(ind.totals).toMatchObject({ rated: 1, excluded: 1, counted: 0, badReviews: 0, satisfaction: null });
    const [f] = await followups();
    const detail = (await api(t, 'supervisor', { method: 'GET', url: `/followups/${f.id}` })).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toContain('dispute_upheld');
  });

  it('records paper rating forms and counts late entry against data timeliness', async () => {
    const ticket = await doneTicket(t);
    t.clock.set('2025-10-10T10:00:00+08:00');
    const form = await api(t, 'supervisor', { method: 'POST', url: '/ratings/forms', payload: { ticketId: ticket.id, grade: 'satisfied', ratedOn: '2025-09-30' } });
    expect(form.statusCode).toBe(201);
    // Filled on 09-30, entered on 10-10: two working days later (10-09, 10-10), past the one-day limit.
    expect(form.json().timely).toBe(false);
    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09' })).json();
    expect(ind.totals).toMatchObject({ ratings: 1, timely: 0, timeliness: 0 });
  });

  it('rates an item online (一事一评) with the online criteria', async () => {
    const page = (await api(t, null, { method: 'GET', url: '/ratings/subject?service=T-001' })).json();
    expect(page).toMatchObject({ kind: 'service', rateable: true, criteria: ['overall', 'efficiency', 'guideAccuracy', 'convenience', 'easeOfUse'] });
    expect((await rate({ serviceCode: 'T-001', grade: 'satisfied', criteria: { attitude: 4 } })).statusCode).toBe(400);
    const ok = await rate({ serviceCode: 'T-001', grade: 'satisfied', criteria: { overall: 4, guideAccuracy: 5 } });
    expect(ok.statusCode).toBe(201);
    const ind = (await api(t, 'manager', { method: 'GET', url: '/feedback/indicators?month=2025-09&by=department' })).json();
    expect(ind.rows).toEqual([expect.objectContaining({ name: '测试局', served: 0, counted: 1, satisfaction: 1 })]);
  });
});

describe('the rating code on a printed ticket', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-09-30T09:00:00+08:00' });
  });
  afterAll(() => t?.close());

  it('tells the kiosk to print it only where the hall chose to put it on tickets', async () => {
    const ticketId = await waitingTicket(t);
    const off = await api(t, null, { method: 'GET', url: `/ratings/qr?ticket=${ticketId}` });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ onTicket: false, svg: expect.stringMatching(/^data:image\/svg\+xml/) });

    expect((await api(t, 'manager', { method: 'PUT', url: '/feedback/settings', payload: { rating: { qrOnTickets: true } } })).statusCode).toBe(200);
    const on = await api(t, null, { method: 'GET', url: `/ratings/qr?ticket=${ticketId}` });
    expect(on.json()).toMatchObject({ onTicket: true });
    expect(on.json().url).toContain('/portal/rate');
  });
});
