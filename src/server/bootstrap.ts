import { eq, sql } from 'drizzle-orm';
import { users } from '../auth/tables.js';
import { hashPassword, randomPassword } from '../auth/passwords.js';
import { halls } from '../org/tables.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import type { Db } from '../db/client.js';

export const DEFAULT_HALL = { code: 'HALL', name: '政务服务中心', level: 'county' as const };

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(halls);
  return Number(row?.n ?? 0) === 0;
}

/** The hall public requests belong to when they name none: the root of the network. */
export async function rootHallId(db: Db): Promise<string> {
  const [root] = await db.select({ id: halls.id }).from(halls).where(sql`${halls.parentId} is null`).orderBy(halls.createdAt).limit(1);
  if (root) return root.id;
  const [created] = await db
    .insert(halls)
    .values({ ...DEFAULT_HALL, hours: { workday: [['09:00', '11:45'], ['13:00', '16:45']], weekend: [], ticketCutoffMinutes: 30 } })
    .returning({ id: halls.id });
  return created!.id;
}

/**
 * With no admin yet, create user `admin` with ONEWINDOW_ADMIN_PASSWORD or a random password that is
 * returned so the caller prints it once.
 */
export async function ensureAdmin(db: Db, password = process.env.ONEWINDOW_ADMIN_PASSWORD): Promise<string | null> {
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`'admin' = any(${users.roles})`).limit(1);
  if (existing) return null;
  const hallId = await rootHallId(db);
  const chosen = password || randomPassword();
  const passwordHash = await hashPassword(chosen);
  await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
    const [row] = await tx
      .insert(users)
      .values({ hallId, username: taken ? `admin${Date.now() % 10000}` : 'admin', displayName: '系统管理员', passwordHash, roles: ['admin'] })
      .returning({ id: users.id });
    await recordAudit(tx, SYSTEM_ACTOR, { hallId, action: 'user.bootstrap_admin', entityType: 'user', entityId: row!.id });
  });
  return password ? null : chosen;
}
