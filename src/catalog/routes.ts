import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { Api } from '../server/http.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { publicHallId } from '../org/hall-scope.js';
import { Id } from '../org/schemas.js';
import { validationFailed } from '../server/errors.js';
import { ATTACHMENT_TYPES, contentDisposition, MAX_ATTACHMENT_BYTES } from './attachments.js';
import {
  Attachment,
  Category,
  CompletenessReport,
  DraftInfo,
  GuideContent,
  ImportReport,
  MaterialId,
  OneTimeNotice,
  ServiceCode,
  ServiceDetail,
  ServiceInput,
  ServiceSettings,
  ServiceSummary,
  SettingsView,
  SixDisclosures,
  StaffListItem,
  StaffView,
  VersionView,
} from './schemas.js';
import { newServiceOf, type CatalogService } from './service.js';

const EDITORS = ['admin', 'manager'] as const;
const ALL_STAFF = ['admin', 'manager', 'leader', 'staff', 'supervisor'] as const;
const REVIEWERS = ['admin', 'manager', 'leader', 'supervisor'] as const;
const EXPORTERS = ['admin', 'manager', 'supervisor'] as const;

const CodeParams = z.object({ code: ServiceCode });
const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const Of = z.enum(['latest', 'published']);
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Bodies taken as raw bytes: attachment uploads and spreadsheet imports. */
const BINARY_TYPES = [...new Set(Object.values(ATTACHMENT_TYPES)), 'application/octet-stream'];

const CatalogQuery = z.object({
  q: z.string().max(100, '搜索词过长').optional(),
  /** A department id or its exact name. */
  department: z.string().max(60).optional(),
  category: Category.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
  hall: z.string().max(16).optional(),
});

