import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../audit/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { FRONT_DB_FIELDS } from './exchange.js';
import { PERSON, act, as, receive } from './test-helpers.js';

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
    expect(Object.keys(lines[0])).toEqual([...FRONT_DB_FIELDS]);
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
    expect(rows[0]).toBe(FRONT_DB_FIELDS.join(','));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('"approved, licence ""A-1"""');

    // Another day has none; the export is in the audit trail.
    expect((await exportAs('manager', 'from=2025-10-01&to=2025-10-31')).body).toBe('');
    const audits = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.export'));
    expect(audits.map((a) => a.after)).toEqual([
      { from: '2025-09-30', to: '2025-09-30', cases: 2 },
      { from: '2025-09-01', to: '2025-09-30', cases: 2 },
      { from: '2025-10-01', to: '2025-10-31', cases: 0 },
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
    expect(await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.export'))).toEqual([]);
  });
});
