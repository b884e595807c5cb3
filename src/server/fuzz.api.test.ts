import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

// Hostile and broken input on every API route, as a scanner or a buggy kiosk would send it. Runs per
// route and caller are bounded so the whole walk stays well under two minutes in CI; FUZZ_RUNS raises it
// and FUZZ_SEED replays a failing run (the seed is in the failure).
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
// Settings forms whose every field has a default take any object as "save the defaults", and a signed-in
// staff member may sign out of attendance with no input at all: these may answer 2xx and change rows.
const acceptsAnyObject = (route: string) => /^PUT \/api\/v1\/.*settings$/.test(route) || route === 'POST /api/v1/staff/attendance/sign-out';
// The personal-data key is made on first use, by a read too; it is not the caller's doing.
const LAZY_TABLES = ['data_keys'];
// A fixed seed keeps CI reproducible; FUZZ_SEED=random (or a number) explores further.
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 1_000_000 : Number(process.env.FUZZ_SEED ?? 20251124);
// An endless event stream cannot be answered with one response; signing out ends the fuzzing caller's
// own session and rightly answers 204 to any body.
const SKIP = new Set(['GET /api/v1/display/stream', 'POST /api/v1/auth/logout', 'DELETE /api/v1/online/sessions/current']);

const weird = fc.constantFrom(
  '',
  '0',
  '-1',
  '1e309',
  '99999999999999999999999',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '..',
  '%00',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '2025-02-30',
  '9999-12-31',
  '2025-09-30T25:61:00+08:00',
  '110101199003077777',
  '13800138000',
  'T-001',
  'TEST',
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(300),
  '中文'.repeat(40),
);
const text = fc.oneof(weird, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.uuid());
const QUERY_KEYS = ['hall', 'date', 'from', 'to', 'month', 'year', 'page', 'pageSize', 'limit', 'status', 'q', 'kind', 'serviceId', 'departmentId', 'windowId', 'password', 'code', 'light', 'channel'];
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })), text), { maxLength: 4 });

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.oneof(fc.constantFrom('name', 'serviceCode', 'channel', 'idNumber', 'phone', 'date', 'windowId', 'status', 'reason', 'score', 'items', 'hallId', 'id', '__proto__', 'constructor'), fc.string({ maxLength: 8 })), fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.object({ maxDepth: 2 })), { maxKeys: 6 }),
);
const body = fc.oneof(
  jsonBody.map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) })),
  fc.constantFrom('{', '{"a":', '[1,2', 'not json', '\u0000', '['.repeat(2000) + ']'.repeat(2000), '{"__proto__":{"admin":true}}').map((p) => ({ contentType: 'application/json', payload: p })),
  fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1'), fc.string({ maxLength: 60 })).map(([contentType, payload]) => ({ contentType, payload })),
  fc.constant(null),
);
// A header can only carry visible ASCII on the wire; anything else never reaches the server.
const headerText = text.map((v) => v.replace(/[^\x20-\x7e]/g, ''));
const headers = fc.record(
  {
    'idempotency-key': headerText,
    'x-device-key': headerText,
    'accept-language': fc.constantFrom('en', 'zh-CN', '*', ''),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1'),
    authorization: fc.constantFrom('Bearer', 'Bearer ' + 'x'.repeat(43), 'Basic YWRtaW46YWRtaW4=', 'Bearer \u00ff'),
  },
  { requiredKeys: [] },
);

const request = (route: { method: string; url: string }) =>
  fc.record({
    params: fc.array(text, { minLength: 5, maxLength: 5 }),
    query,
    body,
    headers,
  }).map(({ params, query, body, headers }) => {
    let i = 0;
    const path = route.url.replace(/:[A-Za-z]+/g, () => encodeURIComponent(params[i++]!));
    const qs = new URLSearchParams(query).toString();
    const options: InjectOptions & { url: string } = {
      method: route.method as 'GET',
      url: `${path}${qs ? `?${qs}` : ''}`,
      headers: { ...headers, ...(body && route.method !== 'GET' ? { 'content-type': body.contentType } : {}) },
      ...(body && route.method !== 'GET' ? { payload: body.payload } : {}),
    };
    return options;
  });

/** What no answer may carry: a stack frame, SQL or a driver's words. */
const LEAK = /\bat .+\.(ts|js):\d+|node_modules|\b(SELECT|INSERT INTO|UPDATE .+ SET|DELETE FROM)\b|violates|syntax error|duplicate key|relation "/i;

describe('fuzzing every API route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.tokenFor('admin');
  });
  afterAll(() => t.close());

  it('answers random and malformed requests with a 4xx and the fixed error body, and changes nothing', async () => {
    const routes = t.app.apiRoutes.filter((r) => !SKIP.has(`${r.method} ${r.url}`));
    expect(routes.length).toBeGreaterThan(100);
    const counts = async () => {
      const all = await t.counts();
      for (const table of LAZY_TABLES) delete all[table];
      return all;
    };
    let before = await counts();
    const failures = new Map<string, string>();
    let hung = false;
    for (const route of routes) {
      for (const role of [null, 'admin'] as const) {
        let accepted = false;
        await fc.assert(
          fc.asyncProperty(request(route), async (options) => {
            if (hung) return;
            const where = `${role ?? 'anonymous'} ${route.method} ${route.url}`;
            const res = await answerWithin(t.api(role, { ...options, url: options.url.slice('/api/v1'.length) }), 10_000);
            if (!res) {
              // A hung request may hold the database: report it and stop walking.
              failures.set(where, `no answer within 10 s for ${options.method} ${options.url} ${String(options.payload).slice(0, 200)}`);
              hung = true;
              return;
            }
            if (res.statusCode >= 500) failures.set(where, `${res.statusCode} ${res.body.slice(0, 200)} for ${options.method} ${options.url}`);
            else if (res.statusCode >= 400) {
              const parsed = safeJson(res.body) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null;
              const e = parsed?.error;
              const fixed = e && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(e.code) && typeof e.message === 'string' && /[\u4e00-\u9fff]/.test(e.message) && typeof e.details === 'object' && e.details !== null;
              if (!fixed) failures.set(where, `${res.statusCode} without the fixed error body: ${res.body.slice(0, 200)}`);
            } else if (acceptsAnyObject(`${route.method} ${route.url}`)) {
              accepted = true;
            }
            if (LEAK.test(res.body) && res.statusCode >= 400) failures.set(`${where} (leak)`, res.body.slice(0, 200));
          }),
          { numRuns: RUNS, seed: SEED },
        );
        // Refused requests changed no row, the audit trail included; an accepted settings save starts a new baseline.
        if (hung) break;
        const after = await counts();
        if (accepted) before = after;
        else if (JSON.stringify(after) !== JSON.stringify(before)) {
          failures.set(`${role ?? 'anonymous'} ${route.method} ${route.url} (rows)`, JSON.stringify(diff(before, after)));
          before = after;
        }
      }
    }
    expect({ seed: SEED, failures: Object.fromEntries(failures) }).toEqual({ seed: SEED, failures: {} });
  }, 600_000);
});

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]).map((k) => [k, `${a[k] ?? 0} -> ${b[k] ?? 0}`]));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A request that hangs is a finding too, not a stuck test run. */
async function answerWithin<T>(answer: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
