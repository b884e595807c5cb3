import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Api } from '../server/http.js';
import { DateString, IdParams } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { recordAudit } from '../audit/audit.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { users, userWindows } from '../auth/tables.js';
import { contentDisposition } from '../catalog/attachments.js';
import { publicHallId } from '../org/hall-scope.js';
import { halls } from '../org/tables.js';
import { APPEAL_STATUSES } from './appeal-states.js';
import { createAppealService } from './appeals.js';
import { createHallTimes, parseFeedbackSettings } from './common.js';
import { createComplaintService } from './complaints.js';
import { createFollowupService } from './followups.js';
import { ratingIndicators } from './indicators.js';
import { appealRanking, rankingXlsx } from './rankings.js';
import { createOpen311Keys, registerOpen311Routes } from './open311.js';
import { createPetitionService } from './petitions.js';
import { createRatingService, windowsOf } from './ratings.js';
import {
  AppealActionInput,
  AppealInput,
  AppealType,
  CategoryInput,
  ComplaintAnswer,
  ComplaintInput,
  DisputeDecision,
  DisputeInput,
  FeedbackSettings,
  FollowupActionInput,
  Grade,
  ImpossibleFinding,
  IndicatorsQuery,
  InvitationInput,
  MonthQuery,
  Open311KeyInput,
  OpeningInput,
  PetitionAnswer,
  PetitionInput,
  PublicAppealInput,
  PublicAppealQuery,
  PublicComplaintInput,
  RankingQuery,
  RatingCreated,
  RatingEdit,
  RatingFormInput,
  RatingInput,
  ReceptionInput,
  ReceptionUpdate,
  SubjectQuery,
  SuggestionAnswer,
  SuggestionFix,
  SuggestionInput,
} from './schemas.js';
import { createSuggestionService } from './suggestions.js';

const OFFICE = ['manager', 'supervisor'] as const;
const OVERSIGHT = ['manager', 'supervisor', 'leader'] as const;
const WINDOW_STAFF = ['staff', 'leader', 'manager'] as const;
const HallQuery = z.object({ hall: z.string().max(16).optional() });
const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/** The feedback services, built once per app: routes under /api/v1 and the Open311 face share them. */
export function createFeedback(ctx: AppContext) {
  const times = createHallTimes(ctx);
  return {
    times,
    ratings: createRatingService(ctx, times),
    followups: createFollowupService(ctx, times),
    complaints: createComplaintService(ctx, times),
    petitions: createPetitionService(ctx, times),
    suggestions: createSuggestionService(ctx, times),
    appeals: createAppealService(ctx, times),
    open311Keys: createOpen311Keys(ctx),
  };
}
export type Feedback = ReturnType<typeof createFeedback>;

