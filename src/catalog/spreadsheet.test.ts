import { describe, expect, it } from 'vitest';
import { CatalogItem } from './schemas.js';
import { byPosition, itemsToSheets, sheetsToEntries, validateEntries, validateJsonItems, type SheetData } from './spreadsheet.js';
import { completeGuide } from './test-guides.js';

const DEPT = '00000000-0000-4000-8000-000000000001';
const item = (code: string, overrides = {}): CatalogItem => {
  const { departmentId: _d, ...guide } = completeGuide(DEPT, overrides);
  return CatalogItem.parse({ ...guide, code, department: '测试局', queuePrefix: 'A', bookable: true, appointment: { slotMinutes: 20, capacity: 4, daysAhead: 5 } });
};
const read = (sheets: SheetData[]) => {
  const parsed = sheetsToEntries(sheets);
  const validated = validateEntries(parsed.entries, parsed.errors);
  return { items: validated.items, errors: [...parsed.errors, ...validated.errors].sort(byPosition) };
};
const withCells = (sheets: SheetData[], sheet: string, row: number, cells: Record<string, string>) =>
  sheets.map((s) => (s.name === sheet ? { ...s, rows: s.rows.map((r) => (r.row === row ? { ...r, cells: { ...r.cells, ...cells } } : r)) } : s));

describe('catalogue workbook rows', () => {
  it('reads back exactly what it writes', () => {
    const items = [item('A-1'), item('A-2', { fees: { free: true, items: [] }, tips: ['第一条', '第二条'], category: 'benefit', kind: 'immediate', promisedLimitDays: 0 })];
    const sheets = itemsToSheets(items);
    expect(sheets.map((s) => s.name)).toEqual(['事项', '申请材料', '收费标准', '办理环节', '服务表格', '廉政风险点', '常见问题']);
    expect(sheets[0]!.rows[1]!.cells).toMatchObject({ 事项类型: '行政给付', 办件类型: '即办件', 不收费: '是', 温馨提示: '第一条\n第二条' });
    expect(sheets[2]!.rows[0]!.cells).toMatchObject({ 事项编码: 'A-1', '金额（元）': '10.50' });
    expect(read(sheets)).toEqual({ items, errors: [] });
  });

  it('reports every bad cell with its sheet, row, column and reason', () => {
    let sheets = itemsToSheets([item('A-1'), item('A-2')]);
    sheets = withCells(sheets, '事项', 2, { 办件类型: '急件', '法定时限（工作日）': '十五' });
    sheets = withCells(sheets, '事项', 3, { 可预约: '也许', 每时段人数: '' });
    sheets = withCells(sheets, '申请材料', 3, { 份数: '0' });
    sheets = withCells(sheets, '收费标准', 2, { '金额（元）': '10.505' });
    sheets = withCells(sheets, '常见问题', 3, { 问题: '' });
    const { items, errors } = read(sheets);
    expect(items).toEqual([]);
    expect(errors.map((e) => [e.sheet, e.row, e.field, e.reason])).toEqual([
      ['事项', 2, '办件类型', '办件类型只能是即办件、承诺件'],
      ['事项', 2, '法定时限（工作日）', '法定时限（工作日）须为不小于 0 的整数'],
      ['事项', 3, '可预约', '可预约只能填“是”或“否”'],
      ['事项', 3, '每时段人数', '每时段人数不能为空'],
      ['申请材料', 3, '份数', '份数至少为 1'],
      ['收费标准', 2, '金额（元）', '金额（元）须为不超过两位小数的金额'],
      ['常见问题', 3, '问题', '问题不能为空'],
    ]);
  });

  it('flags a duplicate code and list rows whose item is not in the file', () => {
    const sheets = itemsToSheets([item('A-1')]);
    sheets[0]!.rows.push({ row: 3, cells: { ...sheets[0]!.rows[0]!.cells, 事项名称: '重复' } });
    sheets[1]!.rows.push({ row: 9, cells: { 事项编码: 'ZZ', 材料名称: '孤儿材料' } }, { row: 10, cells: { 事项编码: '', 材料名称: '无编码' } });
    expect(read(sheets).errors.map((e) => `${e.sheet}:${e.row}:${e.reason}`)).toEqual([
      '事项:3:事项编码 A-1 与第 2 行重复',
      '申请材料:9:事项编码 ZZ 不在“事项”表中',
      '申请材料:10:未填写事项编码',
    ]);
  });

  it('asks for the items sheet and its key columns before reading any row', () => {
    expect(read([]).errors).toEqual([{ sheet: '事项', row: 1, code: null, field: null, reason: '缺少“事项”工作表' }]);
    const errors = read([{ name: '事项', headers: ['事项编码', '事项名称'], rows: [] }]).errors;
    expect(errors.map((e) => e.reason)).toEqual(['缺少“实施部门”列', '缺少“办件类型”列', '缺少“法定时限（工作日）”列', '缺少“承诺时限（工作日）”列', '缺少“排队号前缀”列']);
  });

  it('skips blank rows and takes 是/否, Y/N and Chinese or machine values alike', () => {
    const sheets = itemsToSheets([item('A-1')]);
    sheets[0]!.rows.push({ row: 3, cells: {} });
    const changed = withCells(sheets, '事项', 2, { 可预约: 'Y', 事项类型: 'licensing', 网上可办: '否' });
    const { items, errors } = read(changed);
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ bookable: true, category: 'licensing', onlineApplicable: false });
  });

  it('numbers JSON items from 1 and names the field of each problem', () => {
    const { errors } = validateJsonItems([item('A-1'), { ...item('A-2'), kind: 'x', materials: [{ name: '' }] }, item('A-1'), 'nonsense']);
    expect(errors.map((e) => `${e.row}:${e.field}`)).toEqual(['2:kind', '2:materials.0.name', '3:code', '4:null']);
  });
});
