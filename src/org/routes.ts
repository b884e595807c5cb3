import { z } from 'zod';
import type { Db } from '../db/client.js';
import { publicHallId } from './hall-scope.js';
import type { Api } from '../server/http.js';
import { IdParams } from '../server/http.js';
import { currentUser } from '../auth/guard.js';
import { actorOf } from '../auth/service.js';
import type { UserService } from '../auth/users.js';
import type { OrgService } from './service.js';
import { Department, DepartmentInput, Hall, HallHours, User, UserInput, UserUpdate, Window, WindowInput, WindowUpdate } from './schemas.js';

const ORG_ADMINS = ['admin', 'manager'] as const;
const ALL_STAFF = ['admin', 'manager', 'leader', 'staff', 'supervisor'] as const;

export function registerOrgRoutes(app: Api, org: OrgService, users: UserService, db: Db): void {
  app.get('/public/hall', {
    config: { access: 'public' },
    schema: {
      tags: ['organisation'],
      summary: '服务中心名称、地址、电话与办公时间（公开）',
      querystring: z.object({ hall: z.string().max(16).optional() }),
      response: { 200: Hall.pick({ code: true, name: true, address: true, phone: true, hours: true, level: true }) },
    },
    handler: async (req) => org.hall(await publicHallId(db, req)),
  });

  app.get('/hall', {
    config: { access: ALL_STAFF },
    schema: { tags: ['organisation'], summary: '本服务中心', response: { 200: Hall } },
    handler: async (req) => org.hall(currentUser(req).hallId),
  });

  app.put('/hall/hours', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '设置办公时间', body: HallHours, response: { 200: HallHours } },
    handler: async (req) => {
      const user = currentUser(req);
      return org.setHours(actorOf(user), user.hallId, req.body);
    },
  });

  app.get('/departments', {
    config: { access: ALL_STAFF },
    schema: { tags: ['organisation'], summary: '进驻部门', response: { 200: z.array(Department) } },
    handler: async (req) => org.listDepartments(currentUser(req).hallId),
  });

  app.post('/departments', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '新增进驻部门', body: DepartmentInput, response: { 201: Department } },
    handler: async (req, reply) => {
      const user = currentUser(req);
      return reply.code(201).send(await org.createDepartment(actorOf(user), user.hallId, req.body));
    },
  });

  app.patch('/departments/:id', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '修改进驻部门', params: IdParams, body: DepartmentInput.partial(), response: { 200: Department } },
    handler: async (req) => {
      const user = currentUser(req);
      return org.renameDepartment(actorOf(user), user.hallId, req.params.id, req.body);
    },
  });

  app.get('/windows', {
    config: { access: ALL_STAFF },
    schema: { tags: ['organisation'], summary: '窗口', response: { 200: z.array(Window) } },
    handler: async (req) => org.listWindows(currentUser(req).hallId),
  });

  app.get('/windows/:id', {
    config: { access: ALL_STAFF },
    schema: { tags: ['organisation'], summary: '窗口详情', params: IdParams, response: { 200: Window } },
    handler: async (req) => org.getWindow(currentUser(req).hallId, req.params.id),
  });

  app.post('/windows', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '新增窗口', body: WindowInput, response: { 201: Window } },
    handler: async (req, reply) => {
      const user = currentUser(req);
      return reply.code(201).send(await org.createWindow(actorOf(user), user.hallId, req.body));
    },
  });

  app.patch('/windows/:id', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '修改窗口', params: IdParams, body: WindowUpdate, response: { 200: Window } },
    handler: async (req) => {
      const user = currentUser(req);
      return org.updateWindow(actorOf(user), user.hallId, req.params.id, req.body);
    },
  });

  app.get('/users', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '工作人员', response: { 200: z.array(User) } },
    handler: async (req) => users.list(currentUser(req).hallId),
  });

  app.post('/users', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '新增工作人员', body: UserInput, response: { 201: User } },
    handler: async (req, reply) => {
      const user = currentUser(req);
      return reply.code(201).send(await users.create(actorOf(user), user.hallId, req.body));
    },
  });

  app.patch('/users/:id', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '修改工作人员', params: IdParams, body: UserUpdate, response: { 200: User } },
    handler: async (req) => {
      const user = currentUser(req);
      return users.update(actorOf(user), user.hallId, req.params.id, req.body);
    },
  });

  app.post('/users/:id/reset-password', {
    config: { access: ORG_ADMINS },
    schema: { tags: ['organisation'], summary: '重置密码', params: IdParams, body: z.object({ password: z.string().min(1).max(128) }) },
    handler: async (req, reply) => {
      const user = currentUser(req);
      await users.resetPassword(actorOf(user), user.hallId, req.params.id, req.body.password);
      return reply.code(204).send();
    },
  });
}
