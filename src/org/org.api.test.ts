import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('organisation: departments, windows, users, hours', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('creates a department and refuses a duplicate name with 409 DUPLICATE', async () => {
    const res = await t.api('manager', { method: 'POST', url: '/departments', payload: { name: '林业局' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: expect.any(String), name: '林业局' });
    const again = await t.api('manager', { method: 'POST', url: '/departments', payload: { name: '林业局' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'DUPLICATE', message: expect.stringContaining('林业局') });
  });

  it('creates a window with the next free number and the services it takes', async () => {
    const res = await t.api('manager', {
      method: 'POST',
      url: '/windows',
      payload: { name: '综合受理窗口', departmentId: t.hall.departmentId, serviceCodes: ['T-001'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '综合受理窗口', number: 2, serviceCodes: ['T-001'], status: 'open', departmentName: '测试局' });
    const list = await t.api('staff', { method: 'GET', url: '/windows' });
    expect(list.json().map((w: { number: number }) => w.number)).toEqual([1, 2]);
  });

  it('refuses unknown service codes, a foreign department and a taken number, changing nothing', async () => {
    await t.tokenFor('manager'); // a login is itself audited: take it before counting
    const before = await t.counts();
    const unknown = await t.api('manager', { method: 'POST', url: '/windows', payload: { name: '窗口', serviceCodes: ['NOPE'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { unknown: ['NOPE'] } });
    const dept = await t.api('manager', { method: 'POST', url: '/windows', payload: { name: '窗口', departmentId: crypto.randomUUID() } });
    expect(dept.statusCode).toBe(400);
    const taken = await t.api('manager', { method: 'POST', url: '/windows', payload: { name: '窗口', number: 1 } });
    expect(taken.statusCode).toBe(409);
    expect(await t.counts()).toEqual(before);
  });

  it('answers malformed bodies with 400 VALIDATION_FAILED in Chinese and changes nothing', async () => {
    await t.tokenFor('admin');
    const before = await t.counts();
    const cases: [string, string, unknown][] = [
      ['POST', '/departments', {}],
      ['POST', '/departments', { name: '' }],
      ['POST', '/departments', { name: 42 }],
      ['POST', '/windows', { name: '窗口', number: -3 }],
      ['POST', '/windows', 'not json'],
      ['POST', '/users', { username: 'A b', password: 'x', roles: [] }],
      ['POST', '/users', { username: 'valid', password: 'Passw0rd1', roles: ['king'] }],
      ['PUT', '/hall/hours', { workday: [['13:00', '09:00']], weekend: [], ticketCutoffMinutes: 30 }],
      ['PUT', '/hall/hours', { workday: [['25:00', '26:00']], weekend: [], ticketCutoffMinutes: 30 }],
      ['PATCH', `/windows/not-a-uuid`, { name: 'x' }],
    ];
    for (const [method, url, payload] of cases) {
      const res = await t.api('admin', {
        method: method as 'POST',
        url,
        payload: payload as object,
        headers: typeof payload === 'string' ? { 'content-type': 'application/json' } : {},
      });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await t.counts()).toEqual(before);
  });

  it('creates staff bound to windows who can then sign in, and records it in the audit trail', async () => {
    const res = await t.api('manager', {
      method: 'POST',
      url: '/users',
      payload: { username: 'wangfang', password: 'Window2025', displayName: '王芳', roles: ['staff'], windowIds: [t.hall.windowId] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'wangfang', roles: ['staff'], windowIds: [t.hall.windowId] });
    const login = await t.api(null, { method: 'POST', url: '/auth/login', payload: { username: 'wangfang', password: 'Window2025' } });
    expect(login.statusCode).toBe(200);
    const audit = await t.api('supervisor', { method: 'GET', url: `/audit?action=user.created&entityId=${res.json().id}` });
    expect(audit.json()[0]).toMatchObject({ action: 'user.created', actorName: '测试manager', actorRoles: ['manager'] });
  });

  it('deactivating a user ends their sessions', async () => {
    const users = (await t.api('admin', { method: 'GET', url: '/users' })).json() as { id: string; username: string }[];
    const staff = users.find((u) => u.username === 'staff')!;
    expect((await t.api('staff', { method: 'GET', url: '/auth/me' })).statusCode).toBe(200);
    const res = await t.api('manager', { method: 'PATCH', url: `/users/${staff.id}`, payload: { active: false } });
    expect(res.json().active).toBe(false);
    expect((await t.api('staff', { method: 'GET', url: '/auth/me' })).statusCode).toBe(401);
  });

  it('sets opening hours with a lunch break and records before and after', async () => {
    const hours = { workday: [['08:30', '11:30'], ['13:30', '17:00']], weekend: [['09:00', '12:00']], ticketCutoffMinutes: 20 };
    const res = await t.api('manager', { method: 'PUT', url: '/hall/hours', payload: hours });
    expect(res.statusCode).toBe(200);
    expect((await t.api('staff', { method: 'GET', url: '/hall' })).json().hours).toEqual(hours);
    const audit = await t.api('admin', { method: 'GET', url: '/audit?action=hall.hours_set' });
    expect(audit.json()[0].after).toEqual(hours);
  });

  it('keeps the audit trail append-only in the database itself', async () => {
    await t.api('manager', { method: 'POST', url: '/departments', payload: { name: '水利局' } });
    await expect(t.database.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.database.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });
});

describe('organisation: what a manager may not do, and what the public sees', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('counts each department’s windows', async () => {
    const depts = (await t.api('manager', { method: 'GET', url: '/departments' })).json() as { name: string; windowCount: number }[];
    expect(depts.find((d) => d.name === '测试局')?.windowCount).toBe(1);
    expect(depts.find((d) => d.name === '另一局')?.windowCount).toBe(0);
  });

  it('lets only an admin create or promote an admin', async () => {
    const create = await t.api('manager', { method: 'POST', url: '/users', payload: { username: 'boss', password: 'Passw0rd12', roles: ['admin'] } });
    expect(create.statusCode).toBe(403);
    const users = (await t.api('admin', { method: 'GET', url: '/users' })).json() as { id: string; username: string }[];
    const staff = users.find((u) => u.username === 'staff')!;
    const promote = await t.api('manager', { method: 'PATCH', url: `/users/${staff.id}`, payload: { roles: ['admin'] } });
    expect(promote.statusCode).toBe(403);
    const byAdmin = await t.api('admin', { method: 'POST', url: '/users', payload: { username: 'boss', password: 'Passw0rd12', roles: ['admin'] } });
    expect(byAdmin.statusCode).toBe(201);
  });

  it('tells the public the hall’s name and hours without a login', async () => {
    const res = await t.api(null, { method: 'GET', url: '/public/hall' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '测试政务服务中心', code: 'TEST' });
    expect((await t.api(null, { method: 'GET', url: '/public/hall?hall=NOPE' })).statusCode).toBe(404);
  });
});
