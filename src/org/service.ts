import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { duplicate, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { departments, halls, windowServices, windows } from './tables.js';
import { services } from '../catalog/tables.js';
import type { HallHoursInput } from './schemas.js';

export interface WindowView {
  id: string;
  name: string;
  number: number;
  departmentId: string | null;
  departmentName: string | null;
  status: 'open' | 'paused' | 'closed';
  serviceCodes: string[];
}

export function createOrgService({ db }: AppContext) {
  async function hallOrThrow(hallId: string) {
    const [hall] = await db.select().from(halls).where(eq(halls.id, hallId));
    if (!hall) throw notFound('服务中心');
    return hall;
  }

  async function departmentInHall(tx: Db, hallId: string, departmentId: string | null | undefined) {
    if (!departmentId) return;
    const [dept] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, departmentId), eq(departments.hallId, hallId)));
    if (!dept) throw validationFailed('所选部门不存在', { departmentId });
  }

  async function serviceIds(tx: Db, hallId: string, codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const unique = [...new Set(codes)];
    const rows = await tx
      .select({ id: services.id, code: services.code })
      .from(services)
      .where(and(eq(services.hallId, hallId), inArray(services.code, unique)));
    const unknown = unique.filter((c) => !rows.some((r) => r.code === c));
    if (unknown.length) throw validationFailed(`事项编码不存在：${unknown.join('、')}`, { unknown });
    return rows.map((r) => r.id);
  }

  async function windowViews(tx: Db, hallId: string, onlyId?: string): Promise<WindowView[]> {
    const rows = await tx
      .select({
        id: windows.id,
        name: windows.name,
        number: windows.number,
        departmentId: windows.departmentId,
        departmentName: departments.name,
        status: windows.status,
        serviceCodes: sql<string[]>`coalesce((select array_agg(s.code order by s.code) from window_services ws join services s on s.id = ws.service_id where ws.window_id = ${windows.id}), '{}')`,
      })
      .from(windows)
      .leftJoin(departments, eq(departments.id, windows.departmentId))
      .where(onlyId ? and(eq(windows.hallId, hallId), eq(windows.id, onlyId)) : eq(windows.hallId, hallId))
      .orderBy(asc(windows.number));
    return rows;
  }

  return {
    hall: hallOrThrow,

    async setHours(actor: Actor, hallId: string, hours: HallHoursInput) {
      const before = await hallOrThrow(hallId);
      await db.transaction(async (tx) => {
        await tx.update(halls).set({ hours }).where(eq(halls.id, hallId));
        await recordAudit(tx, actor, { hallId, action: 'hall.hours_set', entityType: 'hall', entityId: hallId, before: before.hours, after: hours });
      });
      return hours;
    },

    async listDepartments(hallId: string) {
      return db
        .select({
          id: departments.id,
          name: departments.name,
          sortOrder: departments.sortOrder,
          // Written out: an interpolated column renders unqualified ("id") and would bind to w.id.
          windowCount: sql<number>`(select count(*)::int from windows w where w.department_id = departments.id)`,
        })
        .from(departments)
        .where(eq(departments.hallId, hallId))
        .orderBy(asc(departments.sortOrder), asc(departments.name));
    },

    async createDepartment(actor: Actor, hallId: string, input: { name: string; sortOrder?: number }) {
      return db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: departments.id })
          .from(departments)
          .where(and(eq(departments.hallId, hallId), eq(departments.name, input.name)));
        if (existing) throw duplicate(`部门“${input.name}”已存在`);
        const [dept] = await tx
          .insert(departments)
          .values({ hallId, name: input.name, sortOrder: input.sortOrder ?? 0 })
          .returning({ id: departments.id, name: departments.name, sortOrder: departments.sortOrder });
        await recordAudit(tx, actor, { hallId, action: 'department.created', entityType: 'department', entityId: dept!.id, after: dept });
        return dept!;
      });
    },

    async renameDepartment(actor: Actor, hallId: string, id: string, input: { name?: string; sortOrder?: number }) {
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(departments).where(and(eq(departments.id, id), eq(departments.hallId, hallId)));
        if (!before) throw notFound('部门');
        if (input.name && input.name !== before.name) {
          const [clash] = await tx
            .select({ id: departments.id })
            .from(departments)
            .where(and(eq(departments.hallId, hallId), eq(departments.name, input.name)));
          if (clash) throw duplicate(`部门“${input.name}”已存在`);
        }
        const [after] = await tx
          .update(departments)
          .set({ name: input.name ?? before.name, sortOrder: input.sortOrder ?? before.sortOrder })
          .where(eq(departments.id, id))
          .returning({ id: departments.id, name: departments.name, sortOrder: departments.sortOrder });
        await recordAudit(tx, actor, { hallId, action: 'department.updated', entityType: 'department', entityId: id, before, after });
        return after!;
      });
    },

    listWindows: (hallId: string) => windowViews(db, hallId),

    async getWindow(hallId: string, id: string) {
      const [view] = await windowViews(db, hallId, id);
      if (!view) throw notFound('窗口');
      return view;
    },

    async createWindow(
      actor: Actor,
      hallId: string,
      input: { name: string; number?: number; departmentId?: string | null; serviceCodes: string[] },
    ) {
      return db.transaction(async (tx) => {
        await departmentInHall(tx, hallId, input.departmentId);
        const ids = await serviceIds(tx, hallId, input.serviceCodes);
        let number = input.number;
        if (number === undefined) {
          const [row] = await tx
            .select({ next: sql<number>`coalesce(max(${windows.number}), 0) + 1` })
            .from(windows)
            .where(eq(windows.hallId, hallId));
          number = Number(row?.next ?? 1);
        } else {
          const [clash] = await tx
            .select({ id: windows.id })
            .from(windows)
            .where(and(eq(windows.hallId, hallId), eq(windows.number, number)));
          if (clash) throw duplicate(`${number} 号窗口已存在`);
        }
        const [row] = await tx
          .insert(windows)
          .values({ hallId, name: input.name, number, departmentId: input.departmentId ?? null })
          .returning({ id: windows.id });
        if (ids.length) await tx.insert(windowServices).values(ids.map((serviceId) => ({ windowId: row!.id, serviceId })));
        const [view] = await windowViews(tx, hallId, row!.id);
        await recordAudit(tx, actor, { hallId, action: 'window.created', entityType: 'window', entityId: row!.id, after: view });
        return view!;
      });
    },

    async updateWindow(
      actor: Actor,
      hallId: string,
      id: string,
      input: { name?: string; number?: number; departmentId?: string | null; serviceCodes?: string[] },
    ) {
      return db.transaction(async (tx) => {
        const [before] = await windowViews(tx, hallId, id);
        if (!before) throw notFound('窗口');
        await departmentInHall(tx, hallId, input.departmentId);
        if (input.number !== undefined && input.number !== before.number) {
          const [clash] = await tx
            .select({ id: windows.id })
            .from(windows)
            .where(and(eq(windows.hallId, hallId), eq(windows.number, input.number)));
          if (clash) throw duplicate(`${input.number} 号窗口已存在`);
        }
        await tx
          .update(windows)
          .set({
            name: input.name ?? before.name,
            number: input.number ?? before.number,
            departmentId: input.departmentId === undefined ? before.departmentId : input.departmentId,
          })
          .where(eq(windows.id, id));
        if (input.serviceCodes) {
          const ids = await serviceIds(tx, hallId, input.serviceCodes);
          await tx.delete(windowServices).where(eq(windowServices.windowId, id));
          if (ids.length) await tx.insert(windowServices).values(ids.map((serviceId) => ({ windowId: id, serviceId })));
        }
        const [after] = await windowViews(tx, hallId, id);
        await recordAudit(tx, actor, { hallId, action: 'window.updated', entityType: 'window', entityId: id, before, after });
        return after!;
      });
    },
  };
}
export type OrgService = ReturnType<typeof createOrgService>;
