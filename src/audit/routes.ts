import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { Api } from '../server/http.js';
import { currentUser } from '../auth/guard.js';
import { auditEvents } from './tables.js';

const AuditQuery = z.object({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(80).optional(),
  action: z.string().max(60).optional(),
  actorId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeId: z.coerce.number().int().positive().optional(),
});

export function registerAuditRoutes(app: Api, db: Db): void {
  app.get('/audit', {
    config: { access: ['admin', 'supervisor'] },
    schema: { tags: ['audit'], summary: '审计记录（最新在前，用 beforeId 翻页）', querystring: AuditQuery },
    handler: async (req) => {
      const q = req.query;
      const where: SQL[] = [eq(auditEvents.hallId, currentUser(req).hallId)];
      if (q.entityType) where.push(eq(auditEvents.entityType, q.entityType));
      if (q.entityId) where.push(eq(auditEvents.entityId, q.entityId));
      if (q.action) where.push(eq(auditEvents.action, q.action));
      if (q.actorId) where.push(eq(auditEvents.actorId, q.actorId));
      if (q.from) where.push(gte(auditEvents.at, new Date(q.from)));
      if (q.to) where.push(lt(auditEvents.at, new Date(q.to)));
      if (q.beforeId) where.push(lt(auditEvents.id, q.beforeId));
      return db.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.id)).limit(q.limit);
    },
  });
}
