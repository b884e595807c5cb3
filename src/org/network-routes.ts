import type { Api } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { createNetworkService } from './network.js';
import { CopyFromParentInput, HallCodeParams, HallCreateInput, HallGrantInput, HallGrantParams, HallMoveInput } from './schemas.js';

const NETWORK_ADMINS = ['admin', 'manager'] as const;
/** The signed-in user and the audit actor they act as. */
const acting = (req: Parameters<typeof currentUser>[0]) => {
  const user = currentUser(req);
  return [user, actorOf(user)] as const;
};

export function registerNetworkRoutes(app: Api, ctx: AppContext): void {
  const network = createNetworkService(ctx);
  app.get('/org/network', {
    config: { access: ['manager', 'leader', 'supervisor'] },
    schema: { tags: ['organisation'], summary: '服务中心网络（树）：本中心及其下级，加上授权的中心' },
    handler: async (req) => network.tree(currentUser(req)),
  });
  app.post('/org/halls', {
    config: { access: NETWORK_ADMINS },
    schema: { tags: ['organisation'], summary: '在上级中心下新建服务中心（沿用上级的办公时间与设置）', body: HallCreateInput },
    handler: async (req, reply) => reply.status(201).send(await network.create(...acting(req), req.body)),
  });
  app.post('/org/halls/:code/move', {
    config: { access: NETWORK_ADMINS },
    schema: { tags: ['organisation'], summary: '把服务中心移到另一上级之下（层级须低于上级，不能成环）', params: HallCodeParams, body: HallMoveInput },
    handler: async (req) => network.move(...acting(req), req.params.code, req.body.parentCode),
  });
  app.post('/org/halls/:code/copy-from-parent', {
    config: { access: NETWORK_ADMINS },
    schema: { tags: ['organisation'], summary: '复制上级中心的办公时间或设置', params: HallCodeParams, body: CopyFromParentInput },
    handler: async (req) => network.copyFromParent(...acting(req), req.params.code, req.body.parts),
  });
  app.put('/org/halls/:code/staff/:userId', {
    config: { access: NETWORK_ADMINS },
    schema: { tags: ['organisation'], summary: '授予工作人员在某中心（含其下级）的角色', params: HallGrantParams, body: HallGrantInput },
    handler: async (req) => network.grant(...acting(req), req.params.code, req.params.userId, req.body.roles),
  });
}
