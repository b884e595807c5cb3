import type { FastifyInstance } from 'fastify';
import { forbidden, unauthenticated } from '../server/errors.js';
import type { Role } from './roles.js';
import { bearerToken, type AuthService, type AuthUser } from './service.js';

/** Every API route says who may call it: 'public', or the staff roles allowed (admin always is). */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    token: string | null;
  }
  interface FastifyInstance {
    /** Every API route with its declared access, for the test that walks them all. */
    apiRoutes: { method: string; url: string; access: Access }[];
  }
}

export const API_PREFIX = '/api/v1';

/**
 * One place decides access. A route under /api/v1 that does not declare its access fails the server
 * at start, so a new route cannot slip through unguarded.
 */
export function registerAccessGuard(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('user', null);
  app.decorateRequest('token', null);
  const apiRoutes: FastifyInstance['apiRoutes'] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(API_PREFIX)) return;
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (access === undefined || (access !== 'public' && access.length === 0)) {
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, access });
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') {
      // Public routes still see who is signed in, e.g. to refuse staff rating their own service.
      const token = bearerToken(request.headers.authorization);
      if (token && access === 'public') {
        request.user = await auth.authenticate(token);
        request.token = request.user ? token : null;
      }
      return;
    }
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthenticated();
    const user = await auth.authenticate(token);
    if (!user) throw unauthenticated('登录已失效，请重新登录');
    if (!user.roles.includes('admin') && !user.roles.some((r) => access.includes(r))) throw forbidden();
    request.user = user;
    request.token = token;
  });
}

/** The signed-in user of a staff route (the guard has run). */
export function currentUser(request: { user: AuthUser | null }): AuthUser {
  if (!request.user) throw unauthenticated();
  return request.user;
}
