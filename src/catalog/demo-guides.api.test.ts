import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedDemoHall } from '../demo/seed.js';
import { DEMO_SERVICES } from '../demo/services.js';
import { buildApp } from '../server/app.js';
import { fixedClock } from '../server/clock.js';
import { defaultConfig } from '../server/context.js';
import { resetDatabase, testDatabase } from '../testing/test-db.js';

// The demo hall is what a visitor sees first: every guide must pass the review and be findable.
describe('the demo hall catalogue', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const database = await testDatabase();
    await resetDatabase(database);
    await seedDemoHall(database.db, new Date('2025-09-30T01:00:00Z'));
    app = await buildApp({ database, db: database.db, clock: fixedClock('2025-09-30T09:00:00+08:00'), config: { ...defaultConfig } });
    await app.ready();
  });
  afterAll(() => app?.close());

  const get = (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}` });

  it('publishes every demo item with a guide complete in all eight parts', async () => {
    const list = (await get('/services')).json();
    expect(list.map((s: { code: string }) => s.code).sort()).toEqual(DEMO_SERVICES.map((s) => s.code).sort());
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: 'Demo2025' } });
    const report = await app.inject({ method: 'GET', url: '/api/v1/catalog/completeness?of=published', headers: { authorization: `Bearer ${login.json().token}` } });
    expect(report.json().totals).toEqual({ items: DEMO_SERVICES.length, complete: DEMO_SERVICES.length, incomplete: 0 });
  });

  it('finds the passport by "hz" and both exit-entry items by "出入境"', async () => {
    expect((await get('/services?q=hz')).json()[0]).toMatchObject({ code: 'GA-CRJ-001', name: '普通护照签发' });
    expect((await get(`/services?q=${encodeURIComponent('出入境')}`)).json().map((s: { code: string }) => s.code)).toEqual(['GA-CRJ-001', 'GA-CRJ-002']);
  });

  it('charges 120 yuan for a passport under the national fee rules', async () => {
    const guide = (await get('/services/GA-CRJ-001')).json();
    expect(guide.fees.items[0]).toMatchObject({ name: '普通护照', amountFen: 12000, amountLabel: '120元/本' });
    expect(guide.fees.items[0].basis).toContain('发改价格规〔2019〕914号');
    expect(guide.windows).toEqual([expect.objectContaining({ number: 2, name: '出入境窗口' })]);
  });
});
