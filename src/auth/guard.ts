import type { FastifyInstance } from 'fastify';
import { actingAt } from '../org/network.js';
import type { Db } from '../db/client.js';
import { forbidden, unauthenticated, validationFailed } from '../server/errors.js';
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
/** The header with which a staff member working in several halls names the hall they act in (its code). */
export const HALL_HEADER = 'x-hall';

/**
 * One place decides access. A route under /api/v1 that does not declare its access fails the server
 * at start, so a new route cannot slip through unguarded. The roles checked are those held in the hall the
 * request acts in (X-Hall, default the home hall), and `currentUser` is the user as they act there.
 */
export function registerAccessGuard(app: FastifyInstance, auth: AuthService, db: Db): void {
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
    const signedIn = await auth.authenticate(token);
    if (!signedIn) throw unauthenticated('登录已失效，请重新登录');
    const hall = request.headers[HALL_HEADER];
    if (hall !== undefined && (typeof hall !== 'string' || !/^[A-Za-z0-9]{2,16}$/.test(hall))) throw validationFailed('X-Hall 须为服务中心编码');
    // Without the header a staff member acts in their home hall with their own roles.
    const user = hall ? await actingAt(db, signedIn, hall) : signedIn;
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