export function registerCatalogRoutes(app: Api, catalog: CatalogService, db: Db): void {
  // ---- Public: the catalogue, guides, notices, 六公开 ----

  app.get('/services', {
    config: { access: 'public' },
    schema: {
      tags: ['catalogue'],
      summary: '事项目录与搜索（名称、部门、关键词、拼音首字母），总数在 X-Total-Count',
      querystring: CatalogQuery,
      response: { 200: z.array(ServiceSummary) },
    },
    handler: async (req, reply) => {
      const hallId = await publicHallId(db, req);
      const { q, department, category, limit, offset } = req.query;
      const byId = department && Id.safeParse(department).success;
      const result = await catalog.search(hallId, { q, category, limit, offset, departmentId: byId ? department : undefined, departmentName: byId ? undefined : department });
      reply.header('x-total-count', String(result.total));
      return result.items;
    },
  });

  app.get('/services/:code', {
    config: { access: 'public' },
    schema: { tags: ['catalogue'], summary: '办事指南（已发布版本）', params: CodeParams, querystring: z.object({ hall: z.string().max(16).optional() }), response: { 200: ServiceDetail } },
    handler: async (req) => catalog.publicDetail(await publicHallId(db, req), req.params.code),
  });

  app.get('/services/:code/notice', {
    config: { access: 'public' },
    schema: {
      tags: ['catalogue'],
      summary: '一次性告知单（打印用，含回到网上指南的二维码）',
      params: CodeParams,
      querystring: z.object({ hall: z.string().max(16).optional() }),
      response: { 200: OneTimeNotice },
    },
    handler: async (req) => catalog.notice(await publicHallId(db, req), req.params.code, `${req.protocol}://${req.host}`, req.query.hall),
  });

  app.get('/catalog/six-disclosures', {
    config: { access: 'public' },
    schema: { tags: ['catalogue'], summary: '六公开：部门、事项、程序、材料、时限、收费', querystring: z.object({ hall: z.string().max(16).optional() }), response: { 200: SixDisclosures } },
    handler: async (req) => catalog.sixDisclosures(await publicHallId(db, req)),
  });

  app.get('/catalog/attachments/:id', {
    config: { access: 'public' },
    schema: { tags: ['catalogue'], summary: '下载附件（已发布指南引用的附件公开；本中心工作人员可下载全部）', params: z.object({ id: Id }), querystring: z.object({ download: Flag.optional() }) },
    handler: async (req, reply) => {
      const file = await catalog.attachment(req.params.id, req.user?.hallId ?? null);
      const inline = !req.query.download && (file.mimeType === 'application/pdf' || file.mimeType.startsWith('image/'));
      return reply
        .type(file.mimeType)
        .header('content-disposition', contentDisposition(file.filename, inline))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=300')
        .send(file.data);
    },
  });

  // ---- Staff: items, drafts, publishing ----

  app.post('/services', {
    config: { access: EDITORS },
    schema: { tags: ['catalogue'], summary: '新增事项（默认同时发布第 1 版指南；publish:false 则为草稿）', body: ServiceInput, response: { 201: ServiceDetail } },
    handler: async (req, reply) => {
      const user = currentUser(req);
      return reply.code(201).send(await catalog.create(actorOf(user), user.hallId, newServiceOf(req.body)));
    },
  });

  app.get('/catalog/services', {
    config: { access: ALL_STAFF },
    schema: {
      tags: ['catalogue'],
      summary: '事项管理列表（含草稿与未发布事项，标出缺少的指南要素）',
      querystring: z.object({ q: z.string().max(100).optional(), departmentId: Id.optional() }),
      response: { 200: z.array(StaffListItem) },
    },
    handler: async (req) => catalog.staffList(currentUser(req).hallId, req.query),
  });

  app.get('/catalog/services/:code', {
    config: { access: ALL_STAFF },
    schema: { tags: ['catalogue'], summary: '事项详情：现行版本、草稿、历史版本、附件、完整性', params: CodeParams, response: { 200: StaffView } },
    handler: async (req) => catalog.staffView(currentUser(req).hallId, req.params.code),
  });

  app.get('/catalog/services/:code/versions/:version', {
    config: { access: ALL_STAFF },
    schema: {
      tags: ['catalogue'],
      summary: '某一历史版本的指南',
      params: CodeParams.extend({ version: z.coerce.number().int().min(1) }),
      response: { 200: VersionView },
    },
    handler: async (req) => catalog.version(currentUser(req).hallId, req.params.code, req.params.version),
  });

  app.put('/catalog/services/:code/draft', {
    config: { access: EDITORS },
    schema: { tags: ['catalogue'], summary: '保存草稿（修改已发布的指南即产生草稿）', params: CodeParams, body: GuideContent, response: { 200: DraftInfo } },
    handler: async (req) => {
      const user = currentUser(req);
      return catalog.saveDraft(actorOf(user), user.hallId, req.params.code, req.body);
    },
  });

  app.put('/catalog/services/:code/draft/material-order', {
    config: { access: EDITORS },
    schema: {
      tags: ['catalogue'],
      summary: '调整申请材料顺序（写入草稿）',
      params: CodeParams,
      body: z.object({ ids: z.array(MaterialId).max(100) }),
      response: { 200: DraftInfo },
    },
    handler: async (req) => {
      const user = currentUser(req);
      return catalog.reorderMaterials(actorOf(user), user.hallId, req.params.code, req.body.ids);
    },
  });

  app.delete('/catalog/services/:code/draft', {
    config: { access: EDITORS },
    schema: { tags: ['catalogue'], summary: '放弃草稿', params: CodeParams },
    handler: async (req, reply) => {
      const user = currentUser(req);
      await catalog.discardDraft(actorOf(user), user.hallId, req.params.code);
      return reply.code(204).send();
    },
  });

  app.post('/catalog/services/:code/publish', {
    config: { access: EDITORS },
    schema: {
      tags: ['catalogue'],
      summary: '发布草稿为新版本（保留历史版本）',
      params: CodeParams,
      body: z.object({ note: z.string().trim().max(200, '发布说明不能超过 200 个字').default('') }).optional(),
      response: { 200: ServiceDetail },
    },
    handler: async (req) => {
      const user = currentUser(req);
      return catalog.publish(actorOf(user), user.hallId, req.params.code, req.body?.note ?? '');
    },
  });

  app.patch('/catalog/services/:code/settings', {
    config: { access: EDITORS },
    schema: { tags: ['catalogue'], summary: '排队、预约、绿色通道设置（立即生效）', params: CodeParams, body: ServiceSettings, response: { 200: SettingsView } },
    handler: async (req) => {
      const user = currentUser(req);
      return catalog.updateSettings(actorOf(user), user.hallId, req.params.code, req.body);
    },
  });

  app.delete('/catalog/attachments/:id', {
    config: { access: EDITORS },
    schema: { tags: ['catalogue'], summary: '删除未被任何版本引用的附件', params: z.object({ id: Id }) },
    handler: async (req, reply) => {
      const user = currentUser(req);
      await catalog.deleteAttachment(actorOf(user), user.hallId, req.params.id);
      return reply.code(204).send();
    },
  });

  app.get('/catalog/completeness', {
    config: { access: REVIEWERS },
    schema: {
      tags: ['catalogue'],
      summary: '目录完整性检查：按部门列出缺少八项要素的事项（默认检查最新内容，含草稿）',
      querystring: z.object({ departmentId: Id.optional(), of: Of.default('latest') }),
      response: { 200: CompletenessReport },
    },
    handler: async (req) => catalog.completeness(currentUser(req).hallId, req.query),
  });

  app.get('/catalog/export', {
    config: { access: EXPORTERS },
    schema: {
      tags: ['catalogue'],
      summary: '导出整个事项目录（Excel 或 JSON）',
      querystring: z.object({ format: z.enum(['xlsx', 'json']).default('xlsx'), of: Of.default('published') }),
    },
    handler: async (req, reply) => {
      const file = await catalog.exportCatalog(currentUser(req).hallId, req.query.format, req.query.of);
      return reply.type(file.mimeType).header('content-disposition', contentDisposition(file.filename, false)).send(file.data);
    },
  });

  // Raw bodies (uploads, spreadsheets) in their own scope, so the rest of the API keeps JSON only.
  app.register(async (raw) => {
    const scope = raw.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(BINARY_TYPES, { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));

    scope.post('/catalog/services/:code/attachments', {
      config: { access: EDITORS },
      bodyLimit: MAX_ATTACHMENT_BYTES + 1024,
      schema: {
        tags: ['catalogue'],
        summary: '上传附件（空白表格、示例样表、流程图）：请求体为文件本身，文件名在 filename 参数',
        params: CodeParams,
        querystring: z.object({ filename: z.string().min(1, '请提供文件名').max(200) }),
        response: { 201: Attachment },
      },
      handler: async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) throw validationFailed('请以文件内容作为请求体上传（PDF、图片、Word 或 Excel）');
        const user = currentUser(req);
        return reply.code(201).send(await catalog.uploadAttachment(actorOf(user), user.hallId, req.params.code, req.query.filename, req.body));
      },
    });

    scope.post('/catalog/import', {
      config: { access: EDITORS },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['catalogue'],
        summary: '导入事项目录（.xlsx 或 JSON）；有任何错误则全部不导入并逐行列出；dryRun=true 只检查',
        querystring: z.object({ dryRun: Flag.default(false), publish: Flag.default(true) }),
        response: { 200: ImportReport },
      },
      handler: async (req) => {
        const user = currentUser(req);
        const file = Buffer.isBuffer(req.body) ? { format: 'xlsx' as const, bytes: req.body } : { format: 'json' as const, body: req.body };
        return catalog.importCatalog(actorOf(user), user.hallId, file, req.query);
      },
    });
  });
}
