import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { completeGuide } from './test-guides.js';

describe('completeness report (the eight-part catalogue review)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const create = (code: string, departmentId: string, overrides = {}) =>
    t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(departmentId, overrides), code, queuePrefix: 'C' } });
  const report = async (query = '') => {
    const res = await t.api('manager', { method: 'GET', url: `/catalog/completeness${query}` });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const flagged = (r: { departments: { items: { code: string }[] }[] }) => r.departments.flatMap((d) => d.items.map((i) => i.code));

  it('flags an item whose FAQ is empty and stops flagging it once filled', async () => {
    await create('C-1', t.hall.departmentId);
    await create('C-2', t.hall.departmentId, { faq: [] });

    const before = await report();
    expect(flagged(before)).toContain('C-2');
    expect(flagged(before)).not.toContain('C-1');
    const item = before.departments.flatMap((d: { items: unknown[] }) => d.items).find((i: { code: string }) => i.code === 'C-2');
    expect(item.missing).toEqual([{ part: 'faq', label: '常见问题', problems: ['未填写常见问题'] }]);

    await t.api('manager', {
      method: 'PUT',
      url: '/catalog/services/C-2/draft',
      payload: completeGuide(t.hall.departmentId, { faq: [{ question: '需要本人到场吗？', answer: '需要本人到场采集信息。' }] }),
    });
    expect(flagged(await report())).not.toContain('C-2');
    // What citizens see is still the old guide until the draft is published.
    expect(flagged(await report('?of=published'))).toContain('C-2');
    await t.api('manager', { method: 'POST', url: '/catalog/services/C-2/publish', payload: {} });
    expect(flagged(await report('?of=published'))).not.toContain('C-2');
  });

  it('groups the items missing parts by department, with every reason and a count per part', async () => {
    await create('C-3', t.hall.otherDepartmentId, { risks: [], fees: { free: false, items: [{ name: '工本费', amountFen: 100, basis: '' }] } });
    const r = await report();
    // The fixture's T-001 was inserted without any guide: every part is missing.
    expect(r.totals).toEqual({ items: 2, complete: 0, incomplete: 2 });
    const other = r.departments.find((d: { departmentName: string }) => d.departmentName === '另一局');
    expect(other).toMatchObject({ total: 1, incomplete: 1 });
    expect(other.items[0].missing).toEqual([
      { part: 'fees', label: '收费标准', problems: ['收费项目“工本费”未填写收费依据'] },
      { part: 'risks', label: '廉政风险点', problems: ['未填写廉政风险点'] },
    ]);
    const fixture = r.departments.find((d: { departmentName: string }) => d.departmentName === '测试局').items[0];
    expect(fixture.missing.map((m: { part: string }) => m.part)).toEqual(['basic', 'flow', 'materials', 'fees', 'forms', 'steps', 'risks', 'faq']);
    expect(r.byPart).toMatchObject({ risks: 2, fees: 2, faq: 1 });

    const only = await report(`?departmentId=${t.hall.otherDepartmentId}`);
    expect(only.totals.items).toBe(1);
  });

  it('is open to the manager, leaders and supervisors, not to window staff', async () => {
    expect((await t.api('supervisor', { method: 'GET', url: '/catalog/completeness' })).statusCode).toBe(200);
    expect((await t.api('leader', { method: 'GET', url: '/catalog/completeness' })).statusCode).toBe(200);
    expect((await t.api('staff', { method: 'GET', url: '/catalog/completeness' })).statusCode).toBe(403);
  });

  it('marks missing parts in the staff list so the editor can jump to them', async () => {
    await create('C-4', t.hall.departmentId, { forms: [], steps: [{ name: '受理', role: '', timeLimitDays: null }] });
    const list = (await t.api('staff', { method: 'GET', url: '/catalog/services' })).json();
    expect(list.find((i: { code: string }) => i.code === 'C-4')).toMatchObject({ status: 'published', missingParts: ['flow', 'forms', 'steps'] });
  });
});
