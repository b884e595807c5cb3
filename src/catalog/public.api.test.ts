import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { completeGuide } from './test-guides.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);

describe('public portal: search, guide, one-time notice, 六公开, attachments', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    const items = [
      { code: 'P-1', name: '普通护照签发', keywords: ['出入境', '出国'] },
      { code: 'P-2', name: '往来港澳通行证签发', keywords: ['出入境', '港澳'] },
      { code: 'P-3', name: '户口迁移登记', keywords: ['户籍'] },
      { code: 'P-4', name: '林木采伐许可证核发', keywords: ['砍树'] },
    ];
    for (const item of items) {
      const res = await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.departmentId, item), code: item.code, queuePrefix: 'P' } });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const search = async (q: string) => (await t.api(null, { method: 'GET', url: `/services?q=${encodeURIComponent(q)}` })).json().map((s: { name: string }) => s.name);

  it('finds items by name, pinyin initials, full pinyin, keyword and department, best match first', async () => {
    expect((await search('hz'))[0]).toBe('普通护照签发');
    expect((await search('huzhao'))[0]).toBe('普通护照签发');
    expect(await search('护照')).toEqual(['普通护照签发']);
    expect(await search('出入境')).toEqual(['普通护照签发', '往来港澳通行证签发']);
    expect(await search('通行证')).toEqual(['往来港澳通行证签发']);
    expect(await search('砍树')).toEqual(['林木采伐许可证核发']);
    expect(await search('测试局')).toHaveLength(4);
    expect(await search('出入境 港澳')).toEqual(['往来港澳通行证签发']);
    expect(await search('没有这个事项')).toEqual([]);
  });

  it('sees a newly published item, a renamed department and an unpublished draft at once', async () => {
    await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.departmentId, { name: '食品经营许可证核发' }), code: 'P-5', queuePrefix: 'P' } });
    expect(await search('spjy')).toEqual(['食品经营许可证核发']);
    await t.api('manager', { method: 'PATCH', url: `/departments/${t.hall.departmentId}`, payload: { name: '市场监管局' } });
    expect(await search('市场监管')).toHaveLength(5);
    await t.api('manager', { method: 'PUT', url: '/catalog/services/P-5/draft', payload: completeGuide(t.hall.departmentId, { name: '食品经营许可' }) });
    expect(await search('spjy')).toEqual(['食品经营许可证核发']);
  });

  it('serves the one-time notice with every material, fees, limits, basis and a QR code to the online guide', async () => {
    const res = await t.api(null, { method: 'GET', url: '/services/P-1/notice', headers: { host: 'hall.example.cn' } });
    expect(res.statusCode).toBe(200);
    const notice = res.json();
    expect(notice).toMatchObject({
      title: '一次性告知单',
      hall: { name: '测试政务服务中心' },
      service: { code: 'P-1', name: '普通护照签发', departmentName: '测试局', kindLabel: '承诺件' },
      guideVersion: 1,
      legalBasis: '《中华人民共和国行政许可法》',
      limits: { legalLimitDays: 20, promisedLimitDays: 5, text: '法定办结时限 20 个工作日；承诺办结时限 5 个工作日' },
      fees: { summary: '工本费 10.50元/件' },
      location: '测试政务服务中心一楼 1 号窗口',
      hoursNote: '工作日 09:00-12:00、13:00-17:00（法定节假日除外）',
      url: 'http://hall.example.cn/portal/services/P-1',
      issuedAt: '2025-09-30T09:00:00+08:00',
    });
    expect(notice.materials.map((m: { no: number; name: string; requirement: string }) => [m.no, m.name, m.requirement])).toEqual([
      [1, '居民身份证', '必需'],
      [2, '申请表', '必需'],
      [3, '授权委托书', '视情形提交：委托他人办理的'],
    ]);
    expect(notice.qr.png).toMatch(/^data:image\/png;base64,/);
    const svg = Buffer.from(notice.qr.svg.replace('data:image/svg+xml;base64,', ''), 'base64').toString();
    expect(svg).toContain('<svg');
  });

  it('uses the hall’s configured public address in the QR code when it has one', async () => {
    await t.database.query(`UPDATE halls SET settings = '{"publicUrl":"https://zwfw.example.gov.cn/"}'`);
    const notice = (await t.api(null, { method: 'GET', url: '/services/P-1/notice?hall=TEST' })).json();
    expect(notice.url).toBe('https://zwfw.example.gov.cn/portal/services/P-1?hall=TEST');
  });

  it('publishes the six disclosures per department: items, procedures, materials, limits and fees', async () => {
    const res = await t.api(null, { method: 'GET', url: '/catalog/six-disclosures' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({ departments: 1, items: 4 });
    expect(body.departments[0]).toMatchObject({ name: '测试局', windows: [{ number: 1, name: '测试窗口' }] });
    expect(body.departments[0].items[0]).toMatchObject({
      code: 'P-1',
      kindLabel: '承诺件',
      legalLimitDays: 20,
      promisedLimitDays: 5,
      procedure: ['受理', '审查', '决定'],
      materials: [{ name: '居民身份证', required: true }, { name: '申请表' }, { name: '授权委托书', required: false, condition: '委托他人办理的' }],
      fees: '工本费 10.50元/件',
      feeBasis: ['测试收费文件'],
    });
  });

  it('uploads a blank form, shows it once published, and lets anyone download it then', async () => {
    const up = await t.api('manager', {
      method: 'POST',
      url: `/catalog/services/P-1/attachments?filename=${encodeURIComponent('申请表（空白）.pdf')}`,
      payload: PDF,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(up.statusCode).toBe(201);
    const file = up.json();
    expect(file).toMatchObject({ filename: '申请表（空白）.pdf', mimeType: 'application/pdf', size: PDF.length, url: `/api/v1/catalog/attachments/${file.id}` });

    // Not referenced by a published guide yet: only staff can fetch it.
    expect((await t.api(null, { method: 'GET', url: `/catalog/attachments/${file.id}` })).statusCode).toBe(404);
    expect((await t.api('staff', { method: 'GET', url: `/catalog/attachments/${file.id}` })).statusCode).toBe(200);

    const base = completeGuide(t.hall.departmentId, { name: '普通护照签发', keywords: ['出入境'] });
    const materials = base.materials!.map((m) => (m.id === 'form' ? { ...m, blankFormId: file.id } : m));
    const draft = await t.api('manager', { method: 'PUT', url: '/catalog/services/P-1/draft', payload: { ...base, materials, forms: [{ name: '申请表', blankFormId: file.id }] } });
    expect(draft.statusCode).toBe(200);
    await t.api('manager', { method: 'POST', url: '/catalog/services/P-1/publish', payload: {} });

    const guide = (await t.api(null, { method: 'GET', url: '/services/P-1' })).json();
    expect(guide.materials[1].blankForm).toMatchObject({ id: file.id, filename: '申请表（空白）.pdf' });
    expect(guide.forms[0].blankForm).toMatchObject({ id: file.id });
    const download = await t.api(null, { method: 'GET', url: `/catalog/attachments/${file.id}?download=true` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''");
    expect(download.rawPayload.equals(PDF)).toBe(true);

    const del = await t.api('manager', { method: 'DELETE', url: `/catalog/attachments/${file.id}` });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('IN_USE');
  });

  it('refuses files whose content does not match their name, empty files and other types, storing nothing', async () => {
    await t.tokenFor('manager');
    const before = await t.counts();
    const cases: [string, Buffer, string][] = [
      ['样表.pdf', PNG, 'application/pdf'],
      ['page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'application/octet-stream'],
      ['空.pdf', Buffer.alloc(0), 'application/pdf'],
      ['病毒.exe', Buffer.from('MZ\x90\x00'), 'application/octet-stream'],
    ];
    for (const [name, bytes, type] of cases) {
      const res = await t.api('manager', { method: 'POST', url: `/catalog/services/P-1/attachments?filename=${encodeURIComponent(name)}`, payload: bytes, headers: { 'content-type': type } });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const png = await t.api('manager', { method: 'POST', url: '/catalog/services/P-1/attachments?filename=sample.png', payload: PNG, headers: { 'content-type': 'image/png' } });
    expect(png.statusCode).toBe(201);
    const removed = await t.api('manager', { method: 'DELETE', url: `/catalog/attachments/${png.json().id}` });
    expect(removed.statusCode).toBe(204);
    const after = await t.counts();
    expect({ ...after, audit_events: before.audit_events }).toEqual(before);
  });
});
