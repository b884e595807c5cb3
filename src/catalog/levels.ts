// The catalogue per level of the hall network (issue 12): what each hall does with the items defined at
// the halls above it (decide, take in and forward, or only guide), set per hall, in bulk per level, or
// copied from the parent; and, for the public, where an item is handled and the nearest such hall.
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import type { Role } from '../auth/roles.js';
import type { AuthUser } from '../auth/service.js';
import { hallScope, subtreeIds } from '../org/network.js';
import { halls } from '../org/tables.js';
import { copiedModes, decidingHall, hallByAddress, nearestHandling, type NetHall } from './level-rules.js';
import type { HandlingMode, LevelItem, Place, Places } from './schemas.js';
import { hallCatalog, services } from './tables.js';

type Hall = NetHall & { phone: string };
type Network = { list: Hall[]; byId: Map<string, Hall> };
interface Item {
  id: string;
  code: string;
  name: string;
  hallId: string;
}
const READERS: Role[] = ['manager', 'leader', 'supervisor'];

const ref = (h: Hall) => ({ code: h.code, name: h.name });

/** The halls strictly above `hallId`, nearest first. */
function ancestors(net: Network, hallId: string): Hall[] {
  const out: Hall[] = [];
  for (let h = net.byId.get(net.byId.get(hallId)?.parentId ?? ''); h; h = h.parentId === null ? undefined : net.byId.get(h.parentId)) out.push(h);
  return out;
}

