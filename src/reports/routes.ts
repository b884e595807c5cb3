import { z } from 'zod';
import type { Api } from '../server/http.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { contentDisposition } from '../catalog/attachments.js';
import { Month } from '../staff/schemas.js';
import { BulletinTextsInput, DashboardQuery, MonthlyQuery, YearQuery } from './schemas.js';
import type { AppContext } from '../server/context.js';
import { createReportsService } from './service.js';
import { hallScope } from '../org/network.js';

const READERS = ['manager', 'leader', 'supervisor'] as const;

export function registerReportsRoutes(app: Api, ctx: AppContext): void {
  const reports = createReportsService(ctx);
  app.get('/reports/monthly', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: '月度通报（JSON；format=pdf 为 A4 PDF，format=xlsx 为 Excel）', querystring: MonthlyQuery },
    handler: async (req, reply) => {
      const hallIds = await hallScope(ctx.db, currentUser(req), READERS, { hall: req.query.hall, subtree: req.query.subtree === '1' });
      if (req.query.format === 'json') return reports.monthly(hallIds, req.query.month);
      const file = await reports.monthlyFile(hallIds, req.query.month, req.query.format);
      return reply.type(file.mimeType).header('content-disposition', contentDisposition(file.filename, false)).send(file.data);
    },
  });

  app.put('/reports/monthly/:month/texts', {
    config: { access: ['manager'] },
    schema: { tags: ['reports'], summary: '保存通报中人工撰写的部分（期号、导语、存在问题、下步工作）', params: z.object({ month: Month }), body: BulletinTextsInput },
    handler: async (req) => {
      const user = currentUser(req);
      return reports.saveTexts(actorOf(user), user.hallId, req.params.month, req.body);
    },
  });

  app.get('/reports/yearly', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: '年度汇总：办件、按时办结率、满意度、延时服务（subtree=1 汇总下级）', querystring: YearQuery },
    handler: async (req) => reports.yearly(await hallScope(ctx.db, currentUser(req), READERS, { hall: req.query.hall, subtree: req.query.subtree === '1' }), req.query.year),
  });

  app.get('/reports/dashboard', {
    config: { access: READERS },
    schema: { tags: ['reports'], summary: '数据看板：每日办件、按时办结率、满意度、等候与办理时长、来访热力图、红黄灯', querystring: DashboardQuery },
    handler: async (req) => reports.dashboard(await hallScope(ctx.db, currentUser(req), READERS, { hall: req.query.hall, subtree: req.query.subtree === '1' }), req.query.from, req.query.to),
  });
}
