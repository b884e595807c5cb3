import QRCode from 'qrcode';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Api } from '../server/http.js';
import { IdParams } from '../server/http.js';
import type { AppContext } from '../server/context.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { PUBLIC_ACTOR } from '../audit/audit.js';
import { halls } from '../org/tables.js';
import { publicHallId } from '../org/hall-scope.js';
import { bookingIcs } from './ics.js';
import { createPickupService } from './pickup.js';
import { createAppointmentService } from './service.js';
import { AppointmentSettings, AppointmentSettingsInput, AssignInput, BookingInput, CheckInInput, CloseInput, Hold, HoldInput, HomeVisit, HomeVisitQuery, LookupQuery, PersonProof, PickupBookingInput, PickupProof, PublicAppointment, RescheduleInput, Slot, SlotQuery } from './schemas.js';

const HallQuery = z.object({ hall: z.string().max(16).optional() });
const CodeParams = z.object({ code: z.string().trim().min(1).max(40) });
const MANAGERS = ['manager'] as const;

export function registerAppointmentRoutes(app: Api, ctx: AppContext): void {
  const appointments = createAppointmentService(ctx);
  const pickups = createPickupService(ctx);
  const actor = (req: { user?: unknown }) => (req.user ? actorOf(req.user as Parameters<typeof actorOf>[0]) : PUBLIC_ACTOR);

  app.get('/services/:code/slots', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '可预约时段', params: CodeParams, querystring: SlotQuery, response: { 200: z.array(Slot) } },
    handler: async (req) => appointments.slots(await publicHallId(ctx.db, req), req.params.code, req.query.date),
  });

  app.post('/appointments/holds', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '暂留名额（填写信息期间）', body: HoldInput, querystring: HallQuery, response: { 201: Hold } },
    handler: async (req, reply) => reply.code(201).send(await appointments.hold(actor(req), await publicHallId(ctx.db, req), req.body)),
  });

  app.delete('/appointments/holds/:id', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '放弃暂留的名额', params: IdParams, querystring: HallQuery },
    handler: async (req, reply) => {
      await appointments.releaseHold(actor(req), await publicHallId(ctx.db, req), req.params.id);
      return reply.code(204).send();
    },
  });

  app.post('/appointments', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '预约', body: BookingInput, querystring: HallQuery, response: { 201: PublicAppointment } },
    handler: async (req, reply) => reply.code(201).send(await appointments.book(actor(req), await publicHallId(ctx.db, req), req.body)),
  });

  // 预约领取: POST, so the ID number travels in the body, never in a URL or an access log.
  app.post('/appointments/pickups/lookup', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '凭受理编号和证件号码查询办理结果能否预约领取', body: PickupProof, querystring: HallQuery },
    handler: async (req) => pickups.lookup(await publicHallId(ctx.db, req), req.body),
  });

  app.post('/appointments/pickups', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '预约领取办理结果（按办件事项的可预约时段）', body: PickupBookingInput, querystring: HallQuery, response: { 201: PublicAppointment } },
    handler: async (req, reply) => reply.code(201).send(await pickups.book(actor(req), await publicHallId(ctx.db, req), req.body)),
  });

  // POST so the ID number travels in the body, never in a URL or an access log.
  app.post('/appointments/lookup', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '凭预约码和证件号码查询预约', body: PersonProof, querystring: HallQuery, response: { 200: PublicAppointment } },
    handler: async (req) => appointments.lookup(await publicHallId(ctx.db, req), req.body.code, req.body.idNumber),
  });

  app.post('/appointments/:id/cancel', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '取消预约', params: IdParams, body: PersonProof, querystring: HallQuery, response: { 200: PublicAppointment } },
    handler: async (req) => appointments.cancel(actor(req), await publicHallId(ctx.db, req), req.params.id, req.body),
  });

  app.post('/appointments/:id/reschedule', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '改约', params: IdParams, body: RescheduleInput, querystring: HallQuery, response: { 200: PublicAppointment } },
    handler: async (req) => appointments.reschedule(actor(req), await publicHallId(ctx.db, req), req.params.id, req.body),
  });

  app.post('/appointments/:id/check-in', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '预约签到（转为预约优先号）', params: IdParams, body: CheckInInput, querystring: HallQuery },
    handler: async (req, reply) => reply.code(201).send(await appointments.checkIn(actor(req), await publicHallId(ctx.db, req), { id: req.params.id, ...req.body })),
  });

  // The kiosk knows only the code or the ID number, not the booking's id.
  app.post('/appointments/check-in', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '凭预约码或证件号码签到', body: CheckInInput, querystring: HallQuery },
    handler: async (req, reply) => reply.code(201).send(await appointments.checkIn(actor(req), await publicHallId(ctx.db, req), req.body)),
  });

  app.get('/appointments/:id/ics', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '预约日历文件（.ics）', params: IdParams, querystring: LookupQuery },
    handler: async (req, reply) => {
      const { row, serviceName } = await appointments.get(req.params.id, req.query.code);
      const [hall] = await ctx.db.select({ name: halls.name, address: halls.address }).from(halls).where(eq(halls.id, row.hallId));
      const body = bookingIcs({ id: row.id, code: row.code, title: serviceName, location: [hall?.name, hall?.address].filter(Boolean).join(' '), start: row.startAt.getTime(), end: row.endAt.getTime(), stamp: ctx.clock.now().getTime() });
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="appointment-${row.code}.ics"`).send(body);
    },
  });

  app.get('/appointments/:id/qr', {
    config: { access: 'public' },
    schema: { tags: ['appointments'], summary: '预约码二维码（SVG，签到时扫码）', params: IdParams, querystring: LookupQuery },
    handler: async (req, reply) => {
      const { row } = await appointments.get(req.params.id, req.query.code);
      return reply.header('content-type', 'image/svg+xml').send(await QRCode.toString(row.code, { type: 'svg', margin: 1 }));
    },
  });

  app.get('/appointments/settings', {
    config: { access: [...MANAGERS] },
    schema: { tags: ['appointments'], summary: '预约规则（本中心）', response: { 200: AppointmentSettings } },
    handler: async (req) => appointments.settings(currentUser(req).hallId),
  });

  app.put('/appointments/settings', {
    config: { access: [...MANAGERS] },
    schema: { tags: ['appointments'], summary: '修改预约规则', body: AppointmentSettingsInput, response: { 200: AppointmentSettings } },
    handler: async (req) => appointments.setSettings(actorOf(currentUser(req)), currentUser(req).hallId, req.body),
  });

  app.get('/appointments/load', {
    config: { access: [...MANAGERS] },
    schema: { tags: ['appointments'], summary: '每日预约负荷（按事项和时段）', querystring: z.object({ date: SlotQuery.shape.date }) },
    handler: async (req) => appointments.load(currentUser(req).hallId, req.query.date),
  });

  app.post('/appointments/close', {
    config: { access: [...MANAGERS] },
    schema: { tags: ['appointments'], summary: '关闭时段或整天（已约者取消并短信通知）', body: CloseInput },
    handler: async (req) => appointments.close(actorOf(currentUser(req)), currentUser(req).hallId, req.body),
  });

  app.get('/appointments/home-visits', {
    config: { access: ['manager', 'leader', 'staff'] },
    schema: { tags: ['appointments'], summary: '上门服务（管理人员看全部，工作人员看派给本人的）', querystring: HomeVisitQuery, response: { 200: z.array(HomeVisit) } },
    handler: async (req) => appointments.homeVisits(currentUser(req), req.query.date),
  });

  app.post('/appointments/:id/assign', {
    config: { access: [...MANAGERS] },
    schema: { tags: ['appointments'], summary: '上门服务派给工作人员', params: IdParams, body: AssignInput },
    handler: async (req) => appointments.assign(actorOf(currentUser(req)), currentUser(req).hallId, req.params.id, req.body.staffId),
  });
}
