import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../auth/passwords.js';
import type { Role } from '../auth/roles.js';
import { users, userWindows } from '../auth/tables.js';
import type { Database } from '../db/client.js';
import { departments, halls, services, windows, windowServices } from '../org/tables.js';
import { buildApp } from '../server/app.js';
import { fixedClock, type Clock } from '../server/clock.js';
import { defaultConfig, type AppConfig, type AppContext } from '../server/context.js';
import { resetDatabase, rowCounts, testDatabase } from './test-db.js';

export const TEST_PASSWORD = 'Passw0rd!';
let passwordHash: Promise<string> | undefined;

export interface TestHall {
  hallId: string;
  departmentId: string;
  otherDepartmentId: string;
  windowId: string;
  serviceId: string;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  clock: ReturnType<typeof fixedClock>;
  hall: TestHall;
  /** Logs in a fixture user of that role (one per role; `staff` works at the fixture window). */
  tokenFor(role: Role): Promise<string>;
  /** Injects a request under /api/v1 as that role, or anonymously with role null. */
  api(role: Role | null, options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * A fresh app on the worker's shared database, emptied and given a small neutral hall: one department,
 * one window taking one service, and one user per role. The clock is fixed and can be moved. No rate
 * limits unless `config.rateLimits` sets them, so suites can send as many requests as they need.
 */
export async function createTestApp(options: { now?: string; clock?: Clock; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const database = await testDatabase();
  await resetDatabase(database);
  const clock = fixedClock(options.now ?? '2025-09-30T09:00:00+08:00');
  const ctx: AppContext = { database, db: database.db, clock: options.clock ?? clock, config: { ...defaultConfig, ...options.config } };
  const hall = await seedFixture(ctx);
  const app = await buildApp(ctx);
  await app.ready();
  const tokens = new Map<Role, string>();
  const tokenFor = async (role: Role) => {
    const cached = tokens.get(role);
    if (cached) return cached;
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: role, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login as ${role} failed: ${res.body}`);
    const token = res.json().token as string;
    tokens.set(role, token);
    return token;
  };
  return {
    app,
    ctx,
    database,
    clock,
    hall,
    tokenFor,
    async api(role, opts) {
      const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
      if (role) headers.authorization = `Bearer ${await tokenFor(role)}`;
      return app.inject({ ...opts, url: `/api/v1${opts.url}`, headers });
    },
    counts: () => rowCounts(database),
    close: () => app.close(),
  };
}

async function seedFixture(ctx: AppContext): Promise<TestHall> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const { db } = ctx;
  const [hall] = await db
    .insert(halls)
    .values({ code: 'TEST', name: '测试政务服务中心', level: 'county', hours: { workday: [['09:00', '12:00'], ['13:00', '17:00']], weekend: [], ticketCutoffMinutes: 30 } })
    .returning({ id: halls.id });
  const hallId = hall!.id;
  const [dept, other] = await db
    .insert(departments)
    .values([
      { hallId, name: '测试局', sortOrder: 1 },
      { hallId, name: '另一局', sortOrder: 2 },
    ])
    .returning({ id: departments.id });
  const [service] = await db
    .insert(services)
    .values({ hallId, code: 'T-001', name: '测试事项', departmentId: dept!.id, kind: 'promised', legalLimitDays: 20, promisedLimitDays: 3, queuePrefix: 'T', bookable: true, appointment: { slotMinutes: 30, capacity: 3, daysAhead: 7 } })
    .returning({ id: services.id });
  const [win] = await db.insert(windows).values({ hallId, name: '测试窗口', number: 1, departmentId: dept!.id }).returning({ id: windows.id });
  await db.insert(windowServices).values({ windowId: win!.id, serviceId: service!.id });
  const roles: Role[] = ['admin', 'manager', 'leader', 'staff', 'supervisor'];
  const rows = await db
    .insert(users)
    .values(roles.map((role) => ({ hallId, username: role, displayName: `测试${role}`, passwordHash: hash, roles: [role], departmentId: role === 'leader' || role === 'staff' ? dept!.id : null })))
    .returning({ id: users.id, username: users.username });
  const staff = rows.find((r) => r.username === 'staff')!;
  await db.insert(userWindows).values({ userId: staff.id, windowId: win!.id });
  return { hallId, departmentId: dept!.id, otherDepartmentId: other!.id, windowId: win!.id, serviceId: service!.id };
}
