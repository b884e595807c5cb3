import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { COMPANY, PERSON, act, as, receive } from './test-helpers.js';

// Anything that looks like a whole ID number, credit code or mobile number.
const FULL_ID = /\d{17}[\dXx]/;
const FULL_CREDIT_CODE = /[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/;
const FULL_MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

describe('public progress query', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const query = (n: string, idLast4?: string) => as(t, null, { method: 'GET', url: `/public/cases/${n}${idLast4 === undefined ? '' : `?idLast4=${idLast4}`}` });

  it('answers exactly the fields of shared/api.md with the applicant masked, and never a full ID or phone', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    const res = await query(caseNumber);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      caseNumber,
      serviceName: '测试事项',
      department: '测试局',
      applicant: { name: '张**' },
      acceptedAt: '2025-09-30T09:00:00+08:00',
      status: 'accepted',
      deadline: '2025-10-11T17:00:00+08:00',
    });
    expect(body.detail).toBeUndefined();
    // The masked ID would give away the four digits that unlock the detail: not shown without them.
    expect(body.applicant.idNumber).toBeUndefined();
    for (const pattern of [FULL_ID, FULL_MOBILE]) expect(res.body).not.toMatch(pattern);
    expect(res.body).not.toContain(PERSON.idNumber.slice(-4));
  });

  it('shows steps, dates and history without staff names when the last four digits match', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    t.clock.set('2025-10-09T09:00:00+08:00');
    await act(t, caseNumber, { action: 'pause', pauseKind: 'site_visit', reason: '内部备注：请王科长安排车辆' });
    const res = await query(caseNumber, '002x');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.applicant).toEqual({ type: 'person', name: '张**', idNumber: '1101**********002X', phone: '138****5678' });
    expect(body.detail.steps.map((s: { label: string; state: string }) => `${s.label}:${s.state}`)).toEqual([
      '收件:done',
      '受理:done',
      '审查办理:current',
      '办结:pending',
      '领取结果:pending',
    ]);
    expect(body.detail.history.map((h: { label: string }) => h.label)).toEqual(['收件登记', '受理', '暂停计时']);
    expect(body.detail.history[2].note).toBe('现场勘查期间不计入办理时限');
    expect(body.detail.hallName).toBe('测试政务服务中心');
    for (const pattern of [FULL_ID, FULL_MOBILE]) expect(res.body).not.toMatch(pattern);
    // No staff member and no internal note reaches the public.
    expect(res.body).not.toContain('测试staff');
    expect(res.body).not.toContain('王科长');
  });

  it('lists what a 补办件 still needs for the applicant who proves the digits', async () => {
    const res = await receive(t, { applicant: COMPANY, decision: { action: 'correct', corrections: ['营业执照复印件须加盖公章'] } });
    const n = res.json().caseNumber;
    const body = (await query(n, '0y43')).json();
    expect(body.detail.corrections).toEqual(['营业执照复印件须加盖公章']);
    expect(body.kind).toBe('supplement');
    const raw = (await query(n, '0Y43')).body;
    expect(raw).not.toMatch(FULL_CREDIT_CODE);
    expect(raw).not.toContain(COMPANY.name);
  });

  it('answers queries arriving together each with its own case, read in shared batches', async () => {
    const numbers: string[] = [];
    for (const applicant of [PERSON, COMPANY, PERSON]) numbers.push((await receive(t, { applicant })).json().caseNumber);
    await act(t, numbers[2]!, { action: 'pause', pauseKind: 'site_visit', reason: '现场勘查' });
    const asked = Array.from({ length: 40 }, (_, i) => (i % 5 === 4 ? 'TEST-20250930-09999' : numbers[i % 3]!));
    const answers = await Promise.all(asked.map((n, i) => query(n, i % 2 ? undefined : n === numbers[1] ? '0Y43' : '002X')));
    answers.forEach((res, i) => {
      if (asked[i] === 'TEST-20250930-09999') return expect(res.statusCode).toBe(404);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.caseNumber).toBe(asked[i]);
      expect(body.status).toBe(asked[i] === numbers[2] ? 'paused' : 'accepted');
      if (i % 2) expect(body.detail).toBeUndefined();
      else expect(body.detail.history.length).toBe(asked[i] === numbers[2] ? 3 : 2);
    });
  });

  it('gives the same 404 to an unknown number, a malformed one and wrong last digits', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    const unknown = await query('TEST-20250930-09999');
    const wrong = await query(caseNumber, '1234');
    const malformed = await query('nonsense');
    for (const res of [unknown, wrong, malformed]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.json().error.message).toBe(unknown.json().error.message);
    }
    expect((await query(caseNumber, '12')).statusCode).toBe(400);
  });
});
