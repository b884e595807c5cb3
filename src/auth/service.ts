import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../server/context.js';
import { DomainError, unauthenticated, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import type { Role } from './roles.js';
import { halls, userHalls } from '../org/tables.js';
import { sessions, users } from './tables.js';

/** The signed-in staff member a request acts for. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  hallId: string;
  departmentId: string | null;
  windowIds: string[];
}

export const actorOf = (user: AuthUser): Actor => ({
  id: user.id,
  name: user.displayName || user.username,
  roles: user.roles,
});

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAuthService({ db, clock, config }: AppContext) {
  return {
    async login(username: string, password: string) {
      const [user] = await db.select().from(users).where(eq(users.username, username));
      const now = clock.now();
      // One message for unknown user and wrong password, so logins cannot probe usernames.
      const refused = new DomainError(401, 'UNAUTHENTICATED', '用户名或密码错误');
      if (!user || !user.active) {
        throw refused;
      }
      if (user.lockedUntil && user.lockedUntil > now) {
        throw new DomainError(423, 'ACCOUNT_LOCKED', '密码错误次数过多，账号已临时锁定，请稍后再试', {
          lockedUntil: user.lockedUntil.toISOString(),
        });
      }
      if (!(await verifyPassword(password, user.passwordHash))) {
        const failed = user.failedLogins + 1;
        const lock = failed >= config.lockoutThreshold;
        await db.transaction(async (tx) => {
          await tx
            .update(users)
            .set({
              failedLogins: lock ? 0 : failed,
              lockedUntil: lock ? new Date(now.getTime() + config.lockoutMinutes * 60_000) : user.lockedUntil,
            })
            .where(eq(users.id, user.id));
          if (lock) {
            await recordAudit(tx, { id: user.id, name: user.username, roles: user.roles }, {
              hallId: user.hallId,
              action: 'user.locked',
              entityType: 'user',
              entityId: user.id,
              after: { failedLogins: failed },
            });
          }
        });
        throw refused;
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + config.sessionHours * 3_600_000);
      await db.transaction(async (tx) => {
        await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
        await tx.insert(sessions).values({ userId: user.id, tokenHash: hashToken(token), expiresAt, createdAt: now });
        await recordAudit(tx, { id: user.id, name: user.displayName || user.username, roles: user.roles }, {
          hallId: user.hallId,
          action: 'user.login',
          entityType: 'user',
          entityId: user.id,
        });
      });
      return {
        token,
        expiresAt,
        user: { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles, mustChangePassword: user.mustChangePassword },
      };
    },

    /** The user behind a bearer token, or null when it is unknown, expired or revoked. */
    async authenticate(token: string): Promise<AuthUser | null> {
      const rows = await db
        .select({
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          roles: users.roles,
          hallId: users.hallId,
          departmentId: users.departmentId,
          windowIds: sql<string[]>`coalesce((select array_agg(uw.window_id::text) from user_windows uw where uw.user_id = ${users.id}), '{}')`,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.tokenHash, hashToken(token)),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, clock.now()),
            eq(users.active, true),
          ),
        );
      return rows[0] ?? null;
    },

    /** The halls a staff member can act in, for the hall switcher: the home hall first, then each grant. */
    async halls(userId: string): Promise<{ code: string; name: string; roles: Role[]; home: boolean }[]> {
      const home = await db
        .select({ code: halls.code, name: halls.name, roles: users.roles })
        .from(users)
        .innerJoin(halls, eq(halls.id, users.hallId))
        .where(eq(users.id, userId));
      const granted = await db
        .select({ code: halls.code, name: halls.name, roles: userHalls.roles })
        .from(userHalls)
        .innerJoin(halls, eq(halls.id, userHalls.hallId))
        .where(eq(userHalls.userId, userId))
        .orderBy(asc(halls.code));
      return [...home.map((h) => ({ ...h, home: true })), ...granted.map((h) => ({ ...h, home: false }))];
    },

    async logout(token: string, user: AuthUser) {
      await db.transaction(async (tx) => {
        await tx.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.tokenHash, hashToken(token)));
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'user.logout', entityType: 'user', entityId: user.id });
      });
    },

    /** Changing the password ends every other session of the user. */
    async changePassword(user: AuthUser, token: string, oldPassword: string, newPassword: string) {
      const [row] = await db.select().from(users).where(eq(users.id, user.id));
      if (!row || !(await verifyPassword(oldPassword, row.passwordHash))) {
        throw validationFailed('原密码不正确');
      }
      const problem = passwordProblem(newPassword);
      if (problem) throw new DomainError(400, 'WEAK_PASSWORD', problem);
      const passwordHash = await hashPassword(newPassword);
      await db.transaction(async (tx) => {
        await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id));
        await tx
          .update(sessions)
          .set({ revokedAt: clock.now() })
          .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt), sql`${sessions.tokenHash} <> ${hashToken(token)}`));
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'user.password_changed', entityType: 'user', entityId: user.id });
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
  return match?.[1] ?? null;
}

export function requireToken(header: string | undefined): string {
  const token = bearerToken(header);
  if (!token) throw unauthenticated();
  return token;
}
