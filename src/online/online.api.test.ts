import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents } from '../audit/tables.js';
import { addDepartment, addUser, as } from '../cases/test-helpers.js';
import { createTimerRunner } from '../jobs/timers.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { onlineFigures } from './figures.js';
import { onlineFiles } from './tables.js';
import { MAX_UPLOAD_BYTES } from './uploads.js';
import { addOnlineService, ID_NUMBER, lastCode, PDF, PHONE, PNG, readyDraft, signIn, uploadFile, type Applicant } from './test-helpers.js';

// Monday 3 November 2025: five working days on is the close of Monday 10 November.
const MONDAY = '2025-11-03T10:00:00+08:00';

describe('online applications', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: MONDAY });
    await addOnlineService(t);
  });
  afterEach(() => t.close());

  const runTimers = () => createTimerRunner({ db: t.ctx.db, clock: t.clock }, timerHandlers(t.ctx)).runDue();
  const submit = (a: Applicant, id: string) => a.call({ method: 'POST', url: `/online/applications/${id}/submit` });
  // Through the cases' helper, which signs staff in again when a test has moved the clock a day on.
  const review = (id: string, body: object) => as(t, 'staff', { method: 'POST', url: `/online/inbox/${id}/review`, payload: body });
  const staffGet = (url: string) => as(t, 'staff', { method: 'GET', url });

  describe('signing in with a texted code', () => {
    it('signs in with the code from the SMS and refuses a wrong one without creating an account', async () => {
      await t.api(null, { method: 'POST', url: '/online/codes', payload: { phone: PHONE } });
      const code = await lastCode(t);
      const wrong = await t.api(null, { method: 'POST', url: '/online/sessions', payload: { phone: PHONE, code: code === '000000' ? '111111' : '000000' } });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.code).toBe('INVALID_CODE');
      expect((await t.counts()).applicants ?? 0).toBe(0);
      const ok = await t.api(null, { method: 'POST', url: '/online/sessions', payload: { phone: PHONE, code } });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().profile).toMatchObject({ phone: '139****5678', verified: false });
      // A code is good once.
      const again = await t.api(null, { method: 'POST', url: '/online/sessions', payload: { phone: PHONE, code } });
      expect(again.json().error.code).toBe('INVALID_CODE');
    });

    it('hides the code from the managers reading the message record', async () => {
      await t.api(null, { method: 'POST', url: '/online/codes', payload: { phone: PHONE } });
      const code = await lastCode(t);
      const list = await t.api('manager', { method: 'GET', url: '/notifications?template=online.code' });
      expect(list.statusCode).toBe(200);
      const [sms] = list.json();
      expect(sms.recipient).toBe('139****5678');
      expect(sms.body).toContain('验证码');
      expect(sms.body).not.toContain(code);
    });

    it('spends a code after five wrong tries', async () => {
      await t.api(null, { method: 'POST', url: '/online/codes', payload: { phone: PHONE } });
      const code = await lastCode(t);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) await t.api(null, { method: 'POST', url: '/online/sessions', payload: { phone: PHONE, code: wrong } });
      const right = await t.api(null, { method: 'POST', url: '/online/sessions', payload: { phone: PHONE, code } });
      expect(right.json().error.code).toBe('INVALID_CODE');
    });

    it('ends the session after two hours', async () => {
      const a = await signIn(t);
      expect((await a.call({ method: 'GET', url: '/online/me' })).statusCode).toBe(200);
      t.clock.advance(2 * 3_600_000 + 1000);
      const late = await a.call({ method: 'GET', url: '/online/me' });
      expect(late.statusCode).toBe(401);
      expect(late.json().error.code).toBe('UNAUTHENTICATED');
    });

    it('checks the ID number and credit code by their check characters and masks them back', async () => {
      const a = await signIn(t);
      const badId = await a.call({ method: 'PUT', url: '/online/me', payload: { kind: 'person', name: '张三丰', idNumber: '110105194912310021' } });
      expect(badId.json().error.code).toBe('INVALID_ID_NUMBER');
      const badCode = await a.call({ method: 'PUT', url: '/online/me', payload: { kind: 'company', name: '随县测试公司', creditCode: '91350100M000100Y44', contactName: '李四' } });
      expect(badCode.json().error.code).toBe('INVALID_CREDIT_CODE');
      const me = (await a.call({ method: 'GET', url: '/online/me' })).json();
      expect(me).toMatchObject({ name: '张三丰', number: '1101**********002X', verified: true });
      const company = await a.call({ method: 'PUT', url: '/online/me', payload: { kind: 'company', name: '随县测试公司', creditCode: '91350100M000100Y43', contactName: '李四' } });
      expect(company.json()).toMatchObject({ kind: 'company', number: '9135**********0Y43' });
      // The trail never carries the numbers in clear.
      const trail = JSON.stringify(await t.ctx.db.select().from(auditEvents));
      expect(trail).not.toContain(ID_NUMBER);
      expect(trail).not.toContain(PHONE);
    });
  });

  describe('applying', () => {
    it('refuses an item that is not online-applicable', async () => {
      await addOnlineService(t, 'ON-002', { onlineApplicable: false });
      const a = await signIn(t);
      const res = await a.call({ method: 'POST', url: '/online/applications', payload: { serviceCode: 'ON-002' } });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('NOT_ONLINE');
      const list = await t.api(null, { method: 'GET', url: '/online/services' });
      expect(list.json().map((s: { code: string }) => s.code)).toEqual(['ON-001']);
    });

    it('self-checks the draft, lists everything missing at once and refuses to submit it', async () => {
      const a = await signIn(t);
      const draft = (await a.call({ method: 'POST', url: '/online/applications', payload: { serviceCode: 'ON-001' } })).json();
      expect(draft.check.ready).toBe(false);
      expect(draft.check.problems.map((p: { field: string }) => p.field)).toEqual(['materials.form', 'materials.id-card', 'materials.proxy']);
      const res = await submit(a, draft.id);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INCOMPLETE');
      expect((await a.call({ method: 'GET', url: `/online/applications/${draft.id}` })).json().status).toBe('draft');
    });

    it('refuses a wrong type or an oversized file with a clear message and stores nothing', async () => {
      const a = await signIn(t);
      const id = (await a.call({ method: 'POST', url: '/online/applications', payload: { serviceCode: 'ON-001' } })).json().id;
      const exe = await uploadFile(a, id, 'form', 'form.pdf', Buffer.from('MZ\x90\x00 this is a program'));
      expect(exe.statusCode).toBe(400);
      expect(exe.json().error).toMatchObject({ code: 'INVALID_FILE', message: '文件内容与扩展名 .pdf 不符' });
      const word = await uploadFile(a, id, 'form', 'form.docx', PDF);
      expect(word.json().error).toMatchObject({ code: 'INVALID_FILE', message: '只能上传 PDF 或图片（PNG、JPG）' });
      const big = await uploadFile(a, id, 'form', 'scan.pdf', Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD_BYTES)]));
      expect(big.statusCode).toBe(400);
      expect(big.json().error.message).toContain('5 MB');
      expect(await t.ctx.db.select({ id: onlineFiles.id }).from(onlineFiles)).toEqual([]);
      const png = await uploadFile(a, id, 'photo', 'photo.png', PNG, 'image/png');
      expect(png.statusCode).toBe(201);
      expect(png.json()).toMatchObject({ mimeType: 'image/png', filename: 'photo.png' });
    });

    it('submits a complete application as a received case with its case number and a 5-working-day review limit', async () => {
      const a = await signIn(t);
      const id = await readyDraft(t, a);
      const res = await submit(a, id);
      expect(res.statusCode).toBe(200);
      const app = res.json();
      expect(app.status).toBe('submitted');
      expect(app.case.caseNumber).toMatch(/^TEST-20251103-/);
      expect(app.case.status).toBe('received');
      expect(app.reviewDue).toBe('2025-11-10T17:00:00+08:00');
      const staffCase = await t.api('staff', { method: 'GET', url: `/cases/${app.case.caseNumber}` });
      expect(staffCase.json()).toMatchObject({ status: 'received', delivery: { method: 'post' } });
      const inbox = await t.api('staff', { method: 'GET', url: '/online/inbox' });
      expect(inbox.json().items).toEqual([expect.objectContaining({ id, reviewLight: 'green', applicantName: '张三丰' })]);
    });
  });

  describe('who may fetch an uploaded file', () => {
    it('serves it to its applicant and the staff of its window or hall-wide roles only', async () => {
      const a = await signIn(t);
      const id = await readyDraft(t, a);
      const fileId = (await a.call({ method: 'GET', url: `/online/applications/${id}` })).json().materials[0].files[0].id;
      const url = `/online/files/${fileId}`;
      const own = await a.call({ method: 'GET', url });
      expect(own.statusCode).toBe(200);
      expect(own.headers['content-type']).toBe('application/pdf');
      expect(own.rawPayload.equals(PDF)).toBe(true);
      expect((await t.api('staff', { method: 'GET', url })).statusCode).toBe(200);
      expect((await t.api('supervisor', { method: 'GET', url })).statusCode).toBe(200);
      expect((await t.api(null, { method: 'GET', url })).statusCode).toBe(404);
      const other = await signIn(t, '13700001111');
      expect((await other.call({ method: 'GET', url })).statusCode).toBe(404);
      const outsider = await addUser(t, 'outsider', 'staff', await addDepartment(t, '林业局'));
      expect((await outsider.call({ method: 'GET', url: `/online/files/${fileId}` })).statusCode).toBe(404);
      expect((await t.api(null, { method: 'GET', url, headers: { authorization: `Bearer ${'x'.repeat(43)}` } })).statusCode).toBe(404);
    });
  });

  describe('pre-review', () => {
    it('asks for corrections at once, takes the answer and accepts it with the deadline from the answer', async () => {
      let a = await signIn(t);
      const id = await readyDraft(t, a);
      const caseNumber = (await submit(a, id)).json().case.caseNumber;
      t.clock.advance(3_600_000);
      const asked = await review(id, { decision: 'correct', corrections: [{ materialId: 'id-card', text: '身份证反面不清晰，请重新拍照上传' }, { text: '申请表第 3 栏未签名' }] });
      expect(asked.statusCode).toBe(200);
      const seen = (await a.call({ method: 'GET', url: `/online/applications/${id}` })).json();
      expect(seen.status).toBe('corrections');
      expect(seen.case.status).toBe('awaiting_supplement');
      expect(seen.notices.map((n: { title: string }) => n.title)).toEqual(['办件通知书']);
      const html = await a.call({ method: 'GET', url: `/online/applications/${id}/notices/1` });
      expect(html.body).toContain('身份证反面不清晰');
      // Answering without the re-upload asked for: told what is missing, nothing changes.
      const early = await a.call({ method: 'POST', url: `/online/applications/${id}/answer`, payload: { note: '已签名' } });
      expect(early.json().error.code).toBe('INCOMPLETE');
      expect(early.json().error.message).toContain('居民身份证');
      t.clock.advance(60_000);
      await uploadFile(a, id, 'id-card', 'id-card-2.png', PNG, 'image/png');
      t.clock.set('2025-11-04T09:30:00+08:00');
      a = await signIn(t); // sessions last two hours
      const answered = await a.call({ method: 'POST', url: `/online/applications/${id}/answer`, payload: { note: '已重新上传并签名' } });
      expect(answered.json()).toMatchObject({ status: 'resubmitted', reviewDue: '2025-11-11T17:00:00+08:00' });
      const twice = await review(id, { decision: 'correct', corrections: [{ text: '再补一份' }] });
      expect(twice.json().error.code).toBe('CORRECTIONS_ONCE');
      t.clock.set('2025-11-05T15:00:00+08:00');
      const accepted = await review(id, { decision: 'accept' });
      a = await signIn(t);
      expect(accepted.json()).toMatchObject({ status: 'accepted', acceptedBy: 'staff' });
      const kase = (await staffGet(`/cases/${caseNumber}`)).json();
      // Received complete on the 4th: the 3 promised working days run from then, not from the review.
      expect(kase).toMatchObject({ status: 'accepted', acceptedAt: '2025-11-04T09:30:00+08:00', deadline: '2025-11-07T17:00:00+08:00' });
      const mine = (await a.call({ method: 'GET', url: '/online/applications' })).json();
      expect(mine[0]).toMatchObject({ status: 'accepted', caseNumber, deadline: '2025-11-07T17:00:00+08:00' });
    });

    it('returns an application with its reason, and the applicant sees it', async () => {
      const a = await signIn(t);
      const id = await readyDraft(t, a);
      await submit(a, id);
      const empty = await review(id, { decision: 'reject', reason: '' });
      expect(empty.json().error.code).toBe('VALIDATION_FAILED');
      await review(id, { decision: 'reject', reason: '申请事项不属于本中心受理范围' });
      const seen = (await a.call({ method: 'GET', url: `/online/applications/${id}` })).json();
      expect(seen).toMatchObject({ status: 'rejected', decisionReason: '申请事项不属于本中心受理范围', case: { status: 'returned' } });
      expect(seen.events.map((e: { action: string }) => e.action)).toEqual(['submitted', 'rejected']);
    });

    it('keeps other departments out of the application', async () => {
      const a = await signIn(t);
      const id = await readyDraft(t, a);
      await submit(a, id);
      const outsider = await addUser(t, 'outsider', 'staff', await addDepartment(t, '林业局'));
      const res = await outsider.call({ method: 'POST', url: `/online/inbox/${id}/review`, payload: { decision: 'accept' } });
      expect(res.statusCode).toBe(404);
      expect((await outsider.call({ method: 'GET', url: '/online/inbox' })).json().items).toEqual([]);
    });

    it('treats an application unreviewed for 5 working days as accepted from receipt, and the inbox shows it red', async () => {
      let a = await signIn(t);
      const id = await readyDraft(t, a);
      const caseNumber = (await submit(a, id)).json().case.caseNumber;
      t.clock.set('2025-11-10T16:59:00+08:00');
      a = await signIn(t);
      await runTimers();
      expect((await a.call({ method: 'GET', url: `/online/applications/${id}` })).json().status).toBe('submitted');
      expect((await staffGet('/online/inbox')).json().items[0].reviewLight).toBe('yellow');
      t.clock.set('2025-11-10T17:01:00+08:00');
      await runTimers();
      a = await signIn(t);
      const seen = (await a.call({ method: 'GET', url: `/online/applications/${id}` })).json();
      expect(seen).toMatchObject({ status: 'accepted', acceptedBy: 'law', case: { status: 'accepted', acceptedAt: '2025-11-03T10:00:00+08:00', deadline: '2025-11-06T17:00:00+08:00' } });
      expect(seen.events.at(-1).note).toContain('视为受理');
      const inbox = (await staffGet('/online/inbox')).json();
      expect(inbox.items).toEqual([expect.objectContaining({ id, status: 'accepted', acceptedBy: 'law', reviewLight: 'red', caseNumber })]);
      expect(inbox.counts.red).toBe(1);
      // Too late to ask for corrections now.
      expect((await review(id, { decision: 'correct', corrections: [{ text: '补一份' }] })).statusCode).toBe(409);
    });
  });

  describe('finishing', () => {
    it('records the agent on the case, posts the result by EMS with its tracking number shown, then takes one rating', async () => {
      const a = await signIn(t);
      const id = await readyDraft(t, a);
      const agent = { name: '王代办', idNumber: ID_NUMBER, phone: '13700002222', authorization: '委托王代办办理本事项全部手续' };
      const bad = await a.call({ method: 'PUT', url: `/online/applications/${id}`, payload: { finish: 'agent', agent: { ...agent, idNumber: '110105194912310021' }, deliveryMethod: 'post', deliveryAddress: '随县厉山镇 1 号', notApplicable: ['proxy'] } });
      expect(bad.json().error.code).toBe('INVALID_ID_NUMBER');
      const saved = await a.call({ method: 'PUT', url: `/online/applications/${id}`, payload: { finish: 'agent', agent, deliveryMethod: 'post', deliveryAddress: '随县厉山镇 1 号', notApplicable: ['proxy'] } });
      expect(saved.json().agent).toMatchObject({ name: '王代办', idNumber: '1101**********002X', phone: '137****2222' });
      const caseNumber = (await submit(a, id)).json().case.caseNumber;
      await review(id, { decision: 'accept' });
      const kase = (await staffGet(`/cases/${caseNumber}`)).json();
      expect(kase.agent).toMatchObject({ name: '王代办', authorization: '委托王代办办理本事项全部手续' });
      await as(t, 'staff', { method: 'POST', url: `/cases/${caseNumber}/actions`, payload: { action: 'complete', result: '准予许可' } });
      const mailed = await as(t, 'staff', { method: 'POST', url: `/cases/${caseNumber}/actions`, payload: { action: 'mail', trackingNumber: 'EA123456789CN' } });
      expect(mailed.statusCode).toBe(200);
      const seen = (await a.call({ method: 'GET', url: `/online/applications/${id}` })).json();
      expect(seen.case).toMatchObject({ status: 'delivered', result: '准予许可', delivery: { method: 'post', trackingNumber: 'EA123456789CN' }, rateable: true });
      const rated = await t.api(null, { method: 'POST', url: '/ratings', payload: { caseNumber, grade: 'satisfied' } });
      expect(rated.statusCode).toBe(201);
      expect((await a.call({ method: 'GET', url: `/online/applications/${id}` })).json().case.rateable).toBe(false);
    });

    it('lets a draft file be removed, but not one the window has already reviewed', async () => {
      const a = await signIn(t);
      const id = await readyDraft(t, a);
      const files = () => a.call({ method: 'GET', url: `/online/applications/${id}` }).then((r) => r.json().materials[0].files as { id: string }[]);
      const extra = (await uploadFile(a, id, 'form', 'form-2.pdf', PDF)).json().id;
      expect((await a.call({ method: 'DELETE', url: `/online/applications/${id}/files/${extra}` })).statusCode).toBe(204);
      expect(await files()).toHaveLength(1);
      await submit(a, id);
      t.clock.advance(60_000);
      await review(id, { decision: 'correct', corrections: [{ text: '申请表未签名' }] });
      const [reviewed] = await files();
      const refused = await a.call({ method: 'DELETE', url: `/online/applications/${id}/files/${reviewed!.id}` });
      expect(refused.json().error.code).toBe('NOT_EDITABLE');
      expect(await files()).toHaveLength(1);
    });
  });

  it('gives the bulletin its online figures', async () => {
    const a = await signIn(t);
    await submit(a, await readyDraft(t, a));
    await t.api('staff', { method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: { name: '李四', idNumber: ID_NUMBER, phone: '13800000000' }, materials: [] } });
    const figures = await onlineFigures(t.ctx.db, t.hall.hallId, '2025-11-01', '2025-11-30');
    expect(figures).toMatchObject({ items: 1, onlineItems: 1, onlineItemShare: 1, cases: 2, onlineCases: 1, onlineCaseShare: 0.5, visits: 1, averageVisits: 0.5 });
  });
});
