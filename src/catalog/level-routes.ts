import { z } from 'zod';
import type { Api } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { publicHallId } from '../org/hall-scope.js';
import { createLevelsService } from './levels.js';
import { LevelBulkInput, LevelHallParams, LevelSetInput, LevelsQuery, LevelsView, Places, PlacesQuery, PublicHall, ServiceCode } from './schemas.js';

const MANAGERS = ['admin', 'manager'] as const;

/** The catalogue per level of the hall network (issue 12): staff set it per hall; the public asks where an item is handled. */
export function registerLevelRoutes(app: Api, ctx: AppContext): void {
  const levels = createLevelsService(ctx);
  const acting = (req: Parameters<typeof currentUser>[0]) => {
    const user = currentUser(req);
    return [user, actorOf(user)] as const;
  };

  app.get('/catalog/levels', {
    config: { access: ['manager', 'leader', 'supervisor'] },
    schema: { tags: ['catalogue'], summary: '分级目录：某中心对上级目录中各事项的办理方式（办理、收件转报、咨询代办）', querystring: LevelsQuery, response: { 200: LevelsView } },
    handler: async (req) => levels.view(currentUser(req), req.query.hall),
  });
  app.put('/catalog/levels/:code', {
    config: { access: MANAGERS },
    schema: { tags: ['catalogue'], summary: '设置某中心的事项办理方式（mode 为 null 即取消）', params: LevelHallParams, body: LevelSetInput, response: { 200: LevelsView } },
    handler: async (req) => levels.set(...acting(req), req.params.code, req.body.items),
  });
  app.post('/catalog/levels/bulk', {
    config: { access: MANAGERS },
    schema: { tags: ['catalogue'], summary: '按层级批量设置：某中心下所有该层级的中心（如全部村便民服务站收件转报某事项）', body: LevelBulkInput },
    handler: async (req) => levels.bulk(...acting(req), req.body),
  });
  app.post('/catalog/levels/:code/copy-from-parent', {
    config: { access: MANAGERS },
    schema: { tags: ['catalogue'], summary: '复制上级中心的分级目录（上级办理的事项复制为收件转报）', params: LevelHallParams, response: { 200: LevelsView } },
    handler: async (req) => levels.copyFromParent(...acting(req), req.params.code),
  });

  app.get('/catalog/network', {
    config: { access: 'public' },
    schema: { tags: ['catalogue'], summary: '服务网络（乡镇、村社区），供群众选择所在地', querystring: z.object({ hall: LevelHallParams.shape.code.optional() }), response: { 200: z.array(PublicHall) } },
    handler: async (req) => levels.publicHalls(await publicHallId(ctx.db, req)),
  });
  app.get('/services/:code/places', {
    config: { access: 'public' },
    schema: { tags: ['catalogue'], summary: '事项在哪些中心可办，以及离所选乡镇、村或地址最近的收件中心', params: z.object({ code: ServiceCode }), querystring: PlacesQuery, response: { 200: Places } },
    handler: async (req) => levels.places(await publicHallId(ctx.db, req), req.params.code, req.query),
  });
}
