import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../auth/tables.js';
import { halls } from '../org/tables.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { apiServiceBody } from './test-guides.js';

let t: TestApp;
afterAll(async () => t?.close());
beforeEach(async () => {
  await t?.close();
  t = await createTestApp({ now: '2025-10-08T10:00:00+08:00' });
});

/** The fixture's county centre TEST (万和镇 TA with stations VA, VB; 殷店镇 TB with VC) and a published item X-100 of the county. */
async function network(): Promise<string> {
  for (const payload of [
    { parentCode: 'TEST', code: 'TA', name: '万和镇为民服务中心', level: 'township', address: '随县万和镇人民路 8 号' },
    { parentCode: 'TEST', code: 'TB', name: '殷店镇为民服务中心', level: 'township', address: '随县殷店镇新街 2 号' },
    { parentCode: 'TA', code: 'VA', name: '一村便民服务站', level: 'village', address: '随县万和镇一村村委会' },
    { parentCode: 'TA', code: 'VB', name: '二村便民服务站', level: 'village', address: '随县万和镇二村村委会' },
    { parentCode: 'TB', code: 'VC', name: '三村便民服务站', level: 'village', address: '随县殷店镇三村' },
  ]) expect((await t.api('manager', { method: 'POST', url: '/org/halls', payload })).statusCode).toBe(201);
  const res = await t.api('manager', { method: 'POST', url: '/services', payload: apiServiceBody(t.hall.departmentId) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
const levels = async (hall: string) => {
  const res = await t.api('manager', { method: 'GET', url: `/catalog/levels?hall=${hall}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { code: string; mode: string | null; decidedBy: { code: string } | null }[] };
};
const modeOf = async (hall: string, code = 'X-100') => (await levels(hall)).items.find((i) => i.code === code);
const places = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/services/X-100/places${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the catalogue per level', () => {
  it('sets all village stations of a township to take an item in, the township to decide it, and tells the public the nearest hall', async () => {
    const item = await network();
    const bulk = await t.api('manager', { method: 'POST', url: '/catalog/levels/bulk', payload: { under: 'TA', level: 'village', serviceIds: [item], mode: 'forward' } });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json()).toEqual({ halls: 2, changed: 2 });
    // Until the township decides it, the county (the item's own hall) does.
    expect(await modeOf('VA')).toMatchObject({ mode: 'forward', decidedBy: { code: 'TEST' } });
    const set = await t.api('manager', { method: 'PUT', url: '/catalog/levels/TA', payload: { items: [{ serviceId: item, mode: 'decide' }] } });
    expect(set.statusCode, set.body).toBe(200);
    expect(await modeOf('VB')).toMatchObject({ mode: 'forward', decidedBy: { code: 'TA' } });
    expect(await modeOf('VC')).toMatchObject({ mode: null, decidedBy: null });

    // The public guide: where the item is handled, and from 一村 the station itself, decided by the township.
    const fromVa = await places('?near=VA');
    expect(fromVa.places.map((p: { code: string; mode: string }) => `${p.code}:${p.mode}`).sort()).toEqual(['TA:decide', 'TEST:decide', 'VA:forward', 'VB:forward']);
    expect(fromVa.nearest).toMatchObject({ from: { code: 'VA', mode: 'forward' }, matchedBy: 'choice', place: { code: 'VA', mode: 'forward', decidedBy: { code: 'TA', name: '万和镇为民服务中心' } } });
    // From 殷店镇三村 by address: nothing in 殷店镇 takes it in, so the county centre.
    const fromVc = await places(`?address=${encodeURIComponent('殷店镇三村 5 组')}`);
    expect(fromVc.nearest).toMatchObject({ from: { code: 'VC', mode: null }, matchedBy: 'address', place: { code: 'TEST', mode: 'decide' } });
    expect((await places(`?address=${encodeURIComponent('火星')}`)).nearest).toBeNull();

    // The station's own search lists what it takes in, and stops when the row goes.
    const search = async (hall: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/services?hall=${hall}&q=X-100` })).json().map((s: { code: string }) => s.code);
    expect(await search('VA')).toEqual(['X-100']);
    // Its guide opens at the station too (the item belongs to the county).
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/services/X-100?hall=VA' })).statusCode).toBe(200);
    expect(await search('VC')).toEqual([]);
    expect((await t.api('manager', { method: 'PUT', url: '/catalog/levels/VA', payload: { items: [{ serviceId: item, mode: null }] } })).statusCode).toBe(200);
    expect(await search('VA')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/services/X-100?hall=VA' })).statusCode).toBe(404);

    // Every change is audited, one record per hall changed.
    const audit = await t.database.query<{ action: string }>(`SELECT action FROM audit_events WHERE entity_type = 'hall_catalog' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['catalog.level_bulk_set', 'catalog.level_bulk_set', 'catalog.level_set', 'catalog.level_set']);
  });

  it('copies the parent’s list: what the parent decides the station takes in and forwards to it, what the parent only guides the station guides', async () => {
    const item = await network();
    expect((await t.api('manager', { method: 'PUT', url: '/catalog/levels/TB', payload: { items: [{ serviceId: item, mode: 'decide' }, { serviceId: t.hall.serviceId, mode: 'guide' }] } })).statusCode).toBe(200);
    const copy = await t.api('manager', { method: 'POST', url: '/catalog/levels/VC/copy-from-parent' });
    expect(copy.statusCode, copy.body).toBe(200);
    expect(copy.json().items.map((i: { code: string; mode: string; decidedBy: { code: string } }) => `${i.code}:${i.mode}:${i.decidedBy.code}`)).toEqual(['T-001:guide:TEST', 'X-100:forward:TB']);
    // A township copying the county gets the county's own items as taken in and forwarded.
    const township = await t.api('manager', { method: 'POST', url: '/catalog/levels/TA/copy-from-parent' });
    expect(township.json().items.every((i: { mode: string; decidedBy: { code: string } }) => i.mode === 'forward' && i.decidedBy.code === 'TEST')).toBe(true);
    expect((await t.api('manager', { method: 'POST', url: '/catalog/levels/TEST/copy-from-parent' })).statusCode).toBe(409);
  });

  it('refuses an item not defined above the hall, bad input and another township’s manager, changing nothing', async () => {
    const item = await network();
    // A manager of 殷店镇, who may set 殷店镇's stations but not 万和镇's.
    const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
    const [tb] = await t.ctx.db.select({ id: halls.id }).from(halls).where(eq(halls.code, 'TB'));
    await t.ctx.db.insert(users).values({ hallId: tb!.id, username: 'tbmanager', displayName: '殷店镇管理员', passwordHash: model!.hash, roles: ['manager'] });
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tbmanager', password: TEST_PASSWORD } })).json().token;
    const as = (method: 'GET' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}` } });
    await t.tokenFor('manager');
    const before = await t.counts();
    const own = await t.api('manager', { method: 'PUT', url: '/catalog/levels/TEST', payload: { items: [{ serviceId: item, mode: 'forward' }] } });
    expect(own.statusCode).toBe(409);
    expect(own.json().error).toMatchObject({ code: 'NOT_ABOVE', message: expect.stringContaining('上级') });
    const bad = await t.api('manager', { method: 'PUT', url: '/catalog/levels/TA', payload: { items: [{ serviceId: item, mode: 'decide-ish' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.api('manager', { method: 'POST', url: '/catalog/levels/bulk', payload: { level: 'city', serviceIds: [item], mode: 'forward' } })).statusCode).toBe(400);

    expect((await as('PUT', '/catalog/levels/VA', { items: [{ serviceId: item, mode: 'forward' }] })).statusCode).toBe(403);
    expect((await as('GET', '/catalog/levels?hall=TA')).statusCode).toBe(403);
    expect(await t.counts()).toEqual(before);
    expect((await as('PUT', '/catalog/levels/VC', { items: [{ serviceId: item, mode: 'forward' }] })).statusCode).toBe(200);
  });

  it('gives the public the network for its picker, with addresses', async () => {
    await network();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/network' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toContainEqual({ code: 'VA', name: '一村便民服务站', level: 'village', address: '随县万和镇一村村委会', parentCode: 'TA' });
    expect(res.json().find((h: { code: string }) => h.code === 'TEST').parentCode).toBeNull();
  });
});
