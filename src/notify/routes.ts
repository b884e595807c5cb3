import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { Api } from '../server/http.js';
import { currentUser } from '../auth/guard.js';
import { keyring } from '../shared/data-key.js';
import { maskPhone } from '../shared/identity.js';
import { notifications } from './tables.js';

export function registerNotifyRoutes(app: Api, db: Db): void {
  app.get('/notifications', {
    config: { access: ['admin', 'manager'] },
    schema: {
      tags: ['notifications'],
      summary: '消息记录（短信与工作人员提醒，号码已脱敏）',
      querystring: z.object({
        status: z.enum(['pending', 'sent', 'failed']).optional(),
        template: z.string().max(60).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    handler: async (req) => {
      const where: SQL[] = [eq(notifications.hallId, currentUser(req).hallId)];
      if (req.query.status) where.push(eq(notifications.status, req.query.status));
      if (req.query.template) where.push(eq(notifications.template, req.query.template));
      const rows = await db.select().from(notifications).where(and(...where)).orderBy(desc(notifications.createdAt)).limit(req.query.limit);
      const ring = await keyring(db);
      return rows.map((n) => ({
        ...n,
        recipient: n.channel === 'sms' ? maskPhone(ring.openOrClear(n.recipient)) : n.recipient,
        // A manager reading a live sign-in code could sign in as the applicant.
        body: (n.params as { secret?: boolean }).secret ? n.body.replace(/\d/g, '*') : n.body,
        params: undefined,
      }));
    },
  });
}
