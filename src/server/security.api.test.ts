import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timers } from '../jobs/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { buildApp } from './app.js';
import { KIOSK_HEADER, rateLimitsFromEnv } from './rate-limits.js';

const ticket = { serviceCode: 'T-001', channel: 'mobile' };

describe('abuse resistance and monitoring', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Production limits scaled down to 3 a minute (kiosks 60) so the test reaches them quickly.
    const limits = rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: '0.1', ONEWINDOW_KIOSK_KEYS: 'kiosk-lobby-1, kiosk-lobby-2' })!;
    t = await createTestApp({ config: { rateLimits: limits } });
  });
  afterAll(() => t.close());

  it('refuses a phone that takes too many tickets with 429 and a Chinese message, and issues nothing more', async () => {
    const from = (ip: string) => ({ method: 'POST' as const, url: '/tickets', payload: ticket, remoteAddress: ip });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.api(null, from('203.0.113.7'))).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await t.api(null, from('203.0.113.7'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^请求过于频繁，请 \d+ 秒后再试$/), details: { retryAfterSeconds: expect.any(Number) } },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.counts()).tickets).toBe(3);
    // Another phone is not held back by the first.
    expect((await t.api(null, from('203.0.113.8'))).statusCode).toBe(201);
    // A forged X-Forwarded-For from a client (not the proxy) does not buy a fresh allowance.
    const spoofed = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', payload: ticket, remoteAddress: '203.0.113.7', headers: { 'x-forwarded-for': '198.51.100.1' } });
    expect(spoofed.statusCode).toBe(429);
  });

  it('counts a registered kiosk by its device key with its own higher limit; an unknown key counts as no key', async () => {
    const kiosk = (key: string) => ({ method: 'POST' as const, url: '/tickets', payload: { ...ticket, channel: 'kiosk' }, remoteAddress: '203.0.113.20', headers: { [KIOSK_HEADER]: key } });
    for (let i = 0; i < 10; i++) expect((await t.api(null, kiosk('kiosk-lobby-1'))).statusCode).toBe(201);
    const forged = [];
    for (let i = 0; i < 4; i++) forged.push((await t.api(null, kiosk('made-up-key'))).statusCode);
    expect(forged).toEqual([201, 201, 201, 429]);
  });

  it('limits the progress query, so case numbers cannot be tried by the thousand', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await t.api(null, { method: 'GET', url: `/public/cases/NOPE${i}?password=123456`, remoteAddress: '203.0.113.30' })).statusCode);
    }
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
  });

  it('sends security headers that the web app works under, and keeps API answers out of caches', async () => {
    const res = await t.api(null, { method: 'GET', url: '/public/hall' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses an oversized body with 413 and the fixed error body', async () => {
    const res = await t.api(null, { method: 'POST', url: '/public/suggestions', payload: { content: 'x'.repeat(2_000_000) }, remoteAddress: '203.0.113.40' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大', details: {} } });
  });

  it('reports requests, queue lengths and open cases on /metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/onewindow_http_requests_total\{method="POST",route="\/api\/v1\/tickets",status="201"\} \d+/);
    expect(res.body).toMatch(/onewindow_http_requests_total\{method="POST",route="\/api\/v1\/tickets",status="429"\} \d+/);
    expect(res.body).toContain('onewindow_http_request_duration_seconds_bucket{method="POST",route="/api/v1/tickets",le="+Inf"}');
    // 3 + 1 phone tickets and 10 + 3 kiosk tickets wait at the one service.
    expect(res.body).toContain('onewindow_queue_waiting{hall="TEST",service="T-001"} 17');
    expect(res.body).toContain('# TYPE onewindow_cases_open gauge');
  });

  it('reports health with timer lag, and 503 once a due timer has waited too long', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', checks: { database: 'ok', timerLagSeconds: 0 } });
    // A reminder that fell due ten minutes ago and was never fired: the workers are stuck.
    await t.ctx.db.insert(timers).values({ hallId: t.hall.hallId, kind: 'appointment.no-show', key: 'stuck', dueAt: new Date(t.clock.now().getTime() - 600_000) });
    const stuck = await t.app.inject({ method: 'GET', url: '/health' });
    expect(stuck.statusCode).toBe(503);
    expect(stuck.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', timerLagSeconds: 600 } });
  });

  it('asks for the monitoring token when one is configured', async () => {
    const app = await buildApp({ ...t.ctx, config: { ...t.ctx.config, metricsToken: 'scrape-secret' } });
    try {
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers an unexpected failure with a plain 500: no stack trace, no SQL', async () => {
    const app = await buildApp(t.ctx);
    app.get('/boom', async () => {
      const err = new Error('relation "users" does not exist: SELECT password_hash FROM users WHERE id = $1');
      throw err;
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后再试', details: {} } });
      expect(res.body).not.toMatch(/SELECT|users|at .*\.ts/);
    } finally {
      await app.close();
    }
  });
});
