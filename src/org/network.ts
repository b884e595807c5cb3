// The hall network: the tree of halls, creating and moving halls, staff in several halls, and the scope
// of halls a staff member may read (hallScope), which reports and, in time, every capability's staff
// routes use to answer for one hall or a subtree.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, duplicate, forbidden, notFound } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import type { AuthUser } from '../auth/service.js';
import type { Role } from '../auth/roles.js';
import { users } from '../auth/tables.js';
import { buildTree, parentProblem } from './network-rules.js';
import type { HallCreateInput, NetworkHall } from './schemas.js';
import { halls, userHalls, windows } from './tables.js';

const idsOf = (rows: unknown): string[] => ((rows as { rows?: { id: string }[] }).rows ?? (rows as { id: string }[])).map((r) => r.id);

/** The halls under the given ones, themselves included, nearest first (a recursive walk down the parent links). */
export async function subtreeIds(db: Db, rootIds: readonly string[]): Promise<string[]> {
  if (rootIds.length === 0) return [];
  const roots = sql.join(rootIds.map((id) => sql`${id}::uuid`), sql`, `);
  return idsOf(await db.execute(sql`
    with recursive t(id, depth) as (select id, 0 from halls where id in (${roots}) union select h.id, t.depth + 1 from halls h join t on h.parent_id = t.id)
    select id from t order by depth, id`));
}

/** A hall and its ancestors up to the root, nearest first. */
async function chainUp(db: Db, hallId: string): Promise<string[]> {
  return idsOf(await db.execute(sql`
    with recursive a(id, parent_id, depth) as (select id, parent_id, 0 from halls where id = ${hallId}
      union select h.id, h.parent_id, a.depth + 1 from halls h join a on h.id = a.parent_id)
    select id from a order by depth`));
}

/**
 * The halls a staff member may read with one of `roles`: their home hall's subtree when their own roles
 * allow it, and the subtree of every hall where user_halls grants such a role; an admin reads the whole
 * network. Without `hall` the answer is the home hall (or its subtree); a requested hall outside the
 * reach is 403, so a township's staff never read another township's figures.
 */
export async function hallScope(db: Db, user: AuthUser, roles: readonly Role[], request: { hall?: string; subtree?: boolean } = {}): Promise<string[]> {
  const allows = (held: readonly string[]) => held.includes('admin') || held.some((r) => roles.includes(r as Role));
  let target = user.hallId;
  if (request.hall) {
    const [hall] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, request.hall));
    if (!hall) throw notFound('服务中心', { hall: request.hall });
    target = hall.id;
  }
  if (target !== user.hallId || !allows(user.roles)) {
    // Reachable when the hall or one of its ancestors is the home hall (with the roles) or a grant.
    const chain = await chainUp(db, target);
    const grants = await db.select({ hallId: userHalls.hallId, roles: userHalls.roles }).from(userHalls).where(and(eq(userHalls.userId, user.id), inArray(userHalls.hallId, chain)));
    const reached = user.roles.includes('admin') || (allows(user.roles) && chain.includes(user.hallId)) || grants.some((g) => allows(g.roles));
    if (!reached) throw forbidden('无权查看该服务中心的数据');
  }
  return request.subtree ? subtreeIds(db, [target]) : [target];
}

/**
 * The user as they act in the hall `code` (the staff header's hall switcher sends it as `X-Hall`): every
 * role they hold at that hall or above it, at home or by a user_halls grant, since a role reaches the
 * subtree below its hall; their department and windows only where they belong to that hall. A hall out of reach is 403 and an unknown code 404, so no request acts in a hall by accident.
 */
export async function actingAt(db: Db, user: AuthUser, code: string): Promise<AuthUser> {
  const [hall] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, code));
  if (!hall) throw notFound('服务中心', { hall: code });
  if (hall.id === user.hallId) return user;
  const chain = await chainUp(db, hall.id);
  const grants = await db.select({ hallId: userHalls.hallId, roles: userHalls.roles }).from(userHalls).where(and(eq(userHalls.userId, user.id), inArray(userHalls.hallId, chain)));
  const held = chain.flatMap((id) => (id === user.hallId ? user.roles : (grants.find((g) => g.hallId === id)?.roles ?? [])));
  const roles = user.roles.includes('admin') ? user.roles : [...new Set(held)];
  if (roles.length === 0) throw forbidden('无权在该服务中心办理业务');
  const own = user.windowIds.length
    ? (await db.select({ id: windows.id }).from(windows).where(and(eq(windows.hallId, hall.id), inArray(windows.id, user.windowIds)))).map((w) => w.id)
    : [];
  return { ...user, hallId: hall.id, roles, departmentId: null, windowIds: own };
}

