import { z } from 'zod';
import type { Api } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { currentUser } from '../auth/guard.js';
import { createAgentService } from './service.js';
import { AgentBoard, AgentIdParams, AgentInput, AgentList, AgentSettings, AgentStatusInput, AgentView, AgentsQuery, CaseAgentInput, TrainingInput } from './schemas.js';

const READERS = ['manager', 'leader', 'supervisor'] as const;

export function registerAgentRoutes(app: Api, ctx: AppContext): void {
  const agents = createAgentService(ctx);

  app.get('/agents', {
    config: { access: READERS },
    schema: { tags: ['agents'], summary: '代办员：本中心及下级（默认含下级），办件负荷和超负荷标记', querystring: AgentsQuery, response: { 200: AgentList } },
    handler: async (req) => ({ items: await agents.list(currentUser(req), { hall: req.query.hall, subtree: req.query.subtree === '1' }) }),
  });

  app.post('/agents', {
    config: { access: ['manager'] },
    schema: { tags: ['agents'], summary: '登记代办员（本中心或下级中心）', body: AgentInput, response: { 201: AgentView } },
    handler: async (req, reply) => reply.code(201).send(await agents.register(currentUser(req), req.body)),
  });

  app.get('/agents/settings', {
    config: { access: READERS },
    schema: { tags: ['agents'], summary: '代办员设置（每人承接未办结办件上限）', response: { 200: AgentSettings } },
    handler: async (req) => agents.settings(currentUser(req).hallId),
  });

  app.put('/agents/settings', {
    config: { access: ['manager'] },
    schema: { tags: ['agents'], summary: '修改代办员设置', body: AgentSettings, response: { 200: AgentSettings } },
    handler: async (req) => agents.updateSettings(currentUser(req), req.body),
  });

  app.get('/agents/me/board', {
    config: { access: ['staff', 'leader', 'manager', 'supervisor'] },
    schema: { tags: ['agents'], summary: '我的代办看板（关联了本人账号的代办员）', response: { 200: AgentBoard } },
    handler: async (req) => agents.board(currentUser(req), 'me'),
  });

  app.get('/agents/:id/board', {
    config: { access: READERS },
    schema: { tags: ['agents'], summary: '代办员看板：承接的办件、红黄灯、期限、待取材料和待送结果', params: AgentIdParams, response: { 200: AgentBoard } },
    handler: async (req) => agents.board(currentUser(req), req.params.id),
  });

  app.post('/agents/:id/trainings', {
    config: { access: ['manager'] },
    schema: { tags: ['agents'], summary: '登记培训记录（课程、日期、证书）', params: AgentIdParams, body: TrainingInput, response: { 201: AgentView } },
    handler: async (req, reply) => reply.code(201).send(await agents.addTraining(currentUser(req), req.params.id, req.body)),
  });

  app.put('/agents/:id/status', {
    config: { access: ['manager'] },
    schema: { tags: ['agents'], summary: '代办员在岗或暂停', params: AgentIdParams, body: AgentStatusInput, response: { 200: AgentView } },
    handler: async (req) => agents.setStatus(currentUser(req), req.params.id, req.body),
  });

  app.put('/cases/:caseNumber/agent', {
    config: { access: ['staff', 'leader', 'manager'] },
    schema: {
      tags: ['agents'],
      summary: '指定承接办件的代办员（null 为取消）',
      params: z.object({ caseNumber: z.string().max(40) }),
      body: CaseAgentInput,
      response: { 200: z.object({ caseNumber: z.string(), agent: AgentView.nullable() }) },
    },
    handler: async (req) => agents.linkCase(currentUser(req), req.params.caseNumber, req.body.agentId),
  });
}
