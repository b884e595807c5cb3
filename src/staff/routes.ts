import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Api } from '../server/http.js';
import { IdParams } from '../server/http.js';
import { forbidden, validationFailed } from '../server/errors.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { contentDisposition, MAX_ATTACHMENT_BYTES } from '../catalog/attachments.js';
import { formatInstant } from '../calendar/index.js';
import type { AppContext } from '../server/context.js';
import { createReportsService } from '../reports/service.js';
import { monthBounds } from './hall.js';
import {
  AwardInput,
  BackupInput,
  ChiefInput,
  DecisionInput,
  GoingOutInput,
  InspectionInput,
  LeaveInput,
  Month,
  MonthQuery,
  PointsInput,
  REGISTER_KINDS,
  RegisterInput,
  SignInInput,
  StaffSettings,
} from './schemas.js';

const Id = z.uuid({ message: '编号格式不正确' });
const READERS = ['manager', 'leader', 'supervisor'] as const;
const ON_DUTY = ['staff', 'leader'] as const;
const STAMPED = ['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream'];

/** Staff routes; the reports service composes the staff services these use. */
export function registerStaffRoutes(app: Api, ctx: AppContext): void {
  const { staff, extended, assessment } = createReportsService(ctx);

  app.get('/staff/settings', {
    config: { access: ['manager', 'supervisor'] },
    schema: { tags: ['staff'], summary: '考勤、AB角、延时服务与考核设置' },
    handler: async (req) => staff.settings(currentUser(req).hallId),
  });
  app.put('/staff/settings', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '修改考勤、AB角、延时服务与考核设置', body: StaffSettings },
    handler: async (req) => {
      const user = currentUser(req);
      return staff.setSettings(actorOf(user), user.hallId, req.body);
    },
  });

  // ---- The staff console ----
  app.get('/staff/attendance/me', {
    config: { access: ON_DUTY },
    schema: { tags: ['staff'], summary: '我的考勤：今日签到状态、外出登记、本月统计' },
    handler: async (req) => staff.me(currentUser(req)),
  });
  app.post('/staff/attendance/sign-in', {
    config: { access: ON_DUTY },
    schema: { tags: ['staff'], summary: '签到（按窗口当天的办公时间判断迟到）', body: SignInInput },
    handler: async (req, reply) => reply.code(201).send(await staff.signIn(currentUser(req), req.body.windowId)),
  });
  app.post('/staff/attendance/sign-out', {
    config: { access: ON_DUTY },
    schema: { tags: ['staff'], summary: '签退（按窗口当天的办公时间判断早退）' },
    handler: async (req, reply) => reply.code(201).send(await staff.signOut(currentUser(req))),
  });
  app.post('/staff/going-outs', {
    config: { access: ON_DUTY },
    schema: { tags: ['staff'], summary: '外出办事登记（事由、预计返回时间、补位人）', body: GoingOutInput },
    handler: async (req, reply) => reply.code(201).send(await staff.goOut(currentUser(req), req.body)),
  });
  app.post('/staff/going-outs/:id/return', {
    config: { access: [...ON_DUTY, 'manager'] },
    schema: { tags: ['staff'], summary: '外出返回', params: IdParams },
    handler: async (req) => staff.returnFromOut(currentUser(req), req.params.id),
  });
  app.get('/staff/going-outs', {
    config: { access: [...READERS, 'staff'] },
    schema: { tags: ['staff'], summary: '外出登记（本人、本部门或全中心）', querystring: MonthQuery },
    handler: async (req) => staff.goingOutList(currentUser(req), req.query.month),
  });

  // ---- Leave ----
  app.post('/staff/leaves', {
    config: { access: [...ON_DUTY, 'manager'] },
    schema: { tags: ['staff'], summary: '请假申请（事假、病假、公休，按半天）', body: LeaveInput },
    handler: async (req, reply) => reply.code(201).send(await staff.requestLeave(currentUser(req), req.body)),
  });
  app.get('/staff/leaves', {
    config: { access: [...READERS, 'staff'] },
    schema: { tags: ['staff'], summary: '请假申请列表', querystring: z.object({ month: Month.optional(), status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional() }) },
    handler: async (req) => staff.leaves(currentUser(req), req.query),
  });
  for (const [action, decision, roles] of [
    ['approve', 'approved', ['manager']],
    ['reject', 'rejected', ['manager']],
    ['cancel', 'cancelled', [...ON_DUTY, 'manager']],
  ] as const) {
    app.post(`/staff/leaves/:id/${action}`, {
      config: { access: roles },
      schema: { tags: ['staff'], summary: { approve: '批准请假（须已上传盖章请假条时）', reject: '不批准请假', cancel: '撤回请假申请' }[action], params: IdParams, body: DecisionInput },
      handler: async (req) => staff.decideLeave(currentUser(req), req.params.id, decision, req.body.note),
    });
  }
  app.get('/staff/leaves/:id/document', {
    config: { access: [...READERS, 'staff'] },
    schema: { tags: ['staff'], summary: '下载盖章请假条', params: IdParams },
    handler: async (req, reply) => {
      const doc = await staff.leaveDocument(currentUser(req), req.params.id);
      return reply.type(doc.mimeType).header('content-disposition', contentDisposition(doc.filename, true)).header('x-content-type-options', 'nosniff').send(Buffer.from(doc.bytes));
    },
  });
  // The stamped approval is uploaded as the request body itself, in a scope that takes raw files.
  app.register(async (raw) => {
    const scope = raw.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(STAMPED, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 1024 }, (_req, body, done) => done(null, body));
    scope.post('/staff/leaves/:id/document', {
      config: { access: [...ON_DUTY, 'manager'] },
      bodyLimit: MAX_ATTACHMENT_BYTES + 1024,
      schema: { tags: ['staff'], summary: '上传所在单位盖章同意的请假条（PDF 或图片，请求体为文件本身）', params: IdParams, querystring: z.object({ filename: z.string().min(1, '请提供文件名').max(200) }) },
      handler: async (req) => {
        if (!Buffer.isBuffer(req.body)) throw validationFailed('请以文件内容作为请求体上传（PDF 或图片）');
        return staff.uploadLeaveDocument(currentUser(req), req.params.id, req.query.filename, req.body);
      },
    });
  });

  // ---- Manager views ----
  app.get('/staff/attendance/monthly', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '月度考勤表（个人与部门；部门负责人只看本部门）', querystring: z.object({ month: Month, departmentId: Id.optional() }) },
    handler: async (req) => {
      const user = currentUser(req);
      const leaderOnly = user.roles.includes('leader') && !user.roles.some((r) => r === 'manager' || r === 'supervisor' || r === 'admin');
      if (leaderOnly && req.query.departmentId && req.query.departmentId !== user.departmentId) throw forbidden('只能查看本部门的考勤');
      return staff.monthlyAttendance(user.hallId, req.query.month, { departmentId: leaderOnly ? (user.departmentId ?? user.id) : req.query.departmentId });
    },
  });
  app.get('/staff/people', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '窗口人员、部门负责人与窗口（表单选项）' },
    handler: async (req) => staff.staffList(currentUser(req).hallId),
  });

  app.get('/staff/backups', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: 'AB角设置与各窗口当前在岗情况' },
    handler: async (req) => staff.gaps.list(currentUser(req).hallId),
  });
  app.put('/staff/backups/:id', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '设置窗口的A角和B角', params: IdParams, body: BackupInput },
    handler: async (req) => {
      const user = currentUser(req);
      return staff.gaps.set(actorOf(user), user.hallId, req.params.id, req.body);
    },
  });
  app.delete('/staff/backups/:id', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '取消窗口的AB角设置', params: IdParams },
    handler: async (req, reply) => {
      const user = currentUser(req);
      await staff.gaps.remove(actorOf(user), user.hallId, req.params.id);
      return reply.code(204).send();
    },
  });
  app.get('/staff/gaps', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '窗口空岗记录（AB角未补位）', querystring: MonthQuery },
    handler: async (req) => staff.gaps.gaps(currentUser(req).hallId, req.query.month),
  });

  app.post('/staff/inspections', {
    config: { access: ['leader'] },
    schema: { tags: ['staff'], summary: '部门负责人巡查签到（本部门窗口、发现的问题）', body: InspectionInput },
    handler: async (req, reply) => reply.code(201).send(await staff.inspect(currentUser(req), req.body)),
  });
  app.get('/staff/inspections', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '巡查签到记录及未巡查的部门', querystring: MonthQuery },
    handler: async (req) => staff.inspections(currentUser(req).hallId, req.query.month),
  });

  app.get('/staff/register', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '登记簿：领导督办、媒体报道、信息报送、好人好事、其他工作', querystring: z.object({ month: Month, kind: z.enum(REGISTER_KINDS).optional() }) },
    handler: async (req) => staff.register(currentUser(req).hallId, req.query.month, req.query.kind),
  });
  app.post('/staff/register', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '新增登记', body: RegisterInput },
    handler: async (req, reply) => reply.code(201).send(await staff.saveRegister(currentUser(req), req.body)),
  });
  app.put('/staff/register/:id', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '修改登记', params: IdParams, body: RegisterInput },
    handler: async (req) => staff.saveRegister(currentUser(req), req.body, req.params.id),
  });
  app.delete('/staff/register/:id', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '删除登记', params: IdParams },
    handler: async (req, reply) => {
      await staff.deleteRegister(currentUser(req), req.params.id);
      return reply.code(204).send();
    },
  });

  app.get('/staff/chiefs', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '各部门首席代表' },
    handler: async (req) => staff.chiefs(currentUser(req).hallId),
  });
  app.put('/staff/chiefs/:id', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '设置部门首席代表（路径为部门编号）', params: IdParams, body: ChiefInput },
    handler: async (req) => staff.setChief(currentUser(req), req.params.id, req.body.userId),
  });

  app.get('/staff/extended-services', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '延时服务（从叫号记录识别，超过半小时）', querystring: MonthQuery },
    handler: async (req) => {
      const hallId = currentUser(req).hallId;
      const h = await staff.hallOf(hallId);
      const b = monthBounds(req.query.month, h.zone);
      const [rows, people] = await Promise.all([extended.between(hallId, b.from, b.to, h), staff.staffList(hallId)]);
      const nameOf = new Map(people.staff.map((p) => [p.id, p.name]));
      return rows.map((r) => ({
        date: r.localDate,
        userId: r.userId,
        userName: nameOf.get(r.userId) ?? '',
        windowName: h.windows.find((w) => w.id === r.windowId)?.name ?? '',
        kind: r.kind,
        startedAt: formatInstant(r.startedAt.getTime(), h.zone),
        endedAt: formatInstant(r.endedAt.getTime(), h.zone),
        minutes: r.minutes,
        visits: r.visits,
      }));
    },
  });

  app.get('/staff/assessment', {
    config: { access: READERS },
    schema: { tags: ['staff'], summary: '月度考核：窗口与人员得分、红旗窗口/星级首席/服务标兵建议及依据', querystring: MonthQuery },
    handler: async (req) => assessment.sheet(currentUser(req).hallId, req.query.month),
  });
  app.put('/staff/assessment/:month/points', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '人工评分项打分', params: z.object({ month: Month }), body: PointsInput },
    handler: async (req) => assessment.setPoints(currentUser(req), req.params.month, req.body),
  });
  app.post('/staff/assessment/:month/awards', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '确认评比结果（或登记其他表彰）', params: z.object({ month: Month }), body: AwardInput },
    handler: async (req, reply) => reply.code(201).send(await assessment.confirm(currentUser(req), req.params.month, req.body)),
  });
  app.delete('/staff/awards/:id', {
    config: { access: ['manager'] },
    schema: { tags: ['staff'], summary: '撤销一项表彰', params: IdParams },
    handler: async (req, reply) => {
      await assessment.removeAward(currentUser(req), req.params.id);
      return reply.code(204).send();
    },
  });
}
