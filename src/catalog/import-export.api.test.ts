import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { completeGuide } from './test-guides.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(sheets: Record<string, (string | number)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) wb.addWorksheet(name).addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const ITEM_HEADERS = ['事项编码', '事项名称', '事项类型', '实施部门', '办件类型', '法定时限（工作日）', '承诺时限（工作日）', '排队号前缀', '设定依据', '不收费'];
const MATERIAL_HEADERS = ['事项编码', '材料编号', '材料名称', '是否必需', '适用情形', '材料形式', '份数'];

describe('catalogue import and export (.xlsx and JSON)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const importFile = (body: Buffer | object, query = '') =>
    t.api('manager', {
      method: 'POST',
      url: `/catalog/import${query}`,
      payload: body as Buffer,
      headers: { 'content-type': Buffer.isBuffer(body) ? XLSX : 'application/json' },
    });

  it('imports a malformed spreadsheet not at all, reporting every bad row with its row number and reason', async () => {
    const file = await workbook({
      事项: [
        ITEM_HEADERS,
        ['OK-1', '正确的事项', '行政许可', '测试局', '承诺件', 20, 5, 'A', '《行政许可法》', '是'],
        ['BAD-1', '办件类型错误', '行政许可', '测试局', '联办件', 20, 5, 'A', '', '是'],
        ['BAD-2', '', '行政许可', '测试局', '即办件', 1, 0, 'A', '', '是'],
        ['BAD-3', '时限不是数字', '行政许可', '测试局', '承诺件', '二十', 5, 'A', '', '是'],
        ['BAD-4', '部门不存在', '公共服务', '宇宙局', '即办件', 1, 0, 'A', '', '是'],
        ['OK-1', '编码重复', '行政许可', '测试局', '承诺件', 20, 5, 'A', '', '是'],
        ['BAD-5', '承诺超过法定', '行政确认', '测试局', '承诺件', 5, 10, 'a', '', '否'],
      ],
      申请材料: [
        MATERIAL_HEADERS,
        ['OK-1', 'id', '身份证', '是', '', '原件', 1],
        ['OK-1', 'copy', '复印件', '是', '', '扫描件', 1],
        ['NOPE', 'x', '材料', '是', '', '原件', 1],
      ],
    });
    await t.tokenFor('manager');
    const before = await t.counts();
    const res = await importFile(file);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('未导入任何事项') });
    const errors = res.json().error.details.errors as { sheet: string; row: number; field: string | null; reason: string }[];
    const at = errors.map((e) => `${e.sheet}:${e.row}:${e.field}`);
    expect(at).toEqual(
      expect.arrayContaining([
        '事项:3:办件类型',
        '事项:4:事项名称',
        '事项:5:法定时限（工作日）',
        '事项:6:实施部门',
        '事项:7:事项编码',
        '事项:8:承诺时限（工作日）',
        '事项:8:排队号前缀',
        '申请材料:3:材料形式',
        '申请材料:4:事项编码',
      ]),
    );
    expect(errors).toHaveLength(9);
    expect(errors.find((e) => e.row === 3 && e.sheet === '事项')!.reason).toBe('办件类型只能是即办件、承诺件');
    expect(errors.find((e) => e.row === 6)!.reason).toContain('宇宙局');
    expect(errors.find((e) => e.row === 7)!.reason).toBe('事项编码 OK-1 与第 2 行重复');
    expect(errors.find((e) => e.sheet === '申请材料' && e.row === 4)!.reason).toBe('事项编码 NOPE 不在“事项”表中');
    expect(await t.counts()).toEqual(before);
  });

  it('checks a file without importing it in a dry run', async () => {
    const file = await workbook({ 事项: [ITEM_HEADERS, ['D-1', '演练事项', '公共服务', '测试局', '即办件', 1, 0, 'D', '《某条例》', '是']] });
    await t.tokenFor('manager');
    const before = await t.counts();
    const res = await importFile(file, '?dryRun=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, created: ['D-1'], updated: [], errors: [] });
    expect(await t.counts()).toEqual(before);
    const bad = await importFile(await workbook({ 事项: [['名称']] }), '?dryRun=true');
    expect(bad.statusCode).toBe(200);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('事项编码');
  });

  it('refuses a file that is not a spreadsheet at all', async () => {
    const res = await t.api('manager', { method: 'POST', url: '/catalog/import', payload: Buffer.from('not a zip'), headers: { 'content-type': XLSX } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.errors[0].reason).toContain('.xlsx');
  });

  it('round-trips the catalogue through Excel and JSON into a new hall', async () => {
    await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.departmentId), code: 'R-1', queuePrefix: 'R', bookable: true, appointment: { slotMinutes: 15, capacity: 2, daysAhead: 10 } } });
    await t.api('manager', {
      method: 'POST',
      url: '/services',
      payload: { ...completeGuide(t.hall.otherDepartmentId, { name: '免费确认事项', category: 'confirmation', kind: 'immediate', promisedLimitDays: 0, fees: { free: true, items: [], note: '' }, noForms: true, forms: [], tips: ['第一条', '第二条'] }), code: 'R-2', queuePrefix: 'S' },
    });
    const exportOf = async (app: TestApp, format: string) => {
      const res = await app.api('supervisor', { method: 'GET', url: `/catalog/export?format=${format}` });
      expect(res.statusCode).toBe(200);
      return res;
    };
    const xlsx = await exportOf(t, 'xlsx');
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const json = (await exportOf(t, 'json')).json();
    expect(json).toMatchObject({ format: 'onewindow-catalog', formatVersion: 1, hall: { code: 'TEST' } });
    expect(json.items.map((i: { code: string }) => i.code)).toEqual(['R-1', 'R-2']);

    for (const [format, body] of [['xlsx', xlsx.rawPayload], ['json', json]] as const) {
      const fresh = await createTestApp();
      const res = await fresh.api('manager', { method: 'POST', url: '/catalog/import', payload: body as Buffer, headers: { 'content-type': format === 'xlsx' ? XLSX : 'application/json' } });
      expect(res.statusCode, format).toBe(200);
      expect(res.json()).toMatchObject({ created: ['R-1', 'R-2'], updated: [], errors: [] });
      const again = (await exportOf(fresh, 'json')).json();
      expect(again.items, format).toEqual(json.items);
      expect((await fresh.api(null, { method: 'GET', url: '/services/R-1' })).json()).toMatchObject({ currentGuideVersion: 1, appointment: { slotMinutes: 15 } });
      await fresh.close();
    }
  });

  it('updates known items as a new published version and keeps their attachments', async () => {
    await t.api('manager', { method: 'POST', url: '/services', payload: { ...completeGuide(t.hall.departmentId), code: 'U-1', queuePrefix: 'U' } });
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
    const file = (await t.api('manager', { method: 'POST', url: '/catalog/services/U-1/attachments?filename=form.pdf', payload: pdf, headers: { 'content-type': 'application/pdf' } })).json();
    const base = completeGuide(t.hall.departmentId);
    await t.api('manager', { method: 'PUT', url: '/catalog/services/U-1/draft', payload: { ...base, forms: [{ name: '测试许可申请表', blankFormId: file.id }] } });
    await t.api('manager', { method: 'POST', url: '/catalog/services/U-1/publish', payload: {} });

    const exported = (await t.api('manager', { method: 'GET', url: '/catalog/export?format=xlsx' })).rawPayload;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported as unknown as ExcelJS.Buffer);
    const items = wb.getWorksheet('事项')!;
    const nameCol = (items.getRow(1).values as string[]).indexOf('事项名称');
    const row = [2, 3].find((r) => items.getRow(r).getCell(1).value === 'U-1')!;
    items.getRow(row).getCell(nameCol).value = '测试许可证核发（修订）';
    const changed = Buffer.from(await wb.xlsx.writeBuffer());

    const res = await importFile(changed);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: [], updated: ['U-1'] });
    const guide = (await t.api(null, { method: 'GET', url: '/services/U-1' })).json();
    expect(guide).toMatchObject({ name: '测试许可证核发（修订）', currentGuideVersion: 3, forms: [{ name: '测试许可申请表', blankForm: { id: file.id } }] });
    const audit = await t.api('supervisor', { method: 'GET', url: '/audit?action=catalog.imported' });
    expect(audit.json()[0].after).toMatchObject({ format: 'xlsx', updated: expect.arrayContaining(['U-1']) });
  });
});
