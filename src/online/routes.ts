import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../auth/guard.js';
import { bearerToken } from '../auth/service.js';
import { contentDisposition } from '../catalog/attachments.js';
import { MaterialId } from '../catalog/schemas.js';
import { publicHallId } from '../org/hall-scope.js';
import type { AppContext } from '../server/context.js';
import { validationFailed } from '../server/errors.js';
import type { Api } from '../server/http.js';
import {
  AnswerInput,
  ApplicationListItem,
  ApplicationView,
  CodeRequest,
  CodeSent,
  DraftInput,
  FileView,
  Inbox,
  InboxQuery,
  NewApplication,
  OnlineService,
  Profile,
  ProfileInput,
  ReviewInput,
  Session,
  SignIn,
} from './schemas.js';
import { createOnlineService } from './service.js';
import { MAX_UPLOAD_BYTES } from './uploads.js';

// Applicant routes are 'public' to the staff guard: the applicant's own session (phone + one-time code,
// sent as a Bearer token) is checked by the service, and a missing or expired one is 401.
const tags = ['online'];
const REVIEWERS = ['staff', 'leader', 'manager'] as const;
const INBOX_READERS = ['staff', 'leader', 'manager', 'supervisor'] as const;
const Id = z.object({ id: z.uuid({ message: '编号格式不正确' }) });
const HallQuery = z.object({ hall: z.string().max(16).optional() });

