import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ROLES } from './roles.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

// Walks every registered API route, so a new staff route cannot ship without its guard.
describe('every staff route is guarded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const fill = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID());

  it('has routes to walk', () => {
    expect(t.app.apiRoutes.length).toBeGreaterThan(10);
    expect(t.app.apiRoutes.filter((r) => r.access !== 'public').length).toBeGreaterThan(5);
  });

  it('refuses a missing or bad token with 401 and a wrong role with 403', async () => {
    const failures: string[] = [];
    for (const route of t.app.apiRoutes) {
      if (route.access === 'public') continue;
      const url = fill(route.url);
      const method = route.method as 'GET';
      const anonymous = await t.app.inject({ method, url, payload: method === 'GET' ? undefined : {} });
      if (anonymous.statusCode !== 401 || anonymous.json().error?.code !== 'UNAUTHENTICATED') {
        failures.push(`${route.method} ${route.url} without token: ${anonymous.statusCode}`);
      }
      const forged = await t.app.inject({ method, url, headers: { authorization: `Bearer ${'x'.repeat(43)}` }, payload: method === 'GET' ? undefined : {} });
      if (forged.statusCode !== 401) failures.push(`${route.method} ${route.url} with a forged token: ${forged.statusCode}`);
      const access = route.access;
      const wrong = ROLES.find((r) => r !== 'admin' && !access.includes(r));
      if (wrong) {
        const res = await t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${await t.tokenFor(wrong)}` },
          payload: method === 'GET' ? undefined : {},
        });
        if (res.statusCode !== 403 || res.json().error?.code !== 'FORBIDDEN') {
          failures.push(`${route.method} ${route.url} as ${wrong}: ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
