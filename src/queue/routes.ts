import { z } from 'zod';
import type { Api } from '../server/http.js';
import { DateString, IdParams } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { DomainError, unauthenticated, validationFailed } from '../server/errors.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { PUBLIC_ACTOR } from '../audit/audit.js';
import { createCalendarService } from '../calendar/service.js';
import { publicHallId } from '../org/hall-scope.js';
import { ttlCache } from './cache.js';
import { createDisplayHub, sseEvent, type Screen } from './display.js';
import { createQueueService } from './service.js';
import {
  DisplayState,
  PauseInput,
  PublicTicket,
  QueueSettings,
  QueueStats,
  StaffTicket,
  StepsInput,
  TicketInput,
  TicketService,
  TransferInput,
} from './schemas.js';

const WINDOW_STAFF = ['staff', 'leader', 'manager'] as const;
const HallQuery = z.object({ hall: z.string().max(16).optional() });
const IdempotencyKey = z.string().trim().min(1).max(100).regex(/^[\x21-\x7e]+$/, '请求编号只能包含可见 ASCII 字符');

export function registerQueueRoutes(app: Api, ctx: AppContext): void {
  const queue = createQueueService(ctx, createCalendarService(ctx));
  const hub = createDisplayHub(ctx.database, queue.displayState, {
    onError: (err) => app.log.error({ err }, 'display refresh failed'),
  });
  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => hub.close());
  // Which hall a kiosk's `?hall=` names (or the root hall), kept briefly: every ticket request asks.
  const kioskHalls = ttlCache<string>(60_000);
  const kioskHall = (req: { query: unknown }) => {
    const code = (req.query as { hall?: string } | undefined)?.hall ?? '';
    return kioskHalls.get(code, () => publicHallId(ctx.db, req));
  };

  app.post('/tickets', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '取号', body: TicketInput, querystring: HallQuery, response: { 201: PublicTicket } },
    handler: async (req, reply) => {
      const rawKey = req.headers['idempotency-key'];
      const key = rawKey === undefined ? undefined : IdempotencyKey.safeParse(rawKey);
      if (key && !key.success) throw validationFailed('Idempotency-Key 请求头格式不正确', { header: 'Idempotency-Key' });
      // Staff-issued tickets are for the staff member's own hall, and need a signed-in staff member.
      if (req.body.channel === 'staff' && !req.user) throw unauthenticated('工作人员代取号须先登录');
      const hallId = req.user && req.body.channel === 'staff' ? req.user.hallId : await kioskHall(req);
      const actor = req.user ? actorOf(req.user) : PUBLIC_ACTOR;
      const result = await queue.issue(actor, hallId, req.body, { idempotencyKey: key?.data });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.ticket);
    },
  });

  app.get('/tickets/:id', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '我的号票（实时状态，无个人信息）', params: IdParams, response: { 200: PublicTicket } },
    handler: async (req) => queue.get(req.params.id),
  });

  app.post('/tickets/:id/cancel', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '取消排队（本人放弃或打印失败）', params: IdParams, response: { 200: PublicTicket } },
    handler: async (req) => queue.cancel(req.user ? actorOf(req.user) : PUBLIC_ACTOR, req.params.id),
  });

  app.get('/queue/tickets/:id', {
    config: { access: [...WINDOW_STAFF, 'supervisor'] },
    schema: { tags: ['queue'], summary: '号票详情（工作人员）', params: IdParams, response: { 200: StaffTicket } },
    handler: async (req) => queue.getForStaff(currentUser(req), req.params.id),
  });

  app.post('/windows/:id/call-next', {
    config: { access: WINDOW_STAFF },
    schema: { tags: ['queue'], summary: '叫下一位（无人等候时 204）', params: IdParams, response: { 200: StaffTicket, 204: z.null() } },
    handler: async (req, reply) => {
      const ticket = await queue.callNext(currentUser(req), req.params.id);
      return ticket ? ticket : reply.code(204).send(null);
    },
  });

  const ticketActions = [
    ['recall', '重呼'],
    ['start', '开始办理'],
    ['complete', '办结（一窗受理时转入下一环节）'],
    ['skip', '过号'],
    ['restore', '恢复过号'],
  ] as const;
  for (const [action, summary] of ticketActions) {
    app.post(`/tickets/:id/${action}`, {
      config: { access: WINDOW_STAFF },
      schema: { tags: ['queue'], summary, params: IdParams, response: { 200: StaffTicket } },
      handler: async (req) => queue[action](currentUser(req), req.params.id),
    });
  }

  app.post('/tickets/:id/transfer', {
    config: { access: WINDOW_STAFF },
    schema: { tags: ['queue'], summary: '转移到其他事项或窗口（保留排队位置）', params: IdParams, body: TransferInput, response: { 200: StaffTicket } },
    handler: async (req) => queue.transfer(currentUser(req), req.params.id, req.body),
  });

  app.put('/tickets/:id/steps', {
    config: { access: WINDOW_STAFF },
    schema: { tags: ['queue'], summary: '设置一窗受理的后续环节', params: IdParams, body: StepsInput, response: { 200: StaffTicket } },
    handler: async (req) => queue.setSteps(currentUser(req), req.params.id, req.body.serviceCodes),
  });

  const WindowState = z.object({ id: z.string(), status: z.enum(['open', 'paused']), pauseReason: z.string().nullable() });
  app.post('/windows/:id/pause', {
    config: { access: WINDOW_STAFF },
    schema: { tags: ['queue'], summary: '暂停窗口（须填原因）', params: IdParams, body: PauseInput, response: { 200: WindowState } },
    handler: async (req) => queue.pause(currentUser(req), req.params.id, req.body.reason),
  });

  app.post('/windows/:id/resume', {
    config: { access: WINDOW_STAFF },
    schema: { tags: ['queue'], summary: '恢复窗口服务', params: IdParams, response: { 200: WindowState } },
    handler: async (req) => queue.resume(currentUser(req), req.params.id),
  });

  app.get('/windows/:id/console', {
    config: { access: WINDOW_STAFF },
    schema: { tags: ['queue'], summary: '窗口叫号台', params: IdParams },
    handler: async (req) => queue.console(currentUser(req), req.params.id),
  });

  app.get('/display/state', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '大厅显示屏：各窗口当前叫号、最近叫号、各事项等候人数', querystring: HallQuery, response: { 200: DisplayState } },
    handler: async (req) => queue.displayState(await publicHallId(ctx.db, req)),
  });

  app.get('/display/windows/:id', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '窗口屏', params: IdParams, querystring: HallQuery },
    handler: async (req) => queue.windowDisplay(await publicHallId(ctx.db, req), req.params.id),
  });

  app.get('/display/stream', {
    config: { access: 'public' },
    schema: {
      tags: ['queue'],
      summary: '叫号实时推送（Server-Sent Events：call、state、waiting）',
      querystring: HallQuery.extend({ window: z.uuid().optional() }),
    },
    handler: async (req, reply) => {
      const hallId = await publicHallId(ctx.db, req);
      const state = await queue.displayState(hallId);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx in front of several nodes must not buffer the stream.
        'x-accel-buffering': 'no',
      });
      const screen: Screen = {
        hallId,
        windowId: req.query.window ?? null,
        write: (chunk) => void raw.write(chunk),
        end: () => raw.end(),
      };
      raw.write(`retry: 3000\n\n${sseEvent('state', state)}`);
      req.raw.on('close', () => hub.remove(screen));
      await hub.add(screen);
    },
  });

  app.get('/queue/services', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '可取号事项（按部门，含等候人数和当前能否取号）', querystring: HallQuery, response: { 200: z.array(TicketService) } },
    handler: async (req) => queue.ticketServices(await publicHallId(ctx.db, req)),
  });

  app.get('/queue/public-settings', {
    config: { access: 'public' },
    schema: { tags: ['queue'], summary: '取号须知（是否实名、短信提醒位数）', querystring: HallQuery },
    handler: async (req) => {
      const settings = await queue.settings(await publicHallId(ctx.db, req));
      return { realName: settings.realName, notifyAhead: settings.notifyAhead };
    },
  });

  app.get('/queue/settings', {
    config: { access: ['manager', 'leader', 'supervisor'] },
    schema: { tags: ['queue'], summary: '排队叫号设置', response: { 200: QueueSettings } },
    handler: async (req) => queue.settings(currentUser(req).hallId),
  });

  app.put('/queue/settings', {
    config: { access: ['manager'] },
    schema: { tags: ['queue'], summary: '修改排队叫号设置', body: QueueSettings, response: { 200: QueueSettings } },
    handler: async (req) => {
      const user = currentUser(req);
      return queue.setSettings(actorOf(user), user.hallId, req.body);
    },
  });

  app.get('/queue/stats', {
    config: { access: ['manager', 'leader', 'supervisor'] },
    schema: { tags: ['queue'], summary: '排队统计（等候、走到窗口、办理、过号、空闲时长）', querystring: z.object({ from: DateString, to: DateString }), response: { 200: QueueStats } },
    handler: async (req) => {
      const { from, to } = req.query;
      if (to < from) throw validationFailed('结束日期不能早于开始日期', { from, to });
      if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) throw new DomainError(400, 'VALIDATION_FAILED', '统计区间不能超过一年');
      return queue.stats(currentUser(req).hallId, from, to);
    },
  });
}
