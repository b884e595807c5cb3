import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../auth/tables.js';
import { generateMonth, seedReportHall } from '../reports/test-month.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { halls } from './tables.js';

let t: TestApp;
afterAll(async () => t?.close());
beforeEach(async () => {
  await t?.close();
  t = await createTestApp({ now: '2025-10-08T10:00:00+08:00' });
});

const createHall = (payload: object) => t.api('manager', { method: 'POST', url: '/org/halls', payload });
/** The fixture's county centre TEST with townships TA (village VA under it) and TB. */
async function network() {
  for (const payload of [
    { parentCode: 'TEST', code: 'TA', name: '甲镇为民服务中心', level: 'township' },
    { parentCode: 'TEST', code: 'TB', name: '乙镇为民服务中心', level: 'township' },
    { parentCode: 'TA', code: 'VA', name: '一村便民服务站', level: 'village' },
  ]) {
    const res = await createHall(payload);
    expect(res.statusCode, res.body).toBe(201);
  }
}
const hallId = async (code: string) => (await t.ctx.db.select({ id: halls.id }).from(halls).where(eq(halls.code, code)))[0]!.id;
/** A staff member whose home is another hall, signed in; returns the token. */
async function personAt(code: string, username: string, roles: ('manager' | 'staff')[]) {
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  const [u] = await t.ctx.db.insert(users).values({ hallId: await hallId(code), username, displayName: username, passwordHash: model!.hash, roles }).returning({ id: users.id });
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  return { id: u!.id, token: login.json().token as string };
}
const as = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}` } });
type Node = { code: string; children: Node[] };
const shape = (nodes: Node[]): unknown => nodes.map((n) => (n.children.length ? { [n.code]: shape(n.children) } : n.code));

describe('the hall network', () => {
  it('creates township centres and a village station under their parents, each starting from its parent’s hours, and shows the tree', async () => {
    await t.api('manager', { method: 'PUT', url: '/hall/hours', payload: { workday: [['08:30', '11:30'], ['13:30', '17:00']], weekend: [['09:00', '12:00']], ticketCutoffMinutes: 20 } });
    await network();
    const tree = (await t.api('manager', { method: 'GET', url: '/org/network' })).json();
    expect(shape(tree)).toEqual([{ TEST: [{ TA: ['VA'] }, 'TB'] }]);
    const [va] = await t.ctx.db.select().from(halls).where(eq(halls.code, 'VA'));
    expect(va).toMatchObject({ level: 'village', parentId: await hallId('TA'), hours: { workday: [['08:30', '11:30'], ['13:30', '17:00']], weekend: [['09:00', '12:00']], ticketCutoffMinutes: 20 } });
    const audit = await t.database.query<{ action: string }>(`SELECT action FROM audit_events WHERE action = 'hall.created'`);
    expect(audit).toHaveLength(3);
  });

  it('refuses a level not below the parent, a used code and a malformed one, changing nothing', async () => {
    await network();
    await t.tokenFor('manager');
    const before = await t.counts();
    const county = await createHall({ parentCode: 'TA', code: 'TC', name: '丙县', level: 'county' });
    expect(county.statusCode).toBe(409);
    expect(county.json().error).toMatchObject({ code: 'INVALID_PARENT', message: expect.stringContaining('层级') });
    const taken = await createHall({ parentCode: 'TEST', code: 'TA', name: '重复', level: 'township' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('DUPLICATE');
    const bad = await createHall({ parentCode: 'TEST', code: 'T-1', name: '坏编码', level: 'township' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await createHall({ parentCode: 'NOPE', code: 'TD', name: '无上级', level: 'township' })).statusCode).toBe(404);
    expect(await t.counts()).toEqual(before);
  });

  it('moves a station to another township, and never under its own subtree or the root anywhere', async () => {
    await network();
    const moved = await t.api('manager', { method: 'POST', url: '/org/halls/VA/move', payload: { parentCode: 'TB' } });
    expect(moved.statusCode).toBe(200);
    expect(shape((await t.api('manager', { method: 'GET', url: '/org/network' })).json())).toEqual([{ TEST: ['TA', { TB: ['VA'] }] }]);
    const before = await t.counts();
    const cycle = await t.api('manager', { method: 'POST', url: '/org/halls/TB/move', payload: { parentCode: 'VA' } });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().error.message).toContain('自身或其下级');
    const root = await t.api('manager', { method: 'POST', url: '/org/halls/TEST/move', payload: { parentCode: 'TA' } });
    expect(root.statusCode).toBe(409);
    expect(await t.counts()).toEqual(before);
  });

  it('copies the parent’s hours over a station’s own on request', async () => {
    await network();
    const va = await hallId('VA');
    await t.ctx.db.update(halls).set({ hours: { workday: [['10:00', '12:00']], weekend: [], ticketCutoffMinutes: 0 } }).where(eq(halls.id, va));
    const res = await t.api('manager', { method: 'POST', url: '/org/halls/VA/copy-from-parent', payload: { parts: ['hours'] } });
    expect(res.statusCode).toBe(200);
    const [row] = await t.ctx.db.select({ hours: halls.hours }).from(halls).where(eq(halls.id, va));
    expect(row!.hours.workday).toEqual([['09:00', '12:00'], ['13:00', '17:00']]);
  });
});

describe('hall scope in the reports', () => {
  it('lets a township’s manager read their own township and its stations, not another township, until granted a role there', async () => {
    await network();
    const a = await personAt('TA', 'ta_manager', ['manager']);
    const dash = (code?: string) => as(a.token, 'GET', `/reports/dashboard?from=2025-09-01&to=2025-09-30${code ? `&hall=${code}` : ''}`);
    expect((await dash()).statusCode).toBe(200);
    expect((await dash('VA')).statusCode).toBe(200);
    const other = await dash('TB');
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    expect((await as(a.token, 'GET', '/reports/monthly?month=2025-09&hall=TEST')).statusCode).toBe(403);
    expect((await as(a.token, 'POST', '/org/halls', { parentCode: 'TB', code: 'VB', name: '二村', level: 'village' })).statusCode).toBe(403);
    expect(shape((await as(a.token, 'GET', '/org/network')).json())).toEqual([{ TA: ['VA'] }]);
    // The county's manager reads any hall of the county, and grants the township manager TB as well.
    expect((await t.api('manager', { method: 'GET', url: '/reports/dashboard?from=2025-09-01&to=2025-09-30&hall=TB' })).statusCode).toBe(200);
    const grant = await t.api('manager', { method: 'PUT', url: `/org/halls/TB/staff/${a.id}`, payload: { roles: ['manager'] } });
    expect(grant.statusCode).toBe(200);
    expect((await dash('TB')).statusCode).toBe(200);
  });

  it('gives a county’s bulletin over its subtree as the sum of its halls’ bulletins, row by row', async () => {
    await network();
    const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
    for (const [code, first, count] of [['TEST', 301, 150], ['TA', 401, 90], ['TB', 501, 60]] as const) {
      const id = await hallId(code);
      const g = await seedReportHall(t.ctx.db, id, { departments: 2, windowsPerDepartment: 2, staffPerWindow: 1, passwordHash: model!.hash, firstWindowNumber: first });
      await generateMonth(t.ctx.db, id, g, '2025-09', count);
    }
    const read = async (query: string) => {
      const res = await t.api('manager', { method: 'GET', url: `/reports/monthly?month=2025-09${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const whole = await read('&subtree=1');
    const parts = [await read(''), await read('&hall=TA'), await read('&hall=VA'), await read('&hall=TB')];
    expect(whole.halls[0]).toBe(parts[0].hallName);
    expect(new Set(whole.halls)).toEqual(new Set(parts.map((p) => p.hallName)));
    const add = (f: (b: (typeof parts)[number]) => number) => parts.reduce((a, b) => a + f(b), 0);
    for (const key of ['casesAccepted', 'casesFinished', 'immediate', 'promised', 'joint', 'ratings', 'consultations']) expect(whole[key], key).toBe(add((b) => b[key]));
    expect(whole.casesAccepted).toBeGreaterThan(250);
    for (const key of ['items', 'onlineItems', 'cases', 'onlineCases', 'visits']) expect(whole.online[key], `online.${key}`).toBe(add((b) => b.online[key]));
    expect(whole.onTimeRate).toBe(Math.round((add((b) => b.basis.onTime) / add((b) => b.basis.withDeadline)) * 10_000) / 10_000);
    expect(whole.satisfaction).toBe(Math.round((add((b) => b.basis.satisfied) / add((b) => b.ratings)) * 10_000) / 10_000);
    // Every window and department row of the subtree is its hall's own row, and nothing else.
    const rows = (b: { hallName: string; windows: object[] }) => b.windows.map((w) => ({ ...w, hallName: b.hallName }));
    const byKey = (list: { hallName: string; windowId: string }[]) => [...list].sort((x, y) => `${x.hallName}${x.windowId}`.localeCompare(`${y.hallName}${y.windowId}`));
    expect(byKey(whole.windows)).toEqual(byKey(parts.flatMap(rows) as { hallName: string; windowId: string }[]));
    expect(whole.departments).toHaveLength(add((b) => b.departments.length));
    const best = parts.flatMap((b) => b.windows).sort((x: { accepted: number }, y: { accepted: number }) => y.accepted - x.accepted)[0];
    expect(whole.topWindows[0]).toMatchObject({ windowName: best.windowName, cases: best.accepted });
    // A township's subtree is the township and its station, not its neighbour.
    const ta = await read('&hall=TA&subtree=1');
    expect(ta.casesAccepted).toBe(parts[1].casesAccepted + parts[2].casesAccepted);

    // The dashboard of the subtree: each panel the sum of the halls' panels.
    const dash = async (query: string) => (await t.api('manager', { method: 'GET', url: `/reports/dashboard?from=2025-09-01&to=2025-09-30${query}` })).json();
    const dWhole = await dash('&subtree=1');
    const dParts = await Promise.all(['', '&hall=TA', '&hall=VA', '&hall=TB'].map(dash));
    const accepted = (d: { casesPerDay: { series: { data: number[] }[] } }) => d.casesPerDay.series.flatMap((x) => x.data).reduce((a, n) => a + n, 0);
    expect(accepted(dWhole)).toBe(whole.casesAccepted);
    expect(accepted(dWhole)).toBe(dParts.reduce((a, d) => a + accepted(d), 0));
    expect(dWhole.onTime.finished).toBe(dParts.reduce((a, d) => a + d.onTime.finished, 0));
    expect(dWhole.satisfaction.ratings).toBe(dParts.reduce((a, d) => a + d.satisfaction.ratings, 0));
    expect(dWhole.satisfaction.ratings).toBeGreaterThan(0);
    expect(dWhole.queueTimes.map((q: { tickets: number }) => q.tickets)).toEqual(dWhole.queueTimes.map((_: unknown, i: number) => dParts.reduce((a, d) => a + d.queueTimes[i].tickets, 0)));
    expect(dWhole.casesPerDay.series.map((x: { department: string }) => x.department)).toContain('乙镇为民服务中心·生成部门01');
  });
});
