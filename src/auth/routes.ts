import { z } from 'zod';
import type { Api } from '../server/http.js';
import { currentUser, HALL_HEADER } from './guard.js';
import type { AuthService } from './service.js';
import { Role } from './roles.js';

const LoginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(128),
});
const LoginResult = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(Role),
    mustChangePassword: z.boolean(),
  }),
});

export function registerAuthRoutes(app: Api, auth: AuthService): void {
  app.post('/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: '登录', body: LoginBody, response: { 200: LoginResult } },
    handler: async (req) => {
      const result = await auth.login(req.body.username, req.body.password);
      return { ...result, expiresAt: result.expiresAt.toISOString() };
    },
  });

  app.post('/auth/logout', {
    config: { access: ['admin', 'manager', 'leader', 'staff', 'supervisor'] },
    schema: { tags: ['auth'], summary: '退出登录' },
    handler: async (req, reply) => {
      await auth.logout(req.token!, currentUser(req));
      return reply.code(204).send();
    },
  });

  app.get('/auth/me', {
    config: { access: ['admin', 'manager', 'leader', 'staff', 'supervisor'] },
    schema: { tags: ['auth'], summary: '当前用户（在所办理的中心的角色）及其可切换的中心' },
    handler: async (req) => {
      const user = currentUser(req);
      const halls = await auth.halls(user.id);
      return { ...user, hall: req.headers[HALL_HEADER] ?? halls[0]?.code ?? null, halls };
    },
  });

  app.post('/auth/password', {
    config: { access: ['admin', 'manager', 'leader', 'staff', 'supervisor'] },
    schema: {
      tags: ['auth'],
      summary: '修改密码',
      body: z.object({ oldPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }),
    },
    handler: async (req, reply) => {
      await auth.changePassword(currentUser(req), req.token!, req.body.oldPassword, req.body.newPassword);
      return reply.code(204).send();
    },
  });
}