const tokenOf = (req: { headers: { authorization?: string } }) => bearerToken(req.headers.authorization);
const originOf = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}`;

export function registerOnlineRoutes(app: Api, ctx: AppContext): void {
  const online = createOnlineService(ctx);

  // ---- sign-in with phone and a one-time code (the rate limits of public endpoints live in src/server)

  app.post('/online/codes', {
    config: { access: 'public' },
    schema: { tags, summary: '网上办事：发送登录验证码（短信）', body: CodeRequest, querystring: HallQuery, response: { 201: CodeSent } },
    handler: async (req, reply) => reply.code(201).send(await online.sendCode(await publicHallId(ctx.db, req), req.body.phone)),
  });

  app.post('/online/sessions', {
    config: { access: 'public' },
    schema: { tags, summary: '网上办事：手机号 + 验证码登录（无需密码，会话 2 小时后失效）', body: SignIn, querystring: HallQuery, response: { 201: Session } },
    handler: async (req, reply) => reply.code(201).send(await online.signIn(await publicHallId(ctx.db, req), req.body.phone, req.body.code)),
  });

  app.delete('/online/sessions/current', {
    config: { access: 'public' },
    schema: { tags, summary: '网上办事：退出登录' },
    handler: async (req, reply) => {
      await online.signOut(tokenOf(req));
      return reply.code(204).send();
    },
  });

  app.get('/online/me', {
    config: { access: 'public' },
    schema: { tags, summary: '网上办事：我的实名信息（号码已遮盖）', response: { 200: Profile } },
    handler: async (req) => online.profile(tokenOf(req)),
  });

  app.put('/online/me', {
    config: { access: 'public' },
    schema: { tags, summary: '网上办事：填写实名信息（个人：姓名、身份证号码；单位：名称、统一社会信用代码、联系人）', body: ProfileInput, response: { 200: Profile } },
    handler: async (req) => online.updateProfile(tokenOf(req), req.body),
  });

  app.get('/online/services', {
    config: { access: 'public' },
    schema: { tags, summary: '可网上申报的事项', querystring: HallQuery, response: { 200: z.array(OnlineService) } },
    handler: async (req) => online.onlineServices(await publicHallId(ctx.db, req)),
  });

  // ---- the applicant's applications

  app.get('/online/applications', {
    config: { access: 'public' },
    schema: { tags, summary: '我的申请', response: { 200: z.array(ApplicationListItem) } },
    handler: async (req) => online.mine(tokenOf(req)),
  });

  app.post('/online/applications', {
    config: { access: 'public' },
    schema: { tags, summary: '新建申请（草稿）', body: NewApplication, response: { 201: ApplicationView } },
    handler: async (req, reply) => reply.code(201).send(await online.create(tokenOf(req), req.body.serviceCode)),
  });

  app.get('/online/applications/:id', {
    config: { access: 'public' },
    schema: { tags, summary: '申请详情：材料、自查结果、预审进度、办件与通知书', params: Id, response: { 200: ApplicationView } },
    handler: async (req) => online.get(tokenOf(req), req.params.id),
  });

  app.put('/online/applications/:id', {
    config: { access: 'public' },
    schema: { tags, summary: '保存草稿：申请说明、不适用的附条件材料、办理方式、代办员、送达方式', params: Id, body: DraftInput, response: { 200: ApplicationView } },
    handler: async (req) => online.saveDraft(tokenOf(req), req.params.id, req.body),
  });

  app.delete('/online/applications/:id/files/:fileId', {
    config: { access: 'public' },
    schema: { tags, summary: '删除尚未提交预审的文件', params: z.object({ id: z.uuid(), fileId: z.uuid() }) },
    handler: async (req, reply) => {
      await online.removeFile(tokenOf(req), req.params.id, req.params.fileId);
      return reply.code(204).send();
    },
  });

  app.post('/online/applications/:id/submit', {
    config: { access: 'public' },
    schema: { tags, summary: '提交申请：自查通过后收件登记，给出办件编号，窗口 5 个工作日内预审', params: Id, response: { 200: ApplicationView } },
    handler: async (req) => online.submit(tokenOf(req), req.params.id, { origin: originOf(req) }),
  });

  app.post('/online/applications/:id/answer', {
    config: { access: 'public' },
    schema: { tags, summary: '提交补正（按一次性告知的补正清单重新上传后）', params: Id, body: AnswerInput, response: { 200: ApplicationView } },
    handler: async (req) => online.answer(tokenOf(req), req.params.id, req.body.note),
  });

  app.get('/online/applications/:id/notices/:seq', {
    config: { access: 'public' },
    schema: { tags, summary: '下载通知书（受理、补正、退回）', params: z.object({ id: z.uuid(), seq: z.coerce.number().int().min(1) }) },
    handler: async (req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(await online.notice(tokenOf(req), req.params.id, req.params.seq)),
  });

  app.get('/online/files/:id', {
    config: { access: 'public' },
    schema: { tags, summary: '下载申请材料文件：仅本人（申请人会话）或有权限的本中心工作人员', params: Id },
    handler: async (req, reply) => {
      const file = await online.file(req.params.id, { user: req.user, applicant: req.user ? null : await online.authenticate(tokenOf(req)) });
      return reply
        .type(file.mimeType)
        .header('content-disposition', contentDisposition(file.filename, true))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(file.data));
    },
  });

  // ---- the window's pre-review

  app.get('/online/inbox', {
    config: { access: INBOX_READERS },
    schema: { tags, summary: '网上申报收件箱（按窗口、部门）：待预审的申请及 5 个工作日预审时限的红黄灯', querystring: InboxQuery, response: { 200: Inbox } },
    handler: async (req) => online.inbox(currentUser(req), req.query),
  });

  app.get('/online/inbox/:id', {
    config: { access: INBOX_READERS },
    schema: { tags, summary: '预审：申请详情', params: Id, response: { 200: ApplicationView } },
    handler: async (req) => online.staffGet(currentUser(req), req.params.id),
  });

  app.post('/online/inbox/:id/review', {
    config: { access: REVIEWERS },
    schema: { tags, summary: '预审结论：受理（自收到申请之日起计时）、一次性告知补正、退回（须说明理由）', params: Id, body: ReviewInput, response: { 200: ApplicationView } },
    handler: async (req) => online.review(currentUser(req), req.params.id, req.body, { origin: originOf(req) }),
  });

  // Uploads take the file itself as the body, in their own scope so the rest of the API keeps JSON only.
  app.register(async (raw) => {
    const scope = raw.withTypeProvider<ZodTypeProvider>();
    // Any declared type and a body limit above the upload limit: the service reads the bytes and answers a
    // wrong type or an oversized file with its own clear message rather than a bare 415 or 413.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES * 4 }, (_req, body, done) => done(null, body));
    scope.post('/online/applications/:id/materials/:materialId/files', {
      config: { access: 'public' },
      bodyLimit: MAX_UPLOAD_BYTES * 4,
      schema: {
        tags,
        summary: '上传一份材料的文件（PDF 或图片，不超过 5 MB）：请求体为文件本身，文件名在 filename 参数',
        params: z.object({ id: z.uuid({ message: '编号格式不正确' }), materialId: MaterialId }),
        querystring: z.object({ filename: z.string().min(1, '请提供文件名').max(200) }),
        response: { 201: FileView },
      },
      handler: async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) throw validationFailed('请以文件内容作为请求体上传（PDF 或图片）');
        return reply.code(201).send(await online.upload(tokenOf(req), req.params.id, req.params.materialId, req.query.filename, req.body));
      },
    });
  });
}
