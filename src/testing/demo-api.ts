import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../demo/hall.js';

/** GET and POST under /api/v1 of a browser harness's server, as a demo user (setting a scene for a page). */
export async function demoApi(app: FastifyInstance, username: string) {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const headers = { authorization: `Bearer ${login.json().token as string}` };
  return {
    get: (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers }),
    post: (url: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload }),
    put: (url: string, payload: object) => app.inject({ method: 'PUT', url: `/api/v1${url}`, headers, payload }),
  };
}
