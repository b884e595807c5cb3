import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../auth/tables.js';
import { halls } from '../org/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { generateMonth, seedReportHall } from './test-month.js';

let t: TestApp;
afterAll(async () => t?.close());
beforeAll(async () => {
  t = await createTestApp({ now: '2025-11-08T10:00:00+08:00' });
  // The fixture's county centre TEST with townships TA (station VA under it) and TB, each with two months of cases.
  for (const payload of [
    { parentCode: 'TEST', code: 'TA', name: '甲镇为民服务中心', level: 'township' },
    { parentCode: 'TEST', code: 'TB', name: '乙镇为民服务中心', level: 'township' },
    { parentCode: 'TA', code: 'VA', name: '一村便民服务站', level: 'village' },
  ]) expect((await t.api('manager', { method: 'POST', url: '/org/halls', payload })).statusCode).toBe(201);
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  for (const [code, first, count] of [['TEST', 301, 120], ['TA', 401, 70], ['VA', 451, 30], ['TB', 501, 50]] as const) {
    const [hall] = await t.ctx.db.select({ id: halls.id }).from(halls).where(eq(halls.code, code));
    const g = await seedReportHall(t.ctx.db, hall!.id, { departments: 1, windowsPerDepartment: 2, staffPerWindow: 1, passwordHash: model!.hash, firstWindowNumber: first });
    await generateMonth(t.ctx.db, hall!.id, g, '2025-09', count);
    await generateMonth(t.ctx.db, hall!.id, g, '2025-10', Math.round(count / 2));
  }
});

const yearOf = async (query: string) => {
  const res = await t.api('supervisor', { method: 'GET', url: `/reports/yearly?year=2025${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

describe('the yearly summary of a subtree', () => {
  it('equals the sum of its halls’ yearly summaries, month by month, with rates from the summed parts', async () => {
    const whole = await yearOf('&subtree=1');
    const parts = await Promise.all(['', '&hall=TA', '&hall=VA', '&hall=TB'].map(yearOf));
    expect(whole).toMatchObject({ hallName: parts[0].hallName, halls: 4 });
    const add = (f: (y: (typeof parts)[number]) => number) => parts.reduce((a, y) => a + f(y), 0);
    for (const key of ['casesAccepted', 'casesFinished', 'immediate', 'promised', 'ratings', 'extendedServices']) expect(whole[key], key).toBe(add((y) => y[key]));
    expect(whole.casesAccepted).toBeGreaterThan(300);
    // Eleven months so far (the clock stands in November), each the sum of the halls' month.
    expect(whole.months.map((m: { month: string }) => m.month)).toHaveLength(11);
    for (const [i, m] of whole.months.entries()) {
      expect(m.casesAccepted, m.month).toBe(add((y) => y.months[i].casesAccepted));
      expect(m.casesFinished, m.month).toBe(add((y) => y.months[i].casesFinished));
    }
    // A rate is the summed ratings' share, not the mean of the halls' rates.
    const sep = whole.months[8];
    expect(sep.month).toBe('2025-09');
    expect(whole.satisfaction).toBe(round4(add((y) => Math.round((y.satisfaction ?? 0) * y.ratings)) / whole.ratings));
    expect(sep.satisfaction).not.toBeNull();
  });

  it('gives a township’s subtree as the township and its station, and the September figures of the bulletin', async () => {
    const ta = await yearOf('&hall=TA&subtree=1');
    const [own, station] = [await yearOf('&hall=TA'), await yearOf('&hall=VA')];
    expect(ta.casesAccepted).toBe(own.casesAccepted + station.casesAccepted);
    const bulletin = (await t.api('manager', { method: 'GET', url: '/reports/monthly?month=2025-09&hall=TA&subtree=1' })).json();
    expect(ta.months[8]).toMatchObject({ casesAccepted: bulletin.casesAccepted, casesFinished: bulletin.casesFinished, onTimeRate: bulletin.onTimeRate });
  });
});