export function createLevelsService({ db, clock }: AppContext) {
  async function network(tx: Db): Promise<Network> {
    const list = await tx
      .select({ id: halls.id, parentId: halls.parentId, code: halls.code, name: halls.name, level: halls.level, address: halls.address, phone: halls.phone })
      .from(halls)
      .orderBy(asc(halls.code));
    return { list, byId: new Map(list.map((h) => [h.id, h])) };
  }

  /** Each item's modes at the given halls, the item's own hall counted as deciding it. */
  async function modesOf(tx: Db, items: readonly Item[], hallIds?: readonly string[]): Promise<Map<string, Map<string, HandlingMode>>> {
    const out = new Map(items.map((s) => [s.id, new Map<string, HandlingMode>([[s.hallId, 'decide']])]));
    if (items.length === 0) return out;
    const where = inArray(hallCatalog.serviceId, items.map((s) => s.id));
    const rows = await tx.select().from(hallCatalog).where(hallIds ? and(where, inArray(hallCatalog.hallId, [...hallIds])) : where);
    for (const r of rows) out.get(r.serviceId)!.set(r.hallId, r.mode);
    return out;
  }

  /** The items a hall may take up: those defined at the halls above it. */
  async function itemsAbove(tx: Db, net: Network, hallId: string): Promise<Item[]> {
    const above = ancestors(net, hallId).map((h) => h.id);
    if (above.length === 0) return [];
    return tx.select({ id: services.id, code: services.code, name: services.name, hallId: services.hallId }).from(services).where(inArray(services.hallId, above)).orderBy(asc(services.code));
  }

  async function listOf(tx: Db, net: Network, hall: Hall): Promise<LevelItem[]> {
    const items = await itemsAbove(tx, net, hall.id);
    const chain = [hall.id, ...ancestors(net, hall.id).map((h) => h.id)];
    const modes = await modesOf(tx, items, chain);
    return items.map((s) => {
      const m = modes.get(s.id)!;
      const mode = m.get(hall.id) ?? null;
      const decider = mode ? decidingHall(net.byId, m, hall.id) : null;
      return { serviceId: s.id, code: s.code, name: s.name, owner: ref(net.byId.get(s.hallId)!), mode, decidedBy: decider ? ref(decider as Hall) : null };
    });
  }

  /** Writes one hall's modes for some items (null removes the row); returns the items whose mode changed, before and after. */
  async function write(tx: Db, actor: Actor, hall: Hall, next: ReadonlyMap<string, HandlingMode | null>) {
    const ids = [...next.keys()];
    if (ids.length === 0) return [];
    const current = new Map((await tx.select().from(hallCatalog).where(and(eq(hallCatalog.hallId, hall.id), inArray(hallCatalog.serviceId, ids)))).map((r) => [r.serviceId, r.mode]));
    const changes = ids.filter((id) => (current.get(id) ?? null) !== next.get(id)).map((id) => ({ serviceId: id, before: current.get(id) ?? null, after: next.get(id)! }));
    const removed = changes.filter((c) => c.after === null).map((c) => c.serviceId);
    if (removed.length) await tx.delete(hallCatalog).where(and(eq(hallCatalog.hallId, hall.id), inArray(hallCatalog.serviceId, removed)));
    const set = changes.filter((c) => c.after !== null);
    const values = { updatedAt: clock.now(), updatedByName: actor.name };
    for (const c of set) {
      await tx.insert(hallCatalog).values({ hallId: hall.id, serviceId: c.serviceId, mode: c.after!, ...values }).onConflictDoUpdate({ target: [hallCatalog.hallId, hallCatalog.serviceId], set: { mode: c.after!, ...values } });
    }
    return changes;
  }

  const audit = (tx: Db, actor: Actor, hall: Hall, action: string, changes: { serviceId: string; before: HandlingMode | null; after: HandlingMode | null }[]) =>
    changes.length === 0
      ? Promise.resolve()
      : recordAudit(tx, actor, {
          hallId: hall.id,
          action,
          entityType: 'hall_catalog',
          entityId: hall.id,
          before: { hall: hall.code, items: changes.map((c) => ({ serviceId: c.serviceId, mode: c.before })) },
          after: { hall: hall.code, items: changes.map((c) => ({ serviceId: c.serviceId, mode: c.after })) },
        });

  /** The items a hall may set, checked: each must be defined at a hall above it. */
  async function checkAbove(tx: Db, net: Network, hall: Hall, serviceIds: readonly string[]): Promise<void> {
    const allowed = new Set((await itemsAbove(tx, net, hall.id)).map((s) => s.id));
    const outside = serviceIds.filter((id) => !allowed.has(id));
    if (outside.length) throw new DomainError(409, 'NOT_ABOVE', `${hall.name}只能设置上级中心目录中的事项`, { hall: hall.code, serviceIds: outside });
  }

  async function hallOfUser(tx: Db, user: AuthUser, roles: readonly Role[], code: string | undefined): Promise<{ net: Network; hall: Hall }> {
    const [id] = await hallScope(tx, user, roles, { hall: code });
    const net = await network(tx);
    return { net, hall: net.byId.get(id!)! };
  }

  return {
    /** One hall's list: every item defined above it with what the hall does with it. */
    async view(user: AuthUser, code: string | undefined) {
      const { net, hall } = await hallOfUser(db, user, READERS, code);
      return { hall: { ...ref(hall), level: hall.level }, items: await listOf(db, net, hall) };
    },

    async set(user: AuthUser, actor: Actor, code: string, items: readonly { serviceId: string; mode: HandlingMode | null }[]) {
      return db.transaction(async (tx) => {
        const { net, hall } = await hallOfUser(tx, user, ['manager'], code);
        await checkAbove(tx, net, hall, items.map((i) => i.serviceId));
        await audit(tx, actor, hall, 'catalog.level_set', await write(tx, actor, hall, new Map(items.map((i) => [i.serviceId, i.mode]))));
        return { hall: { ...ref(hall), level: hall.level }, items: await listOf(tx, net, hall) };
      });
    },

    /** Sets the items for every hall of a level in a subtree; halls the items are not defined above are left out. */
    async bulk(user: AuthUser, actor: Actor, input: { under?: string; level: string; serviceIds: string[]; mode: HandlingMode | null }) {
      return db.transaction(async (tx) => {
        const subtree = await hallScope(tx, user, ['manager'], { hall: input.under, subtree: true });
        const net = await network(tx);
        const found = await tx.select({ id: services.id }).from(services).where(inArray(services.id, input.serviceIds));
        if (found.length !== new Set(input.serviceIds).size) throw notFound('事项', { serviceIds: input.serviceIds });
        const targets = subtree.map((id) => net.byId.get(id)!).filter((h) => h.level === input.level);
        let changed = 0;
        for (const hall of targets) {
          const above = new Set((await itemsAbove(tx, net, hall.id)).map((s) => s.id));
          const next = new Map(input.serviceIds.filter((id) => above.has(id)).map((id) => [id, input.mode]));
          const changes = await write(tx, actor, hall, next);
          await audit(tx, actor, hall, 'catalog.level_bulk_set', changes);
          if (changes.length) changed++;
        }
        return { halls: targets.length, changed };
      });
    },

    /** Replaces the hall's list with its parent's (see copiedModes for the parent's own items). */
    async copyFromParent(user: AuthUser, actor: Actor, code: string) {
      return db.transaction(async (tx) => {
        const { net, hall } = await hallOfUser(tx, user, ['manager'], code);
        if (hall.parentId === null) throw new DomainError(409, 'INVALID_PARENT', '网络的根中心没有上级', { hall: code });
        const parentRows = await tx.select({ serviceId: hallCatalog.serviceId, mode: hallCatalog.mode }).from(hallCatalog).where(eq(hallCatalog.hallId, hall.parentId));
        const parentOwns = await tx.select({ id: services.id }).from(services).where(eq(services.hallId, hall.parentId));
        const copied = copiedModes(new Map(parentRows.map((r) => [r.serviceId, r.mode])), parentOwns.map((s) => s.id));
        const own = await tx.select({ serviceId: hallCatalog.serviceId }).from(hallCatalog).where(eq(hallCatalog.hallId, hall.id));
        const next = new Map<string, HandlingMode | null>(own.map((r) => [r.serviceId, null]));
        for (const [id, mode] of copied) next.set(id, mode);
        await audit(tx, actor, hall, 'catalog.level_copied_from_parent', await write(tx, actor, hall, next));
        return { hall: { ...ref(hall), level: hall.level }, items: await listOf(tx, net, hall) };
      });
    },

    /** The public network under a hall, for the visitor's township/village picker. */
    async publicHalls(rootId: string) {
      const net = await network(db);
      const ids = new Set(await subtreeIds(db, [rootId]));
      return net.list
        .filter((h) => ids.has(h.id))
        .map((h) => ({ code: h.code, name: h.name, level: h.level, address: h.address, parentCode: h.parentId === null || !ids.has(h.parentId) ? null : net.byId.get(h.parentId)!.code }));
    },

    /** Where a published item of `hallId` is handled, and the nearest hall that takes it in from the visitor's hall or address. */
    async places(hallId: string, code: string, from: { near?: string; address?: string }): Promise<Places> {
      const [item] = await db
        .select({ id: services.id, code: services.code, name: services.name, hallId: services.hallId })
        .from(services)
        .where(and(eq(services.hallId, hallId), eq(services.code, code), isNotNull(services.currentGuideVersion)));
      if (!item) throw notFound('事项', { code });
      const net = await network(db);
      const inTree = new Set(await subtreeIds(db, [hallId]));
      const tree = net.list.filter((h) => inTree.has(h.id));
      const modes = (await modesOf(db, [item])).get(item.id)!;
      const placeOf = (h: Hall): Place | null => {
        const mode = modes.get(h.id);
        const decider = mode ? decidingHall(net.byId, modes, h.id) : null;
        return mode && decider ? { code: h.code, name: h.name, level: h.level, address: h.address, phone: h.phone, mode, decidedBy: ref(decider as Hall) } : null;
      };
      const places = tree.map(placeOf).filter((p): p is Place => p !== null);
      let start: Hall | undefined;
      let matchedBy: 'choice' | 'address' = 'choice';
      if (from.near) {
        start = tree.find((h) => h.code === from.near);
        if (!start) throw notFound('服务中心', { hall: from.near });
      } else if (from.address) {
        start = (hallByAddress(tree, from.address) as Hall | null) ?? undefined;
        matchedBy = 'address';
      }
      const found = start ? (nearestHandling(tree, modes, start.id) as Hall | null) : null;
      return {
        item: { code: item.code, name: item.name },
        places,
        nearest: start ? { from: { ...ref(start), level: start.level, mode: modes.get(start.id) ?? null }, matchedBy, place: found ? placeOf(found) : null } : null,
      };
    },
  };
}
export type LevelsService = ReturnType<typeof createLevelsService>;
