import { z } from 'zod';
import type { Api } from '../server/http.js';
import { validationFailed } from '../server/errors.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import { publicHallId } from '../org/hall-scope.js';
import type { Db } from '../db/client.js';
import { CalendarDate, CalendarDay, DayOverride, NoticeImport } from './schemas.js';
import type { CalendarService } from './service.js';

const MANAGERS = ['admin', 'manager'] as const;
const MAX_ADD_DAYS = 1000;

export function registerCalendarRoutes(app: Api, db: Db, calendar: CalendarService): void {
  app.get('/calendar/days', {
    config: { access: 'public' },
    schema: {
      tags: ['calendar'],
      summary: '工作日历（法定节假日、调休上班与本中心的调整）',
      querystring: z.object({ from: CalendarDate, to: CalendarDate, hall: z.string().max(16).optional() }),
      response: { 200: z.array(CalendarDay) },
    },
    handler: async (req) => calendar.days(await publicHallId(db, req), req.query.from, req.query.to),
  });

  app.get('/calendar/add-working-days', {
    config: { access: 'public' },
    schema: {
      tags: ['calendar'],
      summary: '第 N 个工作日（起算日不计）',
      querystring: z.object({
        from: CalendarDate,
        days: z.coerce.number({ message: '天数须为整数' }).int('天数须为整数').min(0, '天数不能为负数').max(MAX_ADD_DAYS, `天数不能超过 ${MAX_ADD_DAYS}`),
        hall: z.string().max(16).optional(),
      }),
      response: { 200: z.object({ date: z.string() }) },
    },
    handler: async (req) => {
      const cal = await calendar.calendarFor(await publicHallId(db, req));
      const date = cal.addWorkingDays(req.query.from, req.query.days);
      if (date > '2199-12-31') throw validationFailed('结果超出日历范围');
      return { date };
    },
  });

  app.put('/calendar/days/:date', {
    config: { access: MANAGERS },
    schema: { tags: ['calendar'], summary: '调整某一天（闭馆或开放）', params: z.object({ date: CalendarDate }), body: DayOverride, response: { 200: CalendarDay } },
    handler: async (req) => {
      const user = currentUser(req);
      return calendar.setDay(actorOf(user), user.hallId, req.params.date, req.body);
    },
  });

  app.delete('/calendar/days/:date', {
    config: { access: MANAGERS },
    schema: { tags: ['calendar'], summary: '撤销对某一天的调整', params: z.object({ date: CalendarDate }), response: { 200: CalendarDay } },
    handler: async (req) => {
      const user = currentUser(req);
      return calendar.clearDay(actorOf(user), user.hallId, req.params.date);
    },
  });

  app.post('/calendar/notices', {
    config: { access: MANAGERS },
    schema: { tags: ['calendar'], summary: '导入国务院年度节假日安排通知', body: NoticeImport },
    handler: async (req, reply) => {
      const user = currentUser(req);
      return reply.code(201).send(await calendar.importNotice(actorOf(user), user.hallId, req.body));
    },
  });

  app.get('/calendar/status', {
    config: { access: ['admin', 'manager', 'leader', 'supervisor', 'staff'] },
    schema: { tags: ['calendar'], summary: '节假日数据覆盖情况与提醒' },
    handler: async (req) => calendar.status(currentUser(req).hallId),
  });
}
