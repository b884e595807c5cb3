// Fixtures for the feedback API tests (excluded from the build by the test-* pattern).
import { eq } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../auth/roles.js';
import { users, userWindows } from '../auth/tables.js';
import { createTimerRunner } from '../jobs/timers.js';
import { notifications } from '../notify/tables.js';
import { outbox } from '../notify/test-helpers.js';
import { TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { feedbackTimerHandlers } from './index.js';

/** A ticket of the fixture service served and finished at the fixture window by user `staff`. */
export async function doneTicket(t: TestApp, payload: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  const taken = await t.api(null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'kiosk', ...payload } });
  if (taken.statusCode !== 201) throw new Error(`ticket: ${taken.body}`);
  const called = await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
  if (called.statusCode !== 200) throw new Error(`call: ${called.body}`);
  const done = await t.api('staff', { method: 'POST', url: `/tickets/${called.json().id}/complete` });
  if (done.statusCode !== 200) throw new Error(`complete: ${done.body}`);
  return { id: called.json().id, number: called.json().number };
}

/** A ticket issued but not served yet. */
export async function waitingTicket(t: TestApp): Promise<string> {
  const taken = await t.api(null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'kiosk' } });
  if (taken.statusCode !== 201) throw new Error(`ticket: ${taken.body}`);
  return taken.json().id;
}

/** A case of the fixture service received by `staff` and completed on the spot; returns its number. */
export async function completedCase(t: TestApp, phone = '13812345678'): Promise<string> {
  const res = await t.api('staff', {
    method: 'POST',
    url: '/cases',
    payload: { serviceCode: 'T-001', applicant: { name: '张三丰', idNumber: '11010519491231002X', phone }, materials: [] },
  });
  if (res.statusCode !== 201) throw new Error(`case: ${res.body}`);
  const caseNumber = res.json().caseNumber as string;
  const done = await t.api('staff', { method: 'POST', url: `/cases/${caseNumber}/actions`, payload: { action: 'complete' } });
  if (done.statusCode !== 200) throw new Error(`complete case: ${done.body}`);
  return caseNumber;
}

/** A further user; `call` injects under /api/v1 as them. */
export async function addUser(t: TestApp, username: string, roles: Role[], departmentId: string | null, windowIds: string[] = []) {
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  const [user] = await t.ctx.db
    .insert(users)
    .values({ hallId: t.hall.hallId, username, displayName: `测试${username}`, passwordHash: model!.hash, roles, departmentId })
    .returning({ id: users.id });
  if (windowIds.length) await t.ctx.db.insert(userWindows).values(windowIds.map((windowId) => ({ userId: user!.id, windowId })));
  return { id: user!.id, call: (options: InjectOptions & { url: string }) => api(t, username, options) };
}

// Sessions last 12 hours of the test clock: sign in again once a test has moved the clock on.
const sessions = new WeakMap<TestApp, Map<string, { token: string; at: number }>>();

/**
 * Like t.api, as a user by name (the fixture's users are named after their roles), signing in again after
 * the clock moved, so tests can jump across days.
 */
export async function api(t: TestApp, role: string | null, options: InjectOptions & { url: string }): Promise<LightMyRequestResponse> {
  if (!role) return t.app.inject({ ...options, url: `/api/v1${options.url}` });
  let byRole = sessions.get(t);
  if (!byRole) sessions.set(t, (byRole = new Map()));
  const now = t.clock.now().getTime();
  let hit = byRole.get(role);
  if (!hit || Math.abs(now - hit.at) > 11 * 3_600_000) {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: role, password: TEST_PASSWORD } });
    hit = { token: login.json().token as string, at: now };
    byRole.set(role, hit);
  }
  return t.app.inject({ ...options, url: `/api/v1${options.url}`, headers: { ...(options.headers ?? {}), authorization: `Bearer ${hit.token}` } });
}

/** Runs the feedback timers that are due at the test clock's time. */
export const runTimers = (t: TestApp) => createTimerRunner({ db: t.ctx.db, clock: t.clock }, feedbackTimerHandlers).runDue();

export async function noticesTo(t: TestApp, template: string) {
  return (await outbox(t.ctx.db, eq(notifications.template, template))).map((n) => ({ recipient: n.recipient, body: n.body, channel: n.channel }));
}

export async function userId(t: TestApp, username: string): Promise<string> {
  const [u] = await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return u!.id;
}
