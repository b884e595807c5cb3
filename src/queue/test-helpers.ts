// Fixtures for the queue's API tests (excluded from the build by the test-* pattern).
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { users, userWindows } from '../auth/tables.js';
import { services, windows, windowServices } from '../org/tables.js';
import { TEST_PASSWORD, type TestApp } from '../testing/test-app.js';

/** A service in the fixture department, with its queue prefix. */
export async function addService(t: TestApp, code: string, prefix: string, name = `事项${code}`): Promise<string> {
  const [row] = await t.ctx.db
    .insert(services)
    .values({ hallId: t.hall.hallId, code, name, departmentId: t.hall.departmentId, kind: 'immediate', legalLimitDays: 0, promisedLimitDays: 0, queuePrefix: prefix })
    .returning({ id: services.id });
  return row!.id;
}

/** A window taking the given services, and a staff member working there; returns the window id and a token. */
export async function addWindow(
  t: TestApp,
  number: number,
  serviceIds: string[],
): Promise<{ windowId: string; token: string; username: string }> {
  const db = t.ctx.db;
  const [win] = await db
    .insert(windows)
    .values({ hallId: t.hall.hallId, name: `${number}号窗口`, number, departmentId: t.hall.departmentId })
    .returning({ id: windows.id });
  if (serviceIds.length) await db.insert(windowServices).values(serviceIds.map((serviceId) => ({ windowId: win!.id, serviceId })));
  const [model] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  const username = `staff${number}`;
  const [user] = await db
    .insert(users)
    .values({ hallId: t.hall.hallId, username, displayName: `窗口${number}人员`, passwordHash: model!.hash, roles: ['staff'], departmentId: t.hall.departmentId })
    .returning({ id: users.id });
  await db.insert(userWindows).values({ userId: user!.id, windowId: win!.id });
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  return { windowId: win!.id, token: login.json().token as string, username };
}

/** Injects as the holder of a token (a staff member made by addWindow). */
export function as(t: TestApp, token: string, options: { method: 'GET' | 'POST' | 'PUT'; url: string; payload?: unknown }): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: options.method, url: `/api/v1${options.url}`, payload: options.payload as object, headers: { authorization: `Bearer ${token}` } });
}

export async function take(t: TestApp, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return t.api(null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'kiosk', ...payload }, headers });
}