export function registerFeedbackRoutes(app: Api, ctx: AppContext, f: Feedback): void {
  const { db } = ctx;
  const tags = ['feedback'];

  // ---- Ratings ------------------------------------------------------------------------------------------
  app.post('/ratings', {
    config: { access: 'public' },
    schema: { tags, summary: '评价（一次一评：号票、办件；一事一评：事项；短信链接、窗口评价器）', body: RatingInput, querystring: HallQuery, response: { 201: RatingCreated } },
    handler: async (req, reply) => reply.code(201).send(await f.ratings.rate(req.user, req.body, () => publicHallId(db, req))),
  });

  app.get('/ratings/subject', {
    config: { access: 'public' },
    schema: { tags, summary: '评价页：所评价的服务及能否评价', querystring: SubjectQuery },
    handler: async (req) => f.ratings.subject(req.user, req.query, () => publicHallId(db, req)),
  });

  app.patch('/ratings/:id', {
    config: { access: 'public' },
    schema: { tags, summary: '评价人在可修改时间内修改评价（凭评价时给出的修改凭证）', params: IdParams, body: RatingEdit },
    handler: async (req) => f.ratings.edit(req.params.id, req.body),
  });

  app.get('/ratings/qr', {
    config: { access: 'public' },
    schema: { tags, summary: '评价二维码（号票公开；办件须工作人员生成，含一次性签名）', querystring: z.object({ ticket: z.uuid().optional(), case: z.string().max(64).optional() }) },
    handler: async (req) => f.ratings.qr(req.user, req.query, origin(req)),
  });

  app.post('/ratings/forms', {
    config: { access: OFFICE },
    schema: { tags, summary: '录入书面评价表', body: RatingFormInput },
    handler: async (req, reply) => reply.code(201).send(await f.ratings.enterForm(currentUser(req), req.body)),
  });

  app.post('/ratings/invitations', {
    config: { access: [...WINDOW_STAFF, 'supervisor'] },
    schema: { tags, summary: '短信发送评价链接（一次性签名）', body: InvitationInput },
    handler: async (req, reply) => reply.code(201).send(await f.ratings.invite(currentUser(req), req.body, origin(req))),
  });

  app.get('/ratings', {
    config: { access: [...OVERSIGHT, 'staff'] },
    schema: {
      tags,
      summary: '评价记录（督查、管理看全中心；部门负责人看本部门；窗口人员看本人）',
      querystring: z.object({ month: IndicatorsQuery.shape.month.optional(), grade: Grade.optional(), windowId: z.uuid().optional(), mine: z.stringbool().optional() }),
    },
    handler: async (req) => f.ratings.list(currentUser(req), req.query),
  });

  app.post('/ratings/:id/disputes', {
    config: { access: ['staff', 'leader'] },
    schema: { tags, summary: '差评申诉复核', params: IdParams, body: DisputeInput },
    handler: async (req, reply) => reply.code(201).send(await f.ratings.dispute(currentUser(req), req.params.id, req.body)),
  });

  app.get('/rating-disputes', {
    config: { access: OFFICE },
    schema: { tags, summary: '差评申诉', querystring: z.object({ status: z.enum(['pending', 'decided', 'all']).default('pending') }) },
    handler: async (req) => f.ratings.disputes(currentUser(req), req.query.status),
  });

  app.post('/rating-disputes/:id/decision', {
    config: { access: ['supervisor'] },
    schema: { tags, summary: '复核差评申诉（成立则该评价不计入指标）', params: IdParams, body: DisputeDecision },
    handler: async (req) => f.ratings.decideDispute(currentUser(req), req.params.id, req.body),
  });

  app.get('/pads', {
    config: { access: WINDOW_STAFF },
    schema: { tags, summary: '本人可打开评价器的窗口' },
    handler: async (req) => windowsOf(db, currentUser(req).id),
  });

  app.get('/pads/:id', {
    config: { access: WINDOW_STAFF },
    schema: { tags, summary: '窗口评价器：本窗口刚办结、待评价的号票', params: IdParams },
    handler: async (req) => f.ratings.pad(currentUser(req), req.params.id),
  });

  // ---- Follow-ups of bad reviews ------------------------------------------------------------------------
  app.get('/followups', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '差评回访整改单（含期限与红黄灯）', querystring: z.object({ status: z.enum(['open', 'closed', 'all']).default('open') }) },
    handler: async (req) => f.followups.list(currentUser(req), req.query.status),
  });

  app.get('/followups/:id', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '整改单详情与处理记录', params: IdParams },
    handler: async (req) => f.followups.get(currentUser(req), req.params.id),
  });

  app.post('/followups/:id/actions', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '办理整改单：核实、整改、延期、审批、答复办结', params: IdParams, body: FollowupActionInput },
    handler: async (req) => f.followups.act(currentUser(req), req.params.id, req.body),
  });

  // ---- Indicators and settings --------------------------------------------------------------------------
  app.get('/feedback/indicators', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '好差评指标（按窗口或部门，按月）', querystring: IndicatorsQuery },
    handler: async (req) => {
      const user = currentUser(req);
      const m = await ratingIndicators(db, user.hallId, req.query.month, ctx.clock.now());
      return { month: m.month, by: req.query.by, unratedCountsBasic: m.unratedCountsBasic, totals: m.totals, rows: req.query.by === 'window' ? m.byWindow : m.byDepartment };
    },
  });

  app.get('/feedback/appeal-rankings', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '12345 诉求办理红黑榜（按月；单位按派单量、满意率、按时签收、退回、重办、按时办结评分；format=xlsx 为 Excel）', querystring: RankingQuery },
    handler: async (req, reply) => {
      const ranking = await appealRanking(db, currentUser(req).hallId, req.query.month);
      if (req.query.format === 'json') return ranking;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDisposition(`12345红黑榜-${req.query.month}.xlsx`, false))
        .send(await rankingXlsx(ranking));
    },
  });

  app.get('/feedback/settings', {
    config: { access: OFFICE },
    schema: { tags, summary: '好差评、投诉、信访、意见箱、诉求的时限设置' },
    handler: async (req) => {
      const [hall] = await db.select({ settings: halls.settings }).from(halls).where(eq(halls.id, currentUser(req).hallId));
      return parseFeedbackSettings(hall?.settings.feedback);
    },
  });

  app.put('/feedback/settings', {
    config: { access: ['manager'] },
    schema: { tags, summary: '修改时限设置', body: FeedbackSettings },
    handler: async (req) => {
      const user = currentUser(req);
      await db.transaction(async (tx) => {
        const [hall] = await tx.select({ settings: halls.settings }).from(halls).where(eq(halls.id, user.hallId)).for('update');
        await tx
          .update(halls)
          .set({ settings: sql`jsonb_set(${halls.settings}, '{feedback}', ${JSON.stringify(req.body)}::jsonb)` })
          .where(eq(halls.id, user.hallId));
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'feedback.settings_set', entityType: 'hall', entityId: user.hallId, before: hall?.settings.feedback ?? null, after: req.body });
      });
      return req.body;
    },
  });

  /** Staff for the desks' pickers (whom a complaint is about, who receives a petitioner): names and posts only. */
  app.get('/feedback/people', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '人员（用于选择被投诉人、接访领导）' },
    handler: async (req) => {
      const rows = await db
        .select({
          id: users.id,
          displayName: users.displayName,
          roles: users.roles,
          departmentId: users.departmentId,
          windowIds: sql<string[]>`coalesce(array_agg(${userWindows.windowId}::text) filter (where ${userWindows.windowId} is not null), '{}')`,
        })
        .from(users)
        .leftJoin(userWindows, eq(userWindows.userId, users.id))
        .where(and(eq(users.hallId, currentUser(req).hallId), eq(users.active, true)))
        .groupBy(users.id)
        .orderBy(asc(users.displayName));
      return rows;
    },
  });

  // ---- Complaints ---------------------------------------------------------------------------------------
  app.post('/complaints', {
    config: { access: [...OVERSIGHT, 'staff'] },
    schema: { tags, summary: '登记投诉或“办不成事”（现场、电话、书面）', body: ComplaintInput },
    handler: async (req, reply) => reply.code(201).send(await f.complaints.register(currentUser(req), req.body)),
  });

  app.post('/public/complaints', {
    config: { access: 'public' },
    schema: { tags, summary: '网上投诉', body: PublicComplaintInput, querystring: HallQuery },
    handler: async (req, reply) => reply.code(201).send(await f.complaints.registerOnline(await publicHallId(db, req), req.body)),
  });

  app.get('/complaints', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '投诉台账（投诉人仅督查人员可见）', querystring: z.object({ status: z.enum(['open', 'answered', 'all']).default('open') }) },
    handler: async (req) => f.complaints.list(currentUser(req), req.query.status),
  });

  app.post('/complaints/:id/answer', {
    config: { access: OFFICE },
    schema: { tags, summary: '答复投诉（处理结果短信告知投诉人，认定结果记入窗口与人员）', params: IdParams, body: ComplaintAnswer },
    handler: async (req) => f.complaints.answer(currentUser(req), req.params.id, req.body),
  });

  app.post('/complaints/:id/impossible', {
    config: { access: OFFICE },
    schema: { tags, summary: '认定“办不成事”确属办不成（写明理由和依据），起算答复期限', params: IdParams, body: ImpossibleFinding },
    handler: async (req) => f.complaints.findImpossible(currentUser(req), req.params.id, req.body),
  });

  app.get('/complaints/cannot-get-done', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '“办不成事”台账：当月受理、已办成、确属办不成（含理由）、已转办', querystring: MonthQuery },
    handler: async (req) => f.complaints.ledger(currentUser(req), req.query.month),
  });

  // ---- Petitions ----------------------------------------------------------------------------------------
  app.post('/petitions', {
    config: { access: OFFICE },
    schema: { tags, summary: '信访登记（群体访立即报告）', body: PetitionInput },
    handler: async (req, reply) => reply.code(201).send(await f.petitions.register(currentUser(req), req.body)),
  });

  app.get('/petitions', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '信访台账', querystring: z.object({ status: z.enum(['open', 'answered', 'all']).default('all') }) },
    handler: async (req) => f.petitions.list(currentUser(req), req.query.status),
  });

  app.get('/petitions/:id', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '信访详情', params: IdParams },
    handler: async (req) => f.petitions.get(currentUser(req), req.params.id),
  });

  app.post('/petitions/:id/answer', {
    config: { access: OFFICE },
    schema: { tags, summary: '答复信访', params: IdParams, body: PetitionAnswer },
    handler: async (req) => f.petitions.answer(currentUser(req), req.params.id, req.body),
  });

  app.post('/petitions/:id/receptions', {
    config: { access: OFFICE },
    schema: { tags, summary: '安排领导接访', params: IdParams, body: ReceptionInput },
    handler: async (req, reply) => reply.code(201).send(await f.petitions.scheduleReception(currentUser(req), req.params.id, req.body)),
  });

  app.post('/petition-receptions/:id', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '登记接访结果', params: IdParams, body: ReceptionUpdate },
    handler: async (req) => f.petitions.updateReception(currentUser(req), req.params.id, req.body),
  });

  // ---- Suggestion box and comment book -----------------------------------------------------------------
  app.post('/suggestions', {
    config: { access: OFFICE },
    schema: { tags, summary: '登记意见箱、意见簿的意见', body: SuggestionInput },
    handler: async (req, reply) => reply.code(201).send(await f.suggestions.record(currentUser(req), req.body)),
  });

  app.post('/public/suggestions', {
    config: { access: 'public' },
    schema: { tags, summary: '网上留言建议', body: SuggestionInput.pick({ content: true, contactName: true, contactPhone: true }), querystring: HallQuery },
    handler: async (req, reply) => {
      const s = await f.suggestions.recordOnline(await publicHallId(db, req), { ...req.body, source: 'online' });
      return reply.code(201).send({ number: s.number, answerDueAt: s.answerDueAt });
    },
  });

  app.get('/suggestions', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '意见台账', querystring: z.object({ status: z.enum(['open', 'answered', 'done', 'all']).default('all') }) },
    handler: async (req) => f.suggestions.list(currentUser(req), req.query.status),
  });

  app.post('/suggestions/:id/answer', {
    config: { access: OFFICE },
    schema: { tags, summary: '答复意见', params: IdParams, body: SuggestionAnswer },
    handler: async (req) => f.suggestions.answer(currentUser(req), req.params.id, req.body),
  });

  app.post('/suggestions/:id/fix', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '登记整改', params: IdParams, body: SuggestionFix },
    handler: async (req) => f.suggestions.fix(currentUser(req), req.params.id, req.body),
  });

  app.post('/suggestion-openings', {
    config: { access: OFFICE },
    schema: { tags, summary: '登记开箱（每个工作日）', body: OpeningInput },
    handler: async (req, reply) => reply.code(201).send(await f.suggestions.recordOpening(currentUser(req), req.body)),
  });

  app.get('/suggestion-openings', {
    config: { access: OVERSIGHT },
    schema: { tags, summary: '开箱记录及漏开的工作日', querystring: z.object({ from: DateString, to: DateString }) },
    handler: async (req) => f.suggestions.openings(currentUser(req), req.query.from, req.query.to),
  });

  // ---- Appeals (12345) ----------------------------------------------------------------------------------
  app.post('/public/appeals', {
    config: { access: 'public' },
    schema: { tags, summary: '网上诉求（12345 式：咨询、求助、投诉、举报、建议），凭受理编号和手机号后四位查询', body: PublicAppealInput, querystring: HallQuery },
    handler: async (req, reply) => reply.code(201).send(await f.appeals.filePublic(await publicHallId(db, req), req.body)),
  });

  app.get('/public/appeals/:number', {
    config: { access: 'public' },
    schema: { tags, summary: '查询网上诉求的办理情况（受理编号 + 手机号后四位）', params: z.object({ number: z.string().max(40) }), querystring: PublicAppealQuery },
    handler: async (req) => f.appeals.publicStatus(await publicHallId(db, req), req.params.number, req.query.phoneLast4),
  });

  app.post('/appeals', {
    config: { access: OFFICE },
    schema: { tags, summary: '受理诉求（可同时派发）', body: AppealInput },
    handler: async (req, reply) => reply.code(201).send(await f.appeals.register(currentUser(req), req.body)),
  });

  app.get('/appeals', {
    config: { access: OFFICE },
    schema: { tags, summary: '诉求受理台', querystring: z.object({ status: z.enum(APPEAL_STATUSES).optional(), type: AppealType.optional(), open: z.stringbool().optional() }) },
    handler: async (req) => f.appeals.list(currentUser(req), req.query),
  });

  app.get('/appeals/inbox', {
    config: { access: ['leader', 'staff'] },
    schema: { tags, summary: '本部门待签收、办理中的诉求' },
    handler: async (req) => f.appeals.inbox(currentUser(req)),
  });

  app.get('/appeals/revisits', {
    config: { access: OFFICE },
    schema: { tags, summary: '回访台账' },
    handler: async (req) => f.appeals.revisits(currentUser(req)),
  });

  app.get('/appeals/:id', {
    config: { access: [...OVERSIGHT, 'staff'] },
    schema: { tags, summary: '诉求详情与全部处理记录', params: IdParams },
    handler: async (req) => f.appeals.get(currentUser(req), req.params.id),
  });

  app.post('/appeals/:id/actions', {
    config: { access: [...OVERSIGHT, 'staff'] },
    schema: { tags, summary: '派发、签收、退回、上报、延期、答复、回访', params: IdParams, body: AppealActionInput },
    handler: async (req) => f.appeals.act(currentUser(req), req.params.id, req.body),
  });

  app.get('/appeal-categories', {
    config: { access: [...OVERSIGHT, 'staff'] },
    schema: { tags, summary: '诉求分类（即 Open311 服务）' },
    handler: async (req) => f.appeals.categories(currentUser(req).hallId),
  });

  app.post('/appeal-categories', {
    config: { access: ['manager'] },
    schema: { tags, summary: '新增诉求分类', body: CategoryInput },
    handler: async (req, reply) => reply.code(201).send(await f.appeals.saveCategory(currentUser(req), req.body)),
  });

  app.put('/appeal-categories/:id', {
    config: { access: ['manager'] },
    schema: { tags, summary: '修改诉求分类', params: IdParams, body: CategoryInput },
    handler: async (req) => f.appeals.saveCategory(currentUser(req), req.body, req.params.id),
  });

  app.get('/open311/keys', {
    config: { access: ['manager'] },
    schema: { tags, summary: 'Open311 接口密钥' },
    handler: async (req) => f.open311Keys.list(currentUser(req)),
  });

  app.post('/open311/keys', {
    config: { access: ['manager'] },
    schema: { tags, summary: '新建 Open311 接口密钥（只显示这一次）', body: Open311KeyInput },
    handler: async (req, reply) => reply.code(201).send(await f.open311Keys.create(currentUser(req), req.body.name)),
  });

  app.post('/open311/keys/:id/revoke', {
    config: { access: ['manager'] },
    schema: { tags, summary: '停用 Open311 接口密钥', params: IdParams },
    handler: async (req) => f.open311Keys.revoke(currentUser(req), req.params.id),
  });
}

/** The Open311 GeoReport v2 face of appeals, on the root app (not under /api/v1). */
export function registerFeedbackOpen311(app: FastifyInstance, ctx: AppContext, f: Feedback): Promise<void> {
  return registerOpen311Routes(app, ctx, f.appeals, f.times);
}
