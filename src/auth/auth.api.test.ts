import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

describe('staff sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string) =>
    t.api(null, { method: 'POST', url: '/auth/login', payload: { username, password } });

  it('returns a token and the user with roles, as the API contract says', async () => {
    const res = await login('manager', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.user).toMatchObject({ username: 'manager', roles: ['manager'] });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.json()).toMatchObject({ username: 'manager', hallId: t.hall.hallId });
  });

  it('gives one message for an unknown user and a wrong password', async () => {
    const unknown = await login('nobody', TEST_PASSWORD);
    const wrong = await login('manager', 'wrong-password1');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('locks an account after five failures in a row, even for the right password, until the lock ends', async () => {
    for (let i = 0; i < 5; i++) expect((await login('staff', 'wrong-password1')).statusCode).toBe(401);
    const locked = await login('staff', TEST_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    t.clock.advance(16 * 60_000);
    expect((await login('staff', TEST_PASSWORD)).statusCode).toBe(200);
    const audit = await t.api('admin', { method: 'GET', url: '/audit?action=user.locked' });
    expect(audit.json()).toHaveLength(1);
  });

  it('ends a session at logout and when it expires', async () => {
    const token = (await login('leader', TEST_PASSWORD)).json().token;
    const auth = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth })).statusCode).toBe(401);

    const second = (await login('leader', TEST_PASSWORD)).json().token;
    t.clock.advance(13 * 3_600_000);
    const expired = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${second}` } });
    expect(expired.statusCode).toBe(401);
  });

  it('changes a password only with the old one, ends other sessions, and refuses weak ones', async () => {
    const other = (await login('supervisor', TEST_PASSWORD)).json().token;
    const mine = (await login('supervisor', TEST_PASSWORD)).json().token;
    const change = (body: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { authorization: `Bearer ${mine}` }, payload: body });
    expect((await change({ oldPassword: 'nope', newPassword: 'NewPass123' })).statusCode).toBe(400);
    const weak = await change({ oldPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    expect((await change({ oldPassword: TEST_PASSWORD, newPassword: 'NewPass123' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${mine}` } })).statusCode).toBe(200);
    expect((await login('supervisor', 'NewPass123')).statusCode).toBe(200);
  });

  it('never writes the password into the audit trail', async () => {
    await t.api('admin', { method: 'POST', url: '/users', payload: { username: 'newbie', password: 'Secret1234', roles: ['staff'] } });
    const { rows } = { rows: await t.database.query<{ after: unknown }>(`SELECT after FROM audit_events`) };
    expect(JSON.stringify(rows)).not.toContain('Secret1234');
  });
});
