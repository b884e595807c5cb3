// Fixtures for the cases' API tests (excluded from the build by the test-* pattern).
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../auth/roles.js';
import { users, userWindows } from '../auth/tables.js';
import { hallCatalog } from '../catalog/tables.js';
import { departments, halls, services, windowServices } from '../org/tables.js';
import { TEST_PASSWORD, createTestApp, type TestApp } from '../testing/test-app.js';

/** A valid person (GB 11643's own example number) and phone. */
export const PERSON = { name: '张三丰', idNumber: '11010519491231002X', phone: '13812345678' };
export const COMPANY = { type: 'company', name: '随县测试建筑有限公司', creditCode: '91350100M000100Y43', phone: '0722-1234567', contactName: '李四' };

/** An item published through POST /services (so it has a guide with these materials), at the fixture window. */
export async function addService(
  t: TestApp,
  code: string,
  options: { kind?: 'immediate' | 'promised'; promisedLimitDays?: number; legalLimitDays?: number; materials?: { id: string; name: string; required: boolean }[]; departmentId?: string } = {},
): Promise<string> {
  const res = await as(t, 'manager', {
    method: 'POST',
    url: '/services',
    payload: {
      code,
      name: `测试事项${code}`,
      departmentId: options.departmentId ?? t.hall.departmentId,
      legalLimitDays: options.legalLimitDays ?? 20,
      promisedLimitDays: options.promisedLimitDays ?? 3,
      kind: options.kind ?? 'promised',
      queuePrefix: 'Q',
      bookable: false,
      materials: options.materials ?? [],
    },
  });
  if (res.statusCode !== 201) throw new Error(`service ${code}: ${res.body}`);
  const [row] = await t.ctx.db.select({ id: services.id }).from(services).where(eq(services.code, code));
  if (!options.departmentId || options.departmentId === t.hall.departmentId) {
    await t.ctx.db.insert(windowServices).values({ windowId: t.hall.windowId, serviceId: row!.id });
  }
  return row!.id;
}

export const FIVE_MATERIALS = [
  { id: 'form', name: '申请表', required: true },
  { id: 'id-card', name: '居民身份证', required: true },
  { id: 'licence', name: '营业执照', required: true },
  { id: 'plan', name: '平面布置图', required: true },
  { id: 'health', name: '健康证明', required: true },
  { id: 'photo', name: '近期照片', required: false },
];

export async function addDepartment(t: TestApp, name: string): Promise<string> {
  const [row] = await t.ctx.db.insert(departments).values({ hallId: t.hall.hallId, name, sortOrder: 9 }).returning({ id: departments.id });
  return row!.id;
}

/** A user with the given role in a department, signed in; returns a function that calls the API as them. */
export async function addUser(t: TestApp, username: string, role: Role, departmentId: string | null, windowIds: string[] = [], hallId = t.hall.hallId) {
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  const [user] = await t.ctx.db
    .insert(users)
    .values({ hallId, username, displayName: `测试${username}`, passwordHash: model!.hash, roles: [role], departmentId })
    .returning({ id: users.id });
  if (windowIds.length) await t.ctx.db.insert(userWindows).values(windowIds.map((windowId) => ({ userId: user!.id, windowId })));
  await tokenOf(t, username);
  return { id: user!.id, call: (options: Request) => as(t, username, options) };
}

// Sessions last 12 hours of the (moved) test clock: sign in again when a test has moved the clock on.
const tokens = new WeakMap<TestApp, Map<string, { token: string; at: number }>>();
async function tokenOf(t: TestApp, username: string): Promise<string> {
  let byUser = tokens.get(t);
  if (!byUser) tokens.set(t, (byUser = new Map()));
  const now = t.clock.now().getTime();
  const hit = byUser.get(username);
  if (hit && Math.abs(now - hit.at) < 11 * 3_600_000) return hit.token;
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login ${username}: ${login.body}`);
  const token = login.json().token as string;
  byUser.set(username, { token, at: now });
  return token;
}

interface Request {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** Calls /api/v1 as a user (the fixture users are named after their roles), or anonymously with null. */
export async function as(t: TestApp, username: string | null, options: Request): Promise<LightMyRequestResponse> {
  const headers = { ...(options.headers ?? {}) };
  if (username) headers.authorization = `Bearer ${await tokenOf(t, username)}`;
  return t.app.inject({ method: options.method, url: `/api/v1${options.url}`, payload: options.payload as object, headers });
}

/**
 * The fixture county centre's township TA and its village station VA, which takes the county's items in
 * and forwards them (收件转报, the catalogue per level); a staff member at each, `ta` and `va`.
 */
export async function addStation(t: TestApp, serviceIds: string[]) {
  for (const payload of [
    { parentCode: 'TEST', code: 'TA', name: '甲镇为民服务中心', level: 'township' },
    { parentCode: 'TA', code: 'VA', name: '一村便民服务站', level: 'village' },
  ]) {
    const res = await as(t, 'manager', { method: 'POST', url: '/org/halls', payload });
    if (res.statusCode !== 201) throw new Error(`hall ${payload.code}: ${res.body}`);
  }
  const idOf = async (code: string) => (await t.ctx.db.select({ id: halls.id }).from(halls).where(eq(halls.code, code)))[0]!.id;
  const [ta, va] = [await idOf('TA'), await idOf('VA')];
  await t.ctx.db.insert(hallCatalog).values(serviceIds.map((serviceId) => ({ hallId: va, serviceId, mode: 'forward' as const })));
  return { ta, va, township: await addUser(t, 'ta', 'staff', null, [], ta), village: await addUser(t, 'va', 'staff', null, [], va) };
}

export type Station = Awaited<ReturnType<typeof addStation>>;

/** A new test app (the one before closed) with the fixture station taking the fixture item in. */
export async function stationApp(previous: TestApp | undefined): Promise<{ t: TestApp; station: Station }> {
  await previous?.close();
  const t = await createTestApp();
  return { t, station: await addStation(t, [t.hall.serviceId]) };
}

/** POST /cases as the fixture staff member. */
export function receive(t: TestApp, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return as(t, 'staff', { method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: PERSON, materials: [], ...body }, headers });
}

export function act(t: TestApp, caseNumber: string, body: Record<string, unknown>, user: Role | string = 'staff') {
  return as(t, user, { method: 'POST', url: `/cases/${caseNumber}/actions`, payload: body });
}
