import { hashPassword } from '../auth/passwords.js';
import { users, userWindows } from '../auth/tables.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import type { Db } from '../db/client.js';
import { GuideContent, DEFAULT_APPOINTMENT } from '../catalog/schemas.js';
import { insertServices, withMaterialIds } from '../catalog/service.js';
import { departments, halls, windows, windowServices } from '../org/tables.js';
import { DEMO_DEPARTMENTS, DEMO_HALL, DEMO_PASSWORD, DEMO_USERS, DEMO_WINDOWS } from './hall.js';
import { DEMO_GUIDES } from './guides.js';
import { DEMO_SERVICES } from './services.js';

/** Seeds the demo county hall into an empty database, in one transaction. */
export async function seedDemoHall(db: Db, now = new Date()): Promise<{ hallId: string; accounts: { username: string; displayName: string; roles: string[] }[] }> {
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
    // Every demo guide goes through the catalogue's own schema, so the demo cannot drift from what an
    // editor could save; each is published as version 1.
    const serviceId = await insertServices(
      tx,
      SYSTEM_ACTOR,
      hallId,
      now,
      DEMO_SERVICES.map((s) => ({
        code: s.code,
        publish: true,
        content: withMaterialIds(
          GuideContent.parse({ ...DEMO_GUIDES[s.code], name: s.name, category: s.category, departmentId: deptId.get(s.department)!, kind: s.kind, legalLimitDays: s.legalLimitDays, promisedLimitDays: s.promisedLimitDays }),
        ),
        settings: { queuePrefix: s.queuePrefix, bookable: s.bookable, greenChannel: s.greenChannel, appointment: s.bookable ? DEFAULT_APPOINTMENT : null },
      })),
    );
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
