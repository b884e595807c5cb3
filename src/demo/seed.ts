import { hashPassword } from '../auth/passwords.js';
import { users, userWindows } from '../auth/tables.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import type { Db } from '../db/client.js';
import { departments, halls, services, windows, windowServices } from '../org/tables.js';
import { DEMO_DEPARTMENTS, DEMO_HALL, DEMO_PASSWORD, DEMO_USERS, DEMO_WINDOWS } from './hall.js';
import { DEMO_SERVICES } from './services.js';

/** Seeds the demo county hall into an empty database, in one transaction. */
export async function seedDemoHall(db: Db): Promise<{ hallId: string; accounts: { username: string; displayName: string; roles: string[] }[] }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const [hall] = await tx
      .insert(halls)
      .values({ ...DEMO_HALL, hours: { workday: [['09:00', '11:45'], ['13:00', '16:45']], weekend: [], ticketCutoffMinutes: 30 } })
      .returning({ id: halls.id });
    const hallId = hall!.id;
    const deptRows = await tx
      .insert(departments)
      .values(DEMO_DEPARTMENTS.map((name, i) => ({ hallId, name, sortOrder: i + 1 })))
      .returning({ id: departments.id, name: departments.name });
    const deptId = new Map(deptRows.map((d) => [d.name, d.id]));
    const windowRows = await tx
      .insert(windows)
      .values(DEMO_WINDOWS.map((w) => ({ hallId, number: w.number, name: w.name, departmentId: w.department ? deptId.get(w.department)! : null })))
      .returning({ id: windows.id, number: windows.number });
    const windowId = new Map(windowRows.map((w) => [w.number, w.id]));
    const serviceRows = await tx
      .insert(services)
      .values(
        DEMO_SERVICES.map((s) => ({
          hallId,
          code: s.code,
          name: s.name,
          departmentId: deptId.get(s.department)!,
          kind: s.kind,
          legalLimitDays: s.legalLimitDays,
          promisedLimitDays: s.promisedLimitDays,
          queuePrefix: s.queuePrefix,
          bookable: s.bookable,
          appointment: s.bookable ? { slotMinutes: 30, capacity: 3, daysAhead: 7 } : null,
        })),
      )
      .returning({ id: services.id, code: services.code });
    const serviceId = new Map(serviceRows.map((s) => [s.code, s.id]));
    await tx.insert(windowServices).values(
      DEMO_SERVICES.flatMap((s) => s.windows.map((n) => ({ windowId: windowId.get(n)!, serviceId: serviceId.get(s.code)! }))),
    );
    for (const u of DEMO_USERS) {
      const [row] = await tx
        .insert(users)
        .values({ hallId, username: u.username, displayName: u.displayName, passwordHash, roles: u.roles, departmentId: u.department ? deptId.get(u.department)! : null })
        .returning({ id: users.id });
      if (u.windows?.length) await tx.insert(userWindows).values(u.windows.map((n) => ({ userId: row!.id, windowId: windowId.get(n)! })));
    }
    await recordAudit(tx, SYSTEM_ACTOR, { hallId, action: 'demo.seeded', entityType: 'hall', entityId: hallId });
    return { hallId, accounts: DEMO_USERS.map(({ username, displayName, roles }) => ({ username, displayName, roles })) };
  });
}
