import { z } from 'zod';
import { NetworkQuery } from '../org/schemas.js';
import type { Api } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { validationFailed } from '../server/errors.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { ServiceCode } from '../catalog/schemas.js';
import { createCaseService } from './service.js';
import { createFrontDbExport, ExportQuery, exportFilename, exportRange, toCsv, toJsonLines } from './exchange.js';
import { ActionInput, Board, CaseInbox, CaseInput, CaseList, CaseSettings, CaseStatus, CaseView, Checklist, DeskInfo, Light, PublicCase } from './schemas.js';

const DESK = ['staff', 'leader', 'manager'] as const;
const READERS = ['staff', 'leader', 'manager', 'supervisor'] as const;
const CaseParams = z.object({ caseNumber: z.string().max(40) });
const IdempotencyKey = z.string().trim().min(1).max(100).regex(/^[\x21-\x7e]+$/);

function idempotencyKey(headers: Record<string, unknown>): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = IdempotencyKey.safeParse(raw);
  if (!key.success) throw validationFailed('Idempotency-Key 请求头格式不正确', { header: 'Idempotency-Key' });
  return key.data;
}

const origin = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}`;

export function registerCaseRoutes(app: Api, ctx: AppContext): void {
  const cases = createCaseService(ctx);
  const frontDb = createFrontDbExport(ctx);

  app.post('/cases', {
    config: { access: DESK },
    schema: { tags: ['cases'], summary: '收件登记并作出受理决定（缺少必需材料时为补办件）', body: CaseInput, response: { 201: CaseView, 200: CaseView } },
    handler: async (req, reply) => {
      const result = await cases.receive(currentUser(req), req.body, { idempotencyKey: idempotencyKey(req.headers), origin: origin(req) });
      if (result.replayed) return reply.code(200).header('idempotent-replayed', 'true').send(result.view);
      return reply.code(201).send(result.view);
    },
  });

  app.get('/cases/export', {
    config: { access: ['manager'] },
    schema: {
      tags: ['cases'],
      summary: '导出办件到省级前置库：办件、办理过程、材料、结果、收费、评价各一表（JSON Lines 或 CSV；按受理日期最多 31 天，或 since 起的增量）',
      querystring: ExportQuery,
    },
    handler: async (req, reply) => {
      const { table, format } = req.query;
      const range = exportRange(req.query);
      const rows = await frontDb.exportTable(currentUser(req), table, range);
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFilename(table, range, format)}"`)
        .send(format === 'csv' ? toCsv(table, rows) : toJsonLines(table, rows));
    },
  });

  app.get('/cases', {
    config: { access: READERS },
    schema: {
      tags: ['cases'],
      summary: '办件列表（本窗口、本部门，中心管理和督查人员看全中心）',
      querystring: z.object({
        status: CaseStatus.optional(),
        light: Light.optional(),
        department: z.uuid().optional(),
        window: z.uuid().optional(),
        kind: z.enum(['immediate', 'promised', 'joint', 'supplement', 'returned', 'escalated']).optional(),
        due_before: z.string().max(40).optional(),
        q: z.string().trim().max(50).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).max(100_000).default(0),
      }),
      response: { 200: CaseList },
    },
    handler: async (req) => {
      const { due_before: dueBefore, ...filter } = req.query;
      return cases.list(currentUser(req), { ...filter, dueBefore });
    },
  });

  app.get('/cases/inbox', {
    config: { access: READERS },
    schema: {
      tags: ['cases'],
      summary: '上报件收件箱：下级中心转报本中心办理的办件（待签收在前；all=1 含已回传的）',
      querystring: z.object({ all: z.enum(['0', '1']).default('0') }),
      response: { 200: CaseInbox },
    },
    handler: async (req) => cases.inbox(currentUser(req), req.query.all === '1'),
  });

  app.get('/cases/board', {
    config: { access: ['leader', 'manager', 'supervisor'] },
    schema: {
      tags: ['cases'],
      summary: '红黄灯看板：部门（负责人）或全中心（中心管理办公室、督查人员）；hall、subtree=1 看下级中心或整个辖区',
      querystring: z.object({
        scope: z.enum(['department', 'hall']).default('department'),
        department: z.uuid().optional(),
        ...NetworkQuery.shape,
      }),
      response: { 200: Board },
    },
    handler: async (req) => cases.board(currentUser(req), req.query.scope, req.query.department, { hall: req.query.hall, subtree: req.query.subtree === '1' }),
  });

  app.get('/cases/desk', {
    config: { access: DESK },
    schema: { tags: ['cases'], summary: '收件台：我的窗口、可办事项、今日已叫号的号票', response: { 200: DeskInfo } },
    handler: async (req) => cases.desk(currentUser(req)),
  });

  app.get('/cases/checklist/:serviceCode', {
    config: { access: DESK },
    schema: { tags: ['cases'], summary: '收件材料清单（事项当前发布的办事指南）', params: z.object({ serviceCode: ServiceCode }), response: { 200: Checklist } },
    handler: async (req) => cases.checklist(currentUser(req), req.params.serviceCode),
  });

  app.get('/cases/settings', {
    config: { access: ['manager', 'leader', 'supervisor'] },
    schema: { tags: ['cases'], summary: '办件设置（红黄灯提前量、上报时限）', response: { 200: CaseSettings } },
    handler: async (req) => cases.settings(currentUser(req).hallId),
  });

  app.put('/cases/settings', {
    config: { access: ['manager'] },
    schema: { tags: ['cases'], summary: '修改办件设置', body: CaseSettings, response: { 200: CaseSettings } },
    handler: async (req) => {
      const user = currentUser(req);
      return cases.updateSettings(actorOf(user), user.hallId, req.body);
    },
  });

  app.get('/cases/:caseNumber', {
    config: { access: READERS },
    schema: { tags: ['cases'], summary: '办件详情及全部办理记录', params: CaseParams, response: { 200: CaseView } },
    handler: async (req) => cases.get(currentUser(req), req.params.caseNumber),
  });

  app.post('/cases/:caseNumber/actions', {
    config: { access: DESK },
    schema: { tags: ['cases'], summary: '办理操作（状态不允许时 409 INVALID_TRANSITION）', params: CaseParams, body: ActionInput, response: { 200: CaseView } },
    handler: async (req, reply) => {
      const result = await cases.act(currentUser(req), req.params.caseNumber, req.body, { idempotencyKey: idempotencyKey(req.headers), origin: origin(req) });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return result.view;
    },
  });

  app.get('/cases/:caseNumber/notices/:seq', {
    config: { access: READERS },
    schema: {
      tags: ['cases'],
      summary: '通知书（A4 打印页，按出具时的内容）',
      params: CaseParams.extend({ seq: z.coerce.number().int().min(1).max(1000) }),
    },
    handler: async (req, reply) => {
      const html = await cases.notice(currentUser(req), req.params.caseNumber, req.params.seq);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').send(html);
    },
  });

  app.get('/public/cases/:caseNumber', {
    config: { access: 'public' },
    schema: {
      tags: ['cases'],
      summary: '办件进度查询（申请人信息已遮蔽；附身份证号后四位可看办理详情）',
      params: CaseParams,
      querystring: z.object({ idLast4: z.string().regex(/^[0-9A-Za-z]{4}$/, '请输入证件号码最后四位').optional() }),
      response: { 200: PublicCase },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return cases.publicQuery(req.params.caseNumber, req.query.idLast4);
    },
  });
}
