import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { halls } from '../org/tables.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { users } from './tables.js';

// A staff member who works in several halls chooses the hall they act in with X-Hall; the roles are those
// held at that hall or above it, at home or by a user_halls grant.
describe('acting in one of several halls', () => {
  let t: TestApp;
  let token: string;
  const as = (method: 'GET' | 'POST', url: string, hall?: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}`, ...(hall ? { 'x-hall': hall } : {}) } });
  const hallId = async (code: string) => (await t.ctx.db.select({ id: halls.id }).from(halls).where(eq(halls.code, code)))[0]!.id;

  beforeAll(async () => {
    t = await createTestApp();
    for (const code of ['TA', 'TB']) {
      const res = await t.api('manager', { method: 'POST', url: '/org/halls', payload: { parentCode: 'TEST', code, name: `${code}镇为民服务中心`, level: 'township' } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
    const [u] = await t.ctx.db.insert(users).values({ hallId: await hallId('TA'), username: 'zhang', displayName: '张窗口', passwordHash: model!.hash, roles: ['staff'] }).returning({ id: users.id });
    const grant = await t.api('manager', { method: 'PUT', url: `/org/halls/TB/staff/${u!.id}`, payload: { roles: ['manager'] } });
    expect(grant.statusCode, grant.body).toBe(200);
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'zhang', password: TEST_PASSWORD } })).json().token;
  });
  afterAll(() => t.close());

  it('lists the home hall and the granted hall for the switcher, and acts in the home hall by default', async () => {
    const me = (await as('GET', '/auth/me')).json();
    expect(me).toMatchObject({ hall: 'TA', roles: ['staff'], halls: [{ code: 'TA', roles: ['staff'], home: true }, { code: 'TB', roles: ['manager'], home: false }] });
    expect((await as('GET', '/users')).statusCode).toBe(403);
    expect((await as('GET', '/hall')).json().code).toBe('TA');
  });

  it('acts as manager in the granted hall: reads its staff list and creates a department there, audited there', async () => {
    const me = (await as('GET', '/auth/me', 'TB')).json();
    expect(me).toMatchObject({ hall: 'TB', roles: ['manager'], departmentId: null });
    const people = await as('GET', '/users', 'TB');
    expect(people.statusCode).toBe(200);
    expect(people.json().every((p: { username: string }) => p.username !== 'manager' && p.username !== 'zhang')).toBe(true);
    const dept = await as('POST', '/departments', 'TB', { name: '乙镇社保所' });
    expect(dept.statusCode, dept.body).toBe(201);
    const tb = await hallId('TB');
    const rows = await t.database.query<{ hall_id: string }>(`SELECT hall_id FROM departments WHERE name = '乙镇社保所'`);
    expect(rows).toEqual([{ hall_id: tb }]);
    const audit = await t.database.query<{ hall_id: string }>(`SELECT hall_id FROM audit_events WHERE action = 'department.created' AND after->>'name' = '乙镇社保所'`);
    expect(audit.map((a) => a.hall_id)).toEqual([tb]);
  });

  it('refuses a hall outside the home hall and the grants (403), an unknown code (404) and a malformed one (400)', async () => {
    const before = await t.counts();
    const county = await as('POST', '/departments', 'TEST', { name: '越权部门' });
    expect(county.statusCode).toBe(403);
    expect(county.json().error).toMatchObject({ code: 'FORBIDDEN', message: '无权在该服务中心办理业务' });
    expect((await as('GET', '/hall', 'NOPE')).statusCode).toBe(404);
    const bad = await as('GET', '/hall', 'T-1;drop');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(await t.counts()).toEqual(before);
  });

  it('lets the county manager act in a township below, with the county roles', async () => {
    const res = await t.api('manager', { method: 'GET', url: '/hall', headers: { 'x-hall': 'TA' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().code).toBe('TA');
    const list = await t.api('manager', { method: 'GET', url: '/users', headers: { 'x-hall': 'TA' } });
    expect(list.json().map((p: { username: string }) => p.username)).toEqual(['zhang']);
  });
});