export function createNetworkService({ db, clock }: AppContext) {
  async function hallByCode(tx: Db, code: string) {
    const [hall] = await tx.select().from(halls).where(eq(halls.code, code));
    if (!hall) throw notFound('服务中心', { hall: code });
    return hall;
  }
  /** A hall the acting manager may change: in the subtree of their home hall (an admin: anywhere). */
  async function managedByCode(tx: Db, user: AuthUser, code: string) {
    const hall = await hallByCode(tx, code);
    await hallScope(tx, user, ['manager'], { hall: code });
    return hall;
  }
  const invalidParent = (message: string, details: Record<string, unknown>) => new DomainError(409, 'INVALID_PARENT', message, details);

  return {
    /** The network as a tree: the whole of it for an admin, else the subtrees the user manages or reads. */
    async tree(user: AuthUser): Promise<NetworkHall[]> {
      const grants = await db.select({ hallId: userHalls.hallId }).from(userHalls).where(eq(userHalls.userId, user.id));
      const all = user.roles.includes('admin');
      const ids = all ? null : await subtreeIds(db, [user.hallId, ...grants.map((g) => g.hallId)]);
      const rows = await db
        .select({ id: halls.id, parentId: halls.parentId, code: halls.code, name: halls.name, level: halls.level, address: halls.address })
        .from(halls)
        .where(ids ? inArray(halls.id, ids) : undefined)
        .orderBy(asc(halls.createdAt), asc(halls.code));
      return buildTree(rows);
    },

    async create(user: AuthUser, actor: Actor, input: z.infer<typeof HallCreateInput>) {
      return db.transaction(async (tx) => {
        const parent = await managedByCode(tx, user, input.parentCode);
        const problem = parentProblem({ level: input.level }, parent, [parent.id]);
        if (problem) throw invalidParent(problem, { parentCode: input.parentCode, level: input.level });
        const [taken] = await tx.select({ id: halls.id }).from(halls).where(eq(halls.code, input.code));
        if (taken) throw duplicate(`中心编码 ${input.code} 已被使用`, { code: input.code });
        // A new hall starts from its parent's hours and settings (rating, staff rules, lights ...).
        const [hall] = await tx
          .insert(halls)
          .values({ parentId: parent.id, level: input.level, code: input.code, name: input.name, address: input.address, phone: input.phone, hours: parent.hours, settings: parent.settings, timeZone: parent.timeZone })
          .returning();
        await recordAudit(tx, actor, { hallId: hall!.id, action: 'hall.created', entityType: 'hall', entityId: hall!.id, after: { ...input, parentId: parent.id } });
        return hall!;
      });
    },

    async move(user: AuthUser, actor: Actor, code: string, parentCode: string) {
      return db.transaction(async (tx) => {
        const hall = await managedByCode(tx, user, code);
        if (hall.parentId === null) throw invalidParent('网络的根中心不能移动', { hall: code });
        const parent = await managedByCode(tx, user, parentCode);
        const problem = parentProblem(hall, parent, await chainUp(tx, parent.id));
        if (problem) throw invalidParent(problem, { hall: code, parentCode });
        await tx.update(halls).set({ parentId: parent.id }).where(eq(halls.id, hall.id));
        await recordAudit(tx, actor, { hallId: hall.id, action: 'hall.moved', entityType: 'hall', entityId: hall.id, before: { parentId: hall.parentId }, after: { parentId: parent.id } });
        return { code, parentCode };
      });
    },

    /** Copies the parent's opening hours or settings over the hall's own (an admin aligning a station). */
    async copyFromParent(user: AuthUser, actor: Actor, code: string, parts: readonly ('hours' | 'settings')[]) {
      return db.transaction(async (tx) => {
        const hall = await managedByCode(tx, user, code);
        if (hall.parentId === null) throw invalidParent('网络的根中心没有上级', { hall: code });
        const [parent] = await tx.select().from(halls).where(eq(halls.id, hall.parentId));
        const next = { hours: parts.includes('hours') ? parent!.hours : hall.hours, settings: parts.includes('settings') ? parent!.settings : hall.settings };
        await tx.update(halls).set(next).where(eq(halls.id, hall.id));
        await recordAudit(tx, actor, { hallId: hall.id, action: 'hall.copied_from_parent', entityType: 'hall', entityId: hall.id, before: { hours: hall.hours, settings: hall.settings }, after: next });
        return { code, hours: next.hours, settings: next.settings };
      });
    },

    /** Gives a staff member roles at a further hall (and so its subtree); replaces the roles held there. */
    async grant(user: AuthUser, actor: Actor, code: string, userId: string, roles: Role[]) {
      return db.transaction(async (tx) => {
        const hall = await managedByCode(tx, user, code);
        const [person] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
        if (!person) throw notFound('工作人员', { userId });
        const [before] = await tx.select().from(userHalls).where(and(eq(userHalls.userId, userId), eq(userHalls.hallId, hall.id)));
        const values = { roles, grantedBy: actor.id, grantedAt: clock.now() };
        await tx.insert(userHalls).values({ userId, hallId: hall.id, ...values }).onConflictDoUpdate({ target: [userHalls.userId, userHalls.hallId], set: values });
        await recordAudit(tx, actor, { hallId: hall.id, action: 'hall.staff_granted', entityType: 'user', entityId: userId, before: before ? { roles: before.roles } : null, after: { hall: code, roles } });
        return { hall: code, userId, roles };
      });
    },
  };
}
export type NetworkService = ReturnType<typeof createNetworkService>;
