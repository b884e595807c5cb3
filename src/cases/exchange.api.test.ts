import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { auditEvents } from '../audit/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { guideVersions } from '../catalog/tables.js';
import { ratings } from '../feedback/tables.js';
import { FRONT_DB_COLUMNS } from './exchange.js';
import { cases } from './tables.js';
import { PERSON, act, addService, as, receive } from './test-helpers.js';

describe('the provincial front-database export', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const exportAs = (user: string, query: string) => as(t, user, { method: 'GET', url: `/cases/export?${query}` });

  it('gives a day of cases as JSON lines and as CSV, with the numbers in clear for the exchange', async () => {
    const first = (await receive(t, {})).json().caseNumber;
    const second = (await receive(t, { queryPassword: '8x2k' })).json().caseNumber;
    await act(t, first, { action: 'complete', result: 'approved, licence "A-1"' });

    const jsonl = await exportAs('manager', 'from=2025-09-30&to=2025-09-30');
    expect(jsonl.statusCode).toBe(200);
    expect(jsonl.headers['content-type']).toContain('application/x-ndjson');
    const lines = jsonl.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.caseNumber)).toEqual([first, second]);
    expect(Object.keys(lines[0])).toEqual([...FRONT_DB_COLUMNS.cases]);
    expect(lines[0]).toMatchObject({
      serviceCode: 'T-001',
      status: 'completed',
      applicantName: PERSON.name,
      applicantIdNumber: PERSON.idNumber,
      applicantPhone: PERSON.phone,
      receivedAt: '2025-09-30T09:00:00+08:00',
      promisedAt: '2025-10-11T17:00:00+08:00',
      finishedAt: '2025-09-30T09:00:00+08:00',
      result: 'approved, licence "A-1"',
    });
    expect(lines[1]).toMatchObject({ status: 'accepted', queryPassword: '8x2k', finishedAt: null });

    const csv = await exportAs('manager', 'from=2025-09-01&to=2025-09-30&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]).toBe(FRONT_DB_COLUMNS.cases.join(','));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('"approved, licence ""A-1"""');

    // Another day has none; the export is in the audit trail.
    expect((await exportAs('manager', 'from=2025-10-01&to=2025-10-31')).body).toBe('');
    const audits = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.export'));
    expect(audits.map((a) => a.after)).toEqual([
      { table: 'cases', from: '2025-09-30', to: '2025-09-30', rows: 2 },
      { table: 'cases', from: '2025-09-01', to: '2025-09-30', rows: 2 },
      { table: 'cases', from: '2025-10-01', to: '2025-10-31', rows: 0 },
    ]);
  });

  it('is for managers only and refuses a reversed or too long range', async () => {
    await receive(t, {});
    expect((await exportAs('staff', 'from=2025-09-30&to=2025-09-30')).statusCode).toBe(403);
    const reversed = await exportAs('manager', 'from=2025-10-01&to=2025-09-30');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: '结束日期不能早于开始日期' });
    expect((await exportAs('manager', 'from=2025-09-01&to=2025-10-02')).json().error.message).toBe('一次最多导出 31 天的办件');
    expect((await exportAs('manager', 'from=2025-02-30&to=2025-03-01')).statusCode).toBe(400);
    // A range and an increment at once, neither, or an unknown table: refused.
    expect((await exportAs('manager', 'from=2025-09-30&to=2025-09-30&since=2025-09-30T00:00:00%2B08:00')).json().error.message).toBe('请指定受理日期范围（from 和 to）或增量起点（since），二者选一');
    expect((await exportAs('manager', 'table=cases')).statusCode).toBe(400);
    expect((await exportAs('manager', 'table=payments&from=2025-09-30&to=2025-09-30')).statusCode).toBe(400);
    expect(await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.export'))).toEqual([]);
  });

  it('gives the process steps, materials, result, charges and rating as tables keyed by case number, and increments since an instant', async () => {
    const serviceId = await addService(t, 'X-1', { materials: [{ id: 'form', name: '申请表', required: true }, { id: 'photo', name: '照片', required: false }] });
    // The item charges by its published guide: 工本费 10 元.
    await t.ctx.db.execute(sql`update ${guideVersions} set content = jsonb_set(content, '{fees}', ${JSON.stringify({ free: false, items: [{ name: '工本费', amountFen: 1000, unit: '本', basis: '发改价格〔2019〕1号' }], note: '' })}::jsonb) where service_id = ${serviceId}`);
    const done = (await receive(t, { serviceCode: 'X-1', materials: ['form'] })).json().caseNumber;
    const open = (await receive(t, { serviceCode: 'X-1', materials: ['form', 'photo'] })).json().caseNumber;
    await act(t, done, { action: 'complete', result: '准予许可' });
    const [c] = await t.ctx.db.select().from(cases).where(eq(cases.caseNumber, done));
    await t.ctx.db.insert(ratings).values({ hallId: t.hall.hallId, subject: 'case', caseId: c!.id, caseNumber: done, grade: 'satisfied', score: 4, channel: 'sms', ratedAt: t.clock.now(), recordedAt: t.clock.now() });

    const table = async (name: string, query = 'from=2025-09-30&to=2025-09-30') => {
      const res = await exportAs('manager', `table=${name}&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.body.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    };
    const steps = await table('steps');
    expect(steps.filter((s) => s.caseNumber === done).map((s) => [s.seq, s.actionName])).toEqual([[1, '收件登记'], [2, '受理'], [3, '办结']]);
    expect(steps.filter((s) => s.caseNumber === done).at(-1)).toMatchObject({ action: 'complete', statusAfter: 'completed', actorName: expect.any(String), at: '2025-09-30T09:00:00+08:00' });
    expect(Object.keys(steps[0])).toEqual([...FRONT_DB_COLUMNS.steps]);
    expect((await table('materials')).map((m) => [m.caseNumber, m.materialId, m.required, m.received])).toEqual([
      [done, 'form', true, true],
      [done, 'photo', false, false],
      [open, 'form', true, true],
      [open, 'photo', false, true],
    ]);
    // Only a finished case has a result.
    expect(await table('results')).toEqual([expect.objectContaining({ caseNumber: done, status: 'completed', result: '准予许可', deliveryMethod: 'pickup', deliveredAt: null })]);
    expect((await table('fees')).map((f) => [f.caseNumber, f.feeName, f.amountFen])).toEqual([
      [done, '工本费', 1000],
      [open, '工本费', 1000],
    ]);
    expect(await table('ratings')).toEqual([expect.objectContaining({ caseNumber: done, grade: 'satisfied', gradeName: '满意', score: 4, channel: 'sms' })]);
    const csv = await exportAs('manager', 'table=fees&from=2025-09-30&to=2025-09-30&format=csv');
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(FRONT_DB_COLUMNS.fees.join(','));

    // The next day the result is picked up: an increment since then carries that case and that step only.
    t.clock.set('2025-10-08T10:00:00+08:00');
    await act(t, done, { action: 'pick_up' });
    const since = 'since=2025-10-08T00:00:00%2B08:00';
    expect((await table('cases', since)).map((r) => r.caseNumber)).toEqual([done]);
    expect((await table('steps', since)).map((r) => [r.caseNumber, r.action])).toEqual([[done, 'pick_up']]);
    expect(await table('results', since)).toEqual([expect.objectContaining({ caseNumber: done, status: 'delivered', deliveredAt: '2025-10-08T10:00:00+08:00' })]);
    expect(await table('ratings', since)).toEqual([]);
    const audit = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.export'));
    expect(audit.at(-1)!.after).toEqual({ table: 'ratings', since: '2025-10-08T00:00:00+08:00', rows: 0 });
  });
});
