import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { apiServiceBody, completeGuide } from './test-guides.js';

describe('service items: POST /services, GET /services, GET /services/{code}', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('creates an item from exactly the api.md body and publishes it as guide version 1', async () => {
    const res = await t.api('manager', { method: 'POST', url: '/services', payload: apiServiceBody(t.hall.departmentId) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      code: 'X-100',
      name: '测试护照签发',
      departmentId: t.hall.departmentId,
      departmentName: '测试局',
      legalLimitDays: 15,
      promisedLimitDays: 7,
      kind: 'promised',
      kindLabel: '承诺件',
      queuePrefix: 'A',
      bookable: true,
      appointment: { slotMinutes: 30, capacity: 3, daysAhead: 7 },
      currentGuideVersion: 1,
      publishedAt: '2025-09-30T09:00:00+08:00',
      materials: [
        { id: 'id-card', name: '居民身份证', required: true },
        { id: 'photo', name: '近期免冠照片', required: false },
      ],
    });

    const guide = await t.api(null, { method: 'GET', url: '/services/X-100' });
    expect(guide.statusCode).toBe(200);
    expect(guide.json()).toMatchObject({ code: 'X-100', currentGuideVersion: 1, materials: [{ id: 'id-card' }, { id: 'photo' }] });

    const list = await t.api(null, { method: 'GET', url: '/services' });
    expect(list.statusCode).toBe(200);
    expect(list.json().map((s: { code: string }) => s.code)).toEqual(['X-100']);
    expect(list.headers['x-total-count']).toBe('1');
  });

  it('keeps the appointment a bookable item carries and records the creation in the audit trail', async () => {
    const body = { ...apiServiceBody(t.hall.departmentId), appointment: { slotMinutes: 20, capacity: 5, daysAhead: 14 } };
    const res = await t.api('admin', { method: 'POST', url: '/services', payload: body });
    expect(res.json().appointment).toEqual({ slotMinutes: 20, capacity: 5, daysAhead: 14 });
    const audit = await t.api('supervisor', { method: 'GET', url: '/audit?action=service.created&entityId=X-100' });
    expect(audit.json()[0]).toMatchObject({ action: 'service.created', actorRoles: ['admin'] });
  });

  it('takes a whole guide in the same call', async () => {
    const body = { ...completeGuide(t.hall.departmentId), code: 'X-200', queuePrefix: 'B', bookable: false };
    const res = await t.api('manager', { method: 'POST', url: '/services', payload: body });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      category: 'licensing',
      categoryLabel: '行政许可',
      appointment: null,
      fees: { free: false, items: [{ name: '工本费', amountFen: 1050, amountLabel: '10.50元/件' }], summary: '工本费 10.50元/件' },
      materials: [{ id: 'id-card', formLabel: '原件' }, { id: 'form', copies: 2 }, { id: 'proxy', required: false, condition: '委托他人办理的' }],
      steps: [{ name: '受理' }, { name: '审查' }, { name: '决定' }],
      risks: [{ levelLabel: '中' }],
      faq: [{ question: '可以代办吗？' }],
    });
  });

  it('refuses a duplicate code with 409 DUPLICATE and changes nothing', async () => {
    await t.api('manager', { method: 'POST', url: '/services', payload: apiServiceBody(t.hall.departmentId) });
    const before = await t.counts();
    const again = await t.api('manager', { method: 'POST', url: '/services', payload: { ...apiServiceBody(t.hall.otherDepartmentId), name: '另一个' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'DUPLICATE', message: expect.stringContaining('X-100') });
    const fixture = await t.api('manager', { method: 'POST', url: '/services', payload: apiServiceBody(t.hall.departmentId, 'T-001') });
    expect(fixture.statusCode).toBe(409);
    expect(await t.counts()).toEqual(before);
  });

  it('answers bad input with 400 VALIDATION_FAILED in Chinese and changes nothing', async () => {
    await t.tokenFor('manager');
    const before = await t.counts();
    const base = apiServiceBody(t.hall.departmentId);
    const cases: [string, unknown][] = [
      ['no body fields', {}],
      ['bad code', { ...base, code: '护照 001' }],
      ['bad kind', { ...base, kind: 'joint' }],
      ['negative limit', { ...base, legalLimitDays: -1 }],
      ['promised longer than legal', { ...base, promisedLimitDays: 30 }],
      ['lower-case prefix', { ...base, queuePrefix: 'a' }],
      ['material without name', { ...base, materials: [{ id: 'x', name: '', required: true }] }],
      ['duplicate material ids', { ...base, materials: [{ id: 'x', name: '甲', required: true }, { id: 'x', name: '乙', required: true }] }],
      ['unknown department', { ...base, departmentId: crypto.randomUUID() }],
      ['bad category', { ...base, category: '许可' }],
      ['bad appointment', { ...base, appointment: { slotMinutes: 0, capacity: 3, daysAhead: 7 } }],
      ['fee in yuan with decimals', { ...base, fees: { free: false, items: [{ name: '工本费', amountFen: 10.5 }] } }],
      ['attachment it cannot own', { ...base, flowChartId: crypto.randomUUID() }],
    ];
    for (const [what, payload] of cases) {
      const res = await t.api('manager', { method: 'POST', url: '/services', payload: payload as object });
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.code, what).toBe('VALIDATION_FAILED');
      expect(res.json().error.message, what).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await t.counts()).toEqual(before);
  });

  it('keeps an item created as a draft out of the public catalogue until it is published', async () => {
    await t.api('manager', { method: 'POST', url: '/services', payload: { ...apiServiceBody(t.hall.departmentId), publish: false } });
    expect((await t.api(null, { method: 'GET', url: '/services' })).json()).toEqual([]);
    expect((await t.api(null, { method: 'GET', url: '/services/X-100' })).statusCode).toBe(404);
    const staff = await t.api('staff', { method: 'GET', url: '/catalog/services' });
    expect(staff.json().find((s: { code: string }) => s.code === 'X-100')).toMatchObject({ status: 'draft', currentGuideVersion: null });
    const published = await t.api('manager', { method: 'POST', url: '/catalog/services/X-100/publish', payload: {} });
    expect(published.json()).toMatchObject({ currentGuideVersion: 1 });
    expect((await t.api(null, { method: 'GET', url: '/services/X-100' })).statusCode).toBe(200);
  });

  it('answers an unknown code with 404 NOT_FOUND', async () => {
    const res = await t.api(null, { method: 'GET', url: '/services/NOPE-1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('filters the public list by department and category', async () => {
    await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.departmentId), code: 'A-1', queuePrefix: 'A' } });
    await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.otherDepartmentId, { name: '测试补贴发放', category: 'benefit' }), code: 'B-1', queuePrefix: 'B' } });
    const codes = async (url: string) => (await t.api(null, { method: 'GET', url })).json().map((s: { code: string }) => s.code);
    expect(await codes(`/services?department=${t.hall.otherDepartmentId}`)).toEqual(['B-1']);
    expect(await codes(`/services?department=${encodeURIComponent('测试局')}`)).toEqual(['A-1']);
    expect(await codes('/services?category=benefit')).toEqual(['B-1']);
    expect((await t.api(null, { method: 'GET', url: '/services?category=nope' })).statusCode).toBe(400);
  });
});
