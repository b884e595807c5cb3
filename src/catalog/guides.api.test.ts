import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { completeGuide } from './test-guides.js';

describe('guides: drafts, publishing and history', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    const res = await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.departmentId), code: 'G-1', queuePrefix: 'G' } });
    expect(res.statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  const draftOf = async () => (await t.api('manager', { method: 'GET', url: '/catalog/services/G-1' })).json();
  const saveDraft = (content: object) => t.api('manager', { method: 'PUT', url: '/catalog/services/G-1/draft', payload: content });

  it('editing a published guide makes a draft; the public keeps the published text until it is published', async () => {
    const draft = await saveDraft(completeGuide(t.hall.departmentId, { name: '测试许可证核发（新）', promisedLimitDays: 6 }));
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toMatchObject({ basedOn: 1, updatedByName: '测试manager', missing: [] });

    const publicGuide = await t.api(null, { method: 'GET', url: '/services/G-1' });
    expect(publicGuide.json()).toMatchObject({ name: '测试许可证核发', promisedLimitDays: 5, currentGuideVersion: 1 });

    t.clock.advance(3_600_000);
    const published = await t.api('manager', { method: 'POST', url: '/catalog/services/G-1/publish', payload: { note: '调整承诺时限' } });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ name: '测试许可证核发（新）', promisedLimitDays: 6, currentGuideVersion: 2, publishedAt: '2025-09-30T10:00:00+08:00' });
    expect((await t.api(null, { method: 'GET', url: '/services/G-1' })).json()).toMatchObject({ promisedLimitDays: 6, currentGuideVersion: 2 });

    const view = await draftOf();
    expect(view.draft).toBeNull();
    expect(view.versions).toEqual([
      { version: 2, status: 'published', note: '调整承诺时限', publishedAt: '2025-09-30T10:00:00+08:00', publishedByName: '测试manager' },
      { version: 1, status: 'superseded', note: '首次发布', publishedAt: '2025-09-30T09:00:00+08:00', publishedByName: '测试manager' },
    ]);
    const v1 = await t.api('staff', { method: 'GET', url: '/catalog/services/G-1/versions/1' });
    expect(v1.json()).toMatchObject({ version: 1, status: 'superseded', guide: { name: '测试许可证核发', promisedLimitDays: 5 } });

    const audit = await t.api('supervisor', { method: 'GET', url: '/audit?entityId=G-1' });
    expect(audit.json().map((a: { action: string }) => a.action)).toEqual(['guide.published', 'guide.draft_saved', 'service.created']);
  });

  it('keeps material ids across versions and gives new materials their own', async () => {
    const base = completeGuide(t.hall.departmentId);
    const res = await saveDraft({ ...base, materials: [...base.materials!, { name: '户口簿', required: true }] });
    const ids = res.json().content.materials.map((m: { id: string }) => m.id);
    expect(ids.slice(0, 3)).toEqual(['id-card', 'form', 'proxy']);
    expect(ids[3]).toMatch(/^m[0-9a-f]{8}$/);
    const again = await saveDraft(res.json().content);
    expect(again.json().content.materials.map((m: { id: string }) => m.id)).toEqual(ids);
  });

  it('reorders materials into the draft, refusing an order that drops or invents one', async () => {
    const res = await t.api('manager', { method: 'PUT', url: '/catalog/services/G-1/draft/material-order', payload: { ids: ['proxy', 'id-card', 'form'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().content.materials.map((m: { id: string }) => m.id)).toEqual(['proxy', 'id-card', 'form']);
    const before = await t.counts();
    for (const ids of [['proxy', 'id-card'], ['proxy', 'id-card', 'form', 'x'], ['proxy', 'proxy', 'form']]) {
      const bad = await t.api('manager', { method: 'PUT', url: '/catalog/services/G-1/draft/material-order', payload: { ids } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.counts()).toEqual(before);
    await t.api('manager', { method: 'POST', url: '/catalog/services/G-1/publish', payload: {} });
    const notice = await t.api(null, { method: 'GET', url: '/services/G-1/notice' });
    expect(notice.json().materials.map((m: { no: number; id: string }) => `${m.no}:${m.id}`)).toEqual(['1:proxy', '2:id-card', '3:form']);
  });

  it('refuses to publish without a draft, and discards a draft back to the published guide', async () => {
    const none = await t.api('manager', { method: 'POST', url: '/catalog/services/G-1/publish', payload: {} });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('NO_DRAFT');
    await saveDraft(completeGuide(t.hall.departmentId, { name: '改名' }));
    const discarded = await t.api('manager', { method: 'DELETE', url: '/catalog/services/G-1/draft' });
    expect(discarded.statusCode).toBe(204);
    const view = await draftOf();
    expect(view.draft).toBeNull();
    expect(view.latest.name).toBe('测试许可证核发');
  });

  it('refuses a malformed draft with 400 and keeps the guide as it was', async () => {
    await t.tokenFor('manager');
    const before = await t.counts();
    const cases = [
      { ...completeGuide(t.hall.departmentId), kind: 'maybe' },
      { ...completeGuide(t.hall.departmentId), departmentId: crypto.randomUUID() },
      { ...completeGuide(t.hall.departmentId), materials: [{ name: '甲', copies: 0 }] },
      { ...completeGuide(t.hall.departmentId), fees: { free: false, items: [{ name: '费', amountFen: -1 }] } },
      { ...completeGuide(t.hall.departmentId), steps: [{ name: '受理', timeLimitDays: 'one' }] },
      { ...completeGuide(t.hall.departmentId), risks: [{ point: '风险', level: 'extreme' }] },
      { ...completeGuide(t.hall.departmentId), keywords: ['两个 词'] },
      { ...completeGuide(t.hall.departmentId), materials: [{ name: '甲', blankFormId: crypto.randomUUID() }] },
    ];
    for (const payload of cases) {
      const res = await saveDraft(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.counts()).toEqual(before);
    expect((await t.api('manager', { method: 'PUT', url: '/catalog/services/NOPE/draft', payload: completeGuide(t.hall.departmentId) })).statusCode).toBe(404);
  });

  it('changes queue and booking settings at once, without a new guide version', async () => {
    const res = await t.api('manager', {
      method: 'PATCH',
      url: '/catalog/services/G-1/settings',
      payload: { queuePrefix: 'GX', bookable: true, greenChannel: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ queuePrefix: 'GX', bookable: true, appointment: { slotMinutes: 30, capacity: 3, daysAhead: 7 }, greenChannel: true });
    const guide = (await t.api(null, { method: 'GET', url: '/services/G-1' })).json();
    expect(guide).toMatchObject({ queuePrefix: 'GX', bookable: true, greenChannel: true, currentGuideVersion: 1 });
    const bad = await t.api('manager', { method: 'PATCH', url: '/catalog/services/G-1/settings', payload: { queuePrefix: '1' } });
    expect(bad.statusCode).toBe(400);
  });

  it('lets staff read the editor view but only editors change anything', async () => {
    expect((await t.api('staff', { method: 'GET', url: '/catalog/services/G-1' })).statusCode).toBe(200);
    const res = await t.api('staff', { method: 'PUT', url: '/catalog/services/G-1/draft', payload: completeGuide(t.hall.departmentId) });
    expect(res.statusCode).toBe(403);
  });
});
