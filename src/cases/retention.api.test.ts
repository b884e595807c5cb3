import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../audit/tables.js';
import { createTimerRunner } from '../jobs/timers.js';
import { notifications } from '../notify/tables.js';
import { ratings } from '../feedback/tables.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { caseNotices, cases } from './tables.js';
import { PERSON, act, as, receive } from './test-helpers.js';

const AGENT = { name: '王代办', idNumber: '110105194912310038', phone: '13900001111', authorization: '授权委托书一份' };

describe('personal data of cases at rest', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const runTimers = () => createTimerRunner({ db: t.ctx.db, clock: t.clock }, timerHandlers(t.ctx)).runDue();
  const rawCase = async (caseNumber: string) => (await t.ctx.database.query<Record<string, unknown>>(`SELECT * FROM cases WHERE case_number = '${caseNumber}'`))[0]!;
  const query = (n: string, idLast4: string) => as(t, null, { method: 'GET', url: `/public/cases/${n}?idLast4=${idLast4}` });
  const retentionAudits = () => t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.retention'));

  it('keeps ID numbers and phones sealed in the table, in clear for staff, and checks the query digits', async () => {
    const { caseNumber } = (await receive(t, { agent: AGENT })).json();
    const stored = JSON.stringify(await rawCase(caseNumber));
    for (const secret of [PERSON.idNumber, PERSON.phone, AGENT.idNumber, AGENT.phone]) expect(stored).not.toContain(secret);
    const staff = (await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}` })).json();
    expect(staff.applicant).toMatchObject({ idNumber: PERSON.idNumber, phone: PERSON.phone });
    expect(staff.agent).toMatchObject({ name: AGENT.name, idNumber: AGENT.idNumber, phone: AGENT.phone });
    const proven = await query(caseNumber, '002x');
    expect(proven.statusCode).toBe(200);
    expect(proven.json().applicant).toMatchObject({ idNumber: '1101**********002X', phone: '138****5678' });
    expect((await query(caseNumber, '1234')).statusCode).toBe(404);
  });

  it('seals the numbers of rows written before the migration at the first retention run', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    // As migration 0014 finds an older row: numbers in clear, nothing sealed.
    await t.ctx.database.query(
      `UPDATE cases SET applicant_id_number = '${PERSON.idNumber}', applicant_phone = '${PERSON.phone}', applicant_id_number_enc = NULL, applicant_phone_enc = NULL,
         agent = '${JSON.stringify(AGENT)}', agent_enc = NULL WHERE case_number = '${caseNumber}'`,
    );
    expect((await query(caseNumber, '002X')).statusCode).toBe(200);
    t.clock.set('2025-10-01T02:00:00+08:00');
    await runTimers();
    const stored = JSON.stringify(await rawCase(caseNumber));
    for (const secret of [PERSON.idNumber, PERSON.phone, AGENT.idNumber, AGENT.phone]) expect(stored).not.toContain(secret);
    expect((await query(caseNumber, '002X')).statusCode).toBe(200);
    const staff = (await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}` })).json();
    expect(staff.agent).toMatchObject({ idNumber: AGENT.idNumber, phone: AGENT.phone, authorization: AGENT.authorization });
    const [audit] = await retentionAudits();
    expect(audit!.after).toMatchObject({ sealed: 1, anonymised: 0, retentionYears: 30 });
  });

  it('completing a case issues the result notice with its rating QR code and texts the rating link', async () => {
    const { caseNumber } = (await receive(t, {})).json();
    const done = (await act(t, caseNumber, { action: 'complete', result: '准予许可，证书编号 2025-001' })).json();
    expect(done.notices.map((n: { type: string; title: string }) => n.title)).toEqual(['承诺件受理通知书', '办结通知书']);
    const html = (await as(t, 'staff', { method: 'GET', url: `/cases/${caseNumber}/notices/2` })).body;
    expect(html).toContain('准予许可，证书编号 2025-001');
    expect(html).toContain('扫码评价本次服务');
    const invitations = await t.ctx.db.select().from(notifications).where(eq(notifications.template, 'feedback.rating_invitation'));
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.body).toContain('/portal/rate?token=');
    // A hall that does not print the rating code on its notices: the result notice has none.
    await as(t, 'manager', { method: 'PUT', url: '/feedback/settings', payload: { rating: { qrOnNotices: false } } });
    const other = (await receive(t, {})).json().caseNumber;
    await act(t, other, { action: 'complete' });
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${other}/notices/2` })).body).not.toContain('扫码评价本次服务');
  });

  it('anonymises finished cases past the retention years, with their notices and ratings, one audit event per run', async () => {
    expect((await as(t, 'manager', { method: 'PUT', url: '/cases/settings', payload: { retentionYears: 1 } })).statusCode).toBe(200);
    const old = (await receive(t, { agent: AGENT })).json().caseNumber;
    const open = (await receive(t, {})).json().caseNumber;
    await act(t, old, { action: 'complete' });
    const rated = await as(t, null, { method: 'POST', url: '/ratings', payload: { caseNumber: old, grade: 'satisfied', raterPhone: '13712345678' } });
    expect(rated.statusCode).toBe(201);

    // Nothing is old enough at the first nights.
    t.clock.set('2025-10-01T02:00:00+08:00');
    await runTimers();
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${old}` })).json().applicant.name).toBe(PERSON.name);

    t.clock.set('2026-10-01T02:00:00+08:00');
    await runTimers();
    const staff = (await as(t, 'staff', { method: 'GET', url: `/cases/${old}` })).json();
    expect(staff.applicant).toMatchObject({ name: '（已匿名）', idNumber: '', phone: '' });
    expect(staff.agent).toBeNull();
    expect(staff.status).toBe('completed');
    for (const n of await t.ctx.db.select().from(caseNotices)) {
      if (n.caseId !== staff.id) continue;
      expect(n.html).not.toContain(PERSON.name);
      expect(n.html).not.toContain(AGENT.name);
      expect(n.html).toContain('（已匿名）');
    }
    const [rating] = await t.ctx.db.select().from(ratings);
    expect(rating).toMatchObject({ grade: 'satisfied', raterPhone: null, raterPhoneEnc: null });
    // The detail of the progress query cannot be opened any more; the open case keeps its applicant.
    expect((await query(old, '002X')).statusCode).toBe(404);
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${open}` })).json().applicant.name).toBe(PERSON.name);
    const [row] = await t.ctx.db.select({ anonymisedAt: cases.anonymisedAt }).from(cases).where(eq(cases.caseNumber, old));
    expect(row!.anonymisedAt?.toISOString()).toBe('2026-09-30T18:00:00.000Z');
    const audits = await retentionAudits();
    expect(audits.map((a) => a.after)).toContainEqual(expect.objectContaining({ anonymised: 1, ratings: 1, retentionYears: 1, cutoff: '2025-10-01' }));
    // The next night finds nothing new and says so.
    t.clock.set('2026-10-02T02:00:00+08:00');
    await runTimers();
    expect((await retentionAudits()).at(-1)!.after).toMatchObject({ anonymised: 0 });
  });

  it('refuses a retention period outside 1-100 years and keeps the setting', async () => {
    const bad = await as(t, 'manager', { method: 'PUT', url: '/cases/settings', payload: { retentionYears: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await as(t, 'manager', { method: 'GET', url: '/cases/settings' })).json().retentionYears).toBe(30);
  });
});
