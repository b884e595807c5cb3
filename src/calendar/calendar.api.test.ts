import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('calendar API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-12-03T10:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.api(null, { method: 'GET', url });

  it('counts 3 working days after 2025-09-30 to the make-up Saturday 2025-10-11', async () => {
    const res = await get('/calendar/add-working-days?from=2025-09-30&days=3');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ date: '2025-10-11' });
  });

  it('lists the National Day run with its kinds', async () => {
    const days = (await get('/calendar/days?from=2025-09-27&to=2025-10-11')).json() as { date: string; kind: string; workday: boolean }[];
    const kind = (d: string) => days.find((x) => x.date === d)?.kind;
    expect(kind('2025-09-27')).toBe('weekend');
    expect(kind('2025-09-28')).toBe('makeup');
    expect(kind('2025-10-01')).toBe('holiday');
    expect(kind('2025-10-09')).toBe('workday');
    expect(kind('2025-10-11')).toBe('makeup');
    expect(days).toHaveLength(15);
  });

  it('skips the 2026 Spring Festival', async () => {
    expect((await get('/calendar/add-working-days?from=2026-02-13&days=1')).json()).toEqual({ date: '2026-02-14' });
    expect((await get('/calendar/add-working-days?from=2026-02-14&days=1')).json()).toEqual({ date: '2026-02-24' });
  });

  it('lets a manager close a day, which moves deadlines, and undo it', async () => {
    const close = await t.api('manager', { method: 'PUT', url: '/calendar/days/2025-10-09', payload: { workday: false, name: '县城停电' } });
    expect(close.statusCode).toBe(200);
    expect(close.json()).toMatchObject({ date: '2025-10-09', workday: false, kind: 'holiday', name: '县城停电' });
    expect((await get('/calendar/add-working-days?from=2025-09-30&days=1')).json()).toEqual({ date: '2025-10-10' });
    const undo = await t.api('manager', { method: 'DELETE', url: '/calendar/days/2025-10-09' });
    expect(undo.json()).toMatchObject({ workday: true, kind: 'workday' });
    const audit = (await t.api('admin', { method: 'GET', url: '/audit?entityType=calendar_day' })).json();
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['calendar.day_cleared', 'calendar.day_set']);
  });

  it('warns in December that next year is missing, and stops once its notice is imported', async () => {
    t.clock.set('2026-12-02T10:00:00+08:00');
    const before = (await t.api('manager', { method: 'GET', url: '/calendar/status' })).json();
    expect(before.missingYears).toEqual([2027]);
    expect(before.warnings.join()).toContain('2027');
    const notice = {
      year: 2027,
      source: '国办发明电〔2026〕X号',
      days: [
        { date: '2027-01-01', workday: false, name: '元旦' },
        { date: '2027-02-06', workday: false, name: '春节' },
        { date: '2027-02-20', workday: true, name: '春节调休上班' },
      ],
    };
    expect((await t.api('manager', { method: 'POST', url: '/calendar/notices', payload: notice })).statusCode).toBe(201);
    const after = (await t.api('manager', { method: 'GET', url: '/calendar/status' })).json();
    expect(after.missingYears).toEqual([]);
    expect(after.warnings).toEqual([]);
    const days = (await get('/calendar/days?from=2027-02-20&to=2027-02-20')).json();
    expect(days[0]).toMatchObject({ kind: 'makeup', workday: true });
  });

  it('refuses bad input with 400 and the fixed body, changing nothing', async () => {
    await t.tokenFor('manager');
    const before = await t.counts();
    const bad = [
      '/calendar/add-working-days?from=2025-02-30&days=3',
      '/calendar/add-working-days?from=yesterday&days=3',
      '/calendar/add-working-days?from=2025-09-30&days=-1',
      '/calendar/add-working-days?from=2025-09-30&days=1.5',
      '/calendar/add-working-days?from=2025-09-30&days=999999',
      '/calendar/add-working-days?from=2025-09-30',
      '/calendar/days?from=2025-01-01&to=2030-01-01',
      '/calendar/days?from=2025-10-01&to=2025-09-01',
    ];
    for (const url of bad) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const put = await t.api('manager', { method: 'PUT', url: '/calendar/days/2025-13-01', payload: { workday: false } });
    expect(put.statusCode).toBe(400);
    const body = await t.api('manager', { method: 'PUT', url: '/calendar/days/2025-10-09', payload: { workday: 'no' } });
    expect(body.statusCode).toBe(400);
    const notice = await t.api('manager', {
      method: 'POST',
      url: '/calendar/notices',
      payload: { year: 2027, days: [{ date: '2027-01-01', workday: false, name: '元旦' }, { date: '2029-05-01', workday: false, name: '劳动节' }] },
    });
    expect(notice.statusCode).toBe(400);
    expect(notice.json().error.message).toContain('2029-05-01');
    expect(await t.counts()).toEqual(before);
  });
});
