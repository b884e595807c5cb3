import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, duplicate, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { departments, windows } from '../org/tables.js';
import { hashPassword, passwordProblem } from './passwords.js';
import type { Role } from './roles.js';
import { sessions, users, userWindows } from './tables.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  departmentId: string | null;
  windowIds: string[];
  active: boolean;
}

export function createUserService({ db, clock }: AppContext) {
  async function views(tx: Db, hallId: string, onlyId?: string): Promise<UserView[]> {
    return tx
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        roles: users.roles,
        departmentId: users.departmentId,
        active: users.active,
        windowIds: sql<string[]>`coalesce((select array_agg(uw.window_id::text) from user_windows uw where uw.user_id = ${users.id}), '{}')`,
      })
      .from(users)
      .where(onlyId ? and(eq(users.hallId, hallId), eq(users.id, onlyId)) : eq(users.hallId, hallId))
      .orderBy(asc(users.username));
  }

  async function checkRefs(tx: Db, hallId: string, departmentId: string | null | undefined, windowIds: string[] | undefined) {
    if (departmentId) {
      const [d] = await tx.select({ id: departments.id }).from(departments).where(and(eq(departments.id, departmentId), eq(departments.hallId, hallId)));
      if (!d) throw validationFailed('所选部门不存在', { departmentId });
    }
    if (windowIds?.length) {
      const found = await tx.select({ id: windows.id }).from(windows).where(and(eq(windows.hallId, hallId), inArray(windows.id, windowIds)));
      if (found.length !== new Set(windowIds).size) throw validationFailed('所选窗口不存在', { windowIds });
    }
  }

  /** Only an admin may make an admin: a manager runs the hall, not the system. */
  function checkGrant(actor: Actor, roles: Role[] | undefined) {
    if (roles?.includes('admin') && !actor.roles.includes('admin')) {
      throw new DomainError(403, 'FORBIDDEN', '只有系统管理员可以授予管理员角色');
    }
  }

  return {
    list: (hallId: string) => views(db, hallId),

    async create(
      actor: Actor,
      hallId: string,
      input: { username: string; password: string; displayName?: string; roles: Role[]; departmentId?: string | null; windowIds: string[] },
      options: { mustChangePassword?: boolean } = {},
    ) {
      checkGrant(actor, input.roles);
      const problem = passwordProblem(input.password);
      if (problem) throw new DomainError(400, 'WEAK_PASSWORD', problem);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
        if (clash) throw duplicate(`用户名“${input.username}”已被使用`);
        await checkRefs(tx, hallId, input.departmentId, input.windowIds);
        const [row] = await tx
          .insert(users)
          .values({
            hallId,
            username: input.username,
            displayName: input.displayName ?? '',
            passwordHash,
            roles: [...new Set(input.roles)],
            departmentId: input.departmentId ?? null,
            mustChangePassword: options.mustChangePassword ?? false,
          })
          .returning({ id: users.id });
        const windowIds = [...new Set(input.windowIds)];
        if (windowIds.length) await tx.insert(userWindows).values(windowIds.map((windowId) => ({ userId: row!.id, windowId })));
        const [view] = await views(tx, hallId, row!.id);
        await recordAudit(tx, actor, { hallId, action: 'user.created', entityType: 'user', entityId: row!.id, after: view });
        return view!;
      });
    },

    async update(
      actor: Actor,
      hallId: string,
      id: string,
      input: { displayName?: string; roles?: Role[]; departmentId?: string | null; windowIds?: string[]; active?: boolean },
    ) {
      checkGrant(actor, input.roles);
      return db.transaction(async (tx) => {
        const [before] = await views(tx, hallId, id);
        if (!before) throw notFound('用户');
        if (before.roles.includes('admin') && !actor.roles.includes('admin')) {
          throw new DomainError(403, 'FORBIDDEN', '只有系统管理员可以修改管理员账号');
        }
        if (actor.id === id && (input.active === false || (input.roles && !input.roles.includes('admin') && before.roles.includes('admin')))) {
          throw validationFailed('不能停用自己或取消自己的管理员角色');
        }
        await checkRefs(tx, hallId, input.departmentId, input.windowIds);
        await tx
          .update(users)
          .set({
            displayName: input.displayName ?? before.displayName,
            roles: input.roles ? [...new Set(input.roles)] : before.roles,
            departmentId: input.departmentId === undefined ? before.departmentId : input.departmentId,
            active: input.active ?? before.active,
          })
          .where(eq(users.id, id));
        if (input.windowIds) {
          await tx.delete(userWindows).where(eq(userWindows.userId, id));
          const windowIds = [...new Set(input.windowIds)];
          if (windowIds.length) await tx.insert(userWindows).values(windowIds.map((windowId) => ({ userId: id, windowId })));
        }
        if (input.active === false) {
          await tx.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.userId, id));
        }
        const [after] = await views(tx, hallId, id);
        await recordAudit(tx, actor, { hallId, action: 'user.updated', entityType: 'user', entityId: id, before, after });
        return after!;
      });
    },

    /** A manager resets a forgotten password; the user must choose a new one at next login. */
    async resetPassword(actor: Actor, hallId: string, id: string, password: string) {
      const problem = passwordProblem(password);
      if (problem) throw new DomainError(400, 'WEAK_PASSWORD', problem);
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        const [row] = await tx.update(users).set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null })
          .where(and(eq(users.id, id), eq(users.hallId, hallId))).returning({ id: users.id });
        if (!row) throw notFound('用户');
        await tx.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.userId, id));
        await recordAudit(tx, actor, { hallId, action: 'user.password_reset', entityType: 'user', entityId: id });
      });
    },
  };
}
export type UserService = ReturnType<typeof createUserService>;
