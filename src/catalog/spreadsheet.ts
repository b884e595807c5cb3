import type { z } from 'zod';
import {
  CATEGORY_LABELS,
  CatalogItem,
  KIND_LABELS,
  MATERIAL_FORM_LABELS,
  RISK_LEVEL_LABELS,
  type ImportError,
} from './schemas.js';

// The catalogue as a workbook, pure: one sheet of items and one sheet per list part, each row keyed by
// the item code. Reading validates every row and reports each problem with its sheet, row and column, so
// a hall fixes its whole file in one pass. The columns are defined once and used both ways, so an export
// always imports back.

export interface SheetRow {
  /** The row number as Excel shows it (the header is row 1). */
  row: number;
  cells: Record<string, string>;
}
export interface SheetData {
  name: string;
  headers: string[];
  rows: SheetRow[];
}

type Read = { value: unknown } | { error: string };
interface Converter {
  read(cell: string): Read;
  write(value: unknown): string;
}

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '×', '✗']);
const empty = { value: undefined };

const text: Converter = { read: (c) => ({ value: c }), write: (v) => (v === undefined || v === null ? '' : String(v)) };
const int: Converter = {
  read: (c) => (c === '' ? empty : /^\d+$/.test(c) ? { value: Number(c) } : { error: '须为不小于 0 的整数' }),
  write: (v) => (v === undefined || v === null ? '' : String(v)),
};
const bool: Converter = {
  read: (c) => {
    if (c === '') return empty;
    const v = c.toLowerCase();
    return TRUE.has(v) ? { value: true } : FALSE.has(v) ? { value: false } : { error: '只能填“是”或“否”' };
  },
  write: (v) => (v ? '是' : '否'),
};
/** Chinese label or machine value in, Chinese label out. */
const labelled = (labels: Record<string, string>): Converter => ({
  read: (c) => {
    if (c === '') return empty;
    const hit = Object.entries(labels).find(([value, label]) => c === label || c === value);
    return hit ? { value: hit[0] } : { error: `只能是${Object.values(labels).join('、')}` };
  },
  write: (v) => labels[String(v)] ?? '',
});
const list: Converter = {
  read: (c) => ({ value: c ? c.split(/[、,，;；\s]+/).filter(Boolean) : undefined }),
  write: (v) => (Array.isArray(v) ? v.join('、') : ''),
};
const lines: Converter = {
  read: (c) => ({ value: c ? c.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : undefined }),
  write: (v) => (Array.isArray(v) ? v.join('\n') : ''),
};
const yuan: Converter = {
  read: (c) => {
    const s = c.replace(/元$/, '').trim();
    if (s === '') return empty;
    if (!/^\d+(\.\d{1,2})?$/.test(s)) return { error: '须为不超过两位小数的金额' };
    const [whole, cents = ''] = s.split('.');
    return { value: Number(whole) * 100 + Number(cents.padEnd(2, '0')) };
  },
  write: (v) => {
    const fen = Number(v ?? 0);
    return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
  },
};

interface Column {
  header: string;
  /** Dot path in the item (or in the list entry for a list sheet). */
  path: string;
  conv: Converter;
}
const col = (header: string, path: string, conv: Converter = text): Column => ({ header, path, conv });

export const ITEM_SHEET = '事项';
const CODE = '事项编码';
const ITEM_COLUMNS: Column[] = [
  col(CODE, 'code'),
  col('事项名称', 'name'),
  col('事项类型', 'category', labelled(CATEGORY_LABELS)),
  col('实施部门', 'department'),
  col('办件类型', 'kind', labelled(KIND_LABELS)),
  col('法定时限（工作日）', 'legalLimitDays', int),
  col('承诺时限（工作日）', 'promisedLimitDays', int),
  col('排队号前缀', 'queuePrefix'),
  col('可预约', 'bookable', bool),
  col('预约时段（分钟）', 'appointment.slotMinutes', int),
  col('每时段人数', 'appointment.capacity', int),
  col('提前预约天数', 'appointment.daysAhead', int),
  col('网上可办', 'onlineApplicable', bool),
  col('绿色通道', 'greenChannel', bool),
  col('设定依据', 'legalBasis'),
  col('受理条件', 'conditions'),
  col('办理结果', 'result'),
  col('办理地点', 'location'),
  col('办理时间', 'hoursNote'),
  col('咨询电话', 'consultPhone'),
  col('监督投诉电话', 'supervisionPhone'),
  col('检索关键词', 'keywords', list),
  col('不收费', 'fees.free', bool),
  col('收费说明', 'fees.note'),
  col('无需表格', 'noForms', bool),
  col('温馨提示', 'tips', lines),
];
const REQUIRED_ITEM_HEADERS = [CODE, '事项名称', '实施部门', '办件类型', '法定时限（工作日）', '承诺时限（工作日）', '排队号前缀'];

interface ListSheet {
  name: string;
  /** Where the list sits in an item. */
  path: readonly string[];
  columns: Column[];
}
const LIST_SHEETS: ListSheet[] = [
  {
    name: '申请材料',
    path: ['materials'],
    columns: [
      col('材料编号', 'id'),
      col('材料名称', 'name'),
      col('是否必需', 'required', bool),
      col('适用情形', 'condition'),
      col('材料形式', 'form', labelled(MATERIAL_FORM_LABELS)),
      col('份数', 'copies', int),
      col('材料说明', 'notes'),
    ],
  },
  {
    name: '收费标准',
    path: ['fees', 'items'],
    columns: [col('收费项目', 'name'), col('金额（元）', 'amountFen', yuan), col('计费单位', 'unit'), col('收费依据', 'basis')],
  },
  {
    name: '办理环节',
    path: ['steps'],
    columns: [
      col('环节名称', 'name'),
      col('承办岗位', 'role'),
      col('时限（工作日）', 'timeLimitDays', int),
      col('审查标准', 'standard'),
      col('办理结果', 'result'),
    ],
  },
  { name: '服务表格', path: ['forms'], columns: [col('表格名称', 'name'), col('表格说明', 'notes')] },
  {
    name: '廉政风险点',
    path: ['risks'],
    columns: [col('风险环节', 'step'), col('风险点', 'point'), col('风险等级', 'level', labelled(RISK_LEVEL_LABELS)), col('防控措施', 'measure')],
  },
  { name: '常见问题', path: ['faq'], columns: [col('问题', 'question'), col('解答', 'answer')] },
];

function getPath(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = obj;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  target[keys.at(-1)!] = value;
}

/** The workbook of a catalogue: the items sheet, then one sheet per list. */
export function itemsToSheets(items: readonly CatalogItem[]): SheetData[] {
  const itemSheet: SheetData = {
    name: ITEM_SHEET,
    headers: ITEM_COLUMNS.map((c) => c.header),
    rows: items.map((item, i) => ({
      row: i + 2,
      cells: Object.fromEntries(
        ITEM_COLUMNS.map((c) => [c.header, c.path.startsWith('appointment.') && !item.appointment ? '' : c.conv.write(getPath(item, c.path))]),
      ),
    })),
  };
  const lists = LIST_SHEETS.map((sheet): SheetData => {
    const rows: SheetRow[] = [];
    for (const item of items) {
      for (const entry of (getPath(item, sheet.path.join('.')) as unknown[]) ?? []) {
        rows.push({
          row: rows.length + 2,
          cells: { [CODE]: item.code, ...Object.fromEntries(sheet.columns.map((c) => [c.header, c.conv.write(getPath(entry, c.path))])) },
        });
      }
    }
    return { name: sheet.name, headers: [CODE, ...sheet.columns.map((c) => c.header)], rows };
  });
  return [itemSheet, ...lists];
}

/** Where each part of a parsed item came from, to point an error at its row. */
interface Origin {
  sheet: string;
  row: number;
}
export interface ParsedEntry {
  code: string;
  value: Record<string, unknown>;
  row: number;
  listRows: Record<string, number[]>;
}

const blank = (r: SheetRow) => Object.values(r.cells).every((c) => c === '');

/** Reads every row of every sheet into items, collecting every cell that cannot be read. */
export function sheetsToEntries(sheets: readonly SheetData[]): { entries: ParsedEntry[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const itemSheet = sheets.find((s) => s.name === ITEM_SHEET);
  if (!itemSheet) return { entries: [], errors: [{ sheet: ITEM_SHEET, row: 1, code: null, field: null, reason: `缺少“${ITEM_SHEET}”工作表` }] };
  const missingHeaders = REQUIRED_ITEM_HEADERS.filter((h) => !itemSheet.headers.includes(h));
  for (const h of missingHeaders) errors.push({ sheet: ITEM_SHEET, row: 1, code: null, field: h, reason: `缺少“${h}”列` });
  for (const sheet of LIST_SHEETS) {
    const data = sheets.find((s) => s.name === sheet.name);
    if (data && !data.headers.includes(CODE)) errors.push({ sheet: sheet.name, row: 1, code: null, field: CODE, reason: `缺少“${CODE}”列` });
  }
  if (errors.length) return { entries: [], errors };

  const entries: ParsedEntry[] = [];
  const byCode = new Map<string, ParsedEntry>();
  const readRow = (sheet: string, columns: Column[], r: SheetRow, code: string | null, into: Record<string, unknown>) => {
    for (const c of columns) {
      const cell = r.cells[c.header] ?? '';
      const read = c.conv.read(cell);
      if ('error' in read) errors.push({ sheet, row: r.row, code, field: c.header, reason: `${c.header}${read.error}` });
      else if (read.value !== undefined) setPath(into, c.path, read.value);
    }
  };
  for (const r of itemSheet.rows) {
    if (blank(r)) continue;
    const code = r.cells[CODE] ?? '';
    const value: Record<string, unknown> = {};
    readRow(ITEM_SHEET, ITEM_COLUMNS, r, code || null, value);
    if (!value.bookable && value.appointment === undefined) value.appointment = null;
    const first = byCode.get(code);
    if (code && first) {
      errors.push({ sheet: ITEM_SHEET, row: r.row, code, field: CODE, reason: `事项编码 ${code} 与第 ${first.row} 行重复` });
      continue;
    }
    const entry: ParsedEntry = { code, value, row: r.row, listRows: {} };
    entries.push(entry);
    if (code) byCode.set(code, entry);
  }
  for (const sheet of LIST_SHEETS) {
    const data = sheets.find((s) => s.name === sheet.name);
    for (const r of data?.rows ?? []) {
      if (blank(r)) continue;
      const code = r.cells[CODE] ?? '';
      const entry = byCode.get(code);
      if (!entry) {
        const reason = code ? `事项编码 ${code} 不在“${ITEM_SHEET}”表中` : '未填写事项编码';
        errors.push({ sheet: sheet.name, row: r.row, code: code || null, field: CODE, reason });
        continue;
      }
      const value: Record<string, unknown> = {};
      readRow(sheet.name, sheet.columns, r, code, value);
      const key = sheet.path.join('.');
      const listValue = (getPath(entry.value, key) as unknown[] | undefined) ?? [];
      if (listValue.length === 0) setPath(entry.value, key, listValue);
      listValue.push(value);
      (entry.listRows[key] ??= []).push(r.row);
    }
  }
  return { entries, errors };
}

const HEADER_OF = new Map<string, string>(ITEM_COLUMNS.map((c) => [c.path, c.header]));

/** Where a validation issue points: the list row it came from, else the item's row, and the column. */
function locate(entry: ParsedEntry, path: readonly PropertyKey[]): Origin & { field: string | null } {
  for (const sheet of LIST_SHEETS) {
    const depth = sheet.path.length;
    if (sheet.path.every((k, i) => path[i] === k) && typeof path[depth] === 'number') {
      const rows = entry.listRows[sheet.path.join('.')] ?? [];
      const field = sheet.columns.find((c) => c.path === path[depth + 1])?.header ?? null;
      return { sheet: sheet.name, row: rows[path[depth] as number] ?? entry.row, field };
    }
  }
  const dotted = path.filter((k) => typeof k === 'string').join('.');
  const field = HEADER_OF.get(dotted) ?? ITEM_COLUMNS.find((c) => c.path.startsWith(`${dotted}.`))?.header ?? null;
  return { sheet: ITEM_SHEET, row: entry.row, field };
}

const reasonOf = (issue: z.core.$ZodIssue, field: string | null) =>
  issue.code === 'invalid_type' && issue.input === undefined ? `${field ?? issue.path.join('.')}不能为空` : issue.message;

/**
 * Validates parsed rows as catalogue items; every issue becomes one error on its own row. A cell already
 * reported as unreadable is not reported again as missing.
 */
export function validateEntries(entries: readonly ParsedEntry[], cellErrors: readonly ImportError[] = []): { items: CatalogItem[]; errors: ImportError[] } {
  const items: CatalogItem[] = [];
  const errors: ImportError[] = [];
  const key = (e: { sheet: string; row: number; field: string | null }) => `${e.sheet}:${e.row}:${e.field}`;
  const reported = new Set(cellErrors.map(key));
  for (const entry of entries) {
    const parsed = CatalogItem.safeParse(entry.value);
    if (parsed.success) {
      items.push(parsed.data);
      continue;
    }
    for (const issue of parsed.error.issues) {
      const at = locate(entry, issue.path);
      if (!reported.has(key(at))) errors.push({ ...at, code: entry.code || null, reason: reasonOf(issue, at.field) });
    }
  }
  return { items, errors };
}

const SHEET_ORDER = [ITEM_SHEET, ...LIST_SHEETS.map((s) => s.name)];
/** Errors in reading order: the items sheet, then each list sheet, row by row. */
export function byPosition(a: ImportError, b: ImportError): number {
  return SHEET_ORDER.indexOf(a.sheet) - SHEET_ORDER.indexOf(b.sheet) || a.row - b.row;
}

/** Validates the items of a JSON catalogue file; rows are positions in `items`, from 1. */
export function validateJsonItems(raw: readonly unknown[]): { items: CatalogItem[]; errors: ImportError[] } {
  const items: CatalogItem[] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  raw.forEach((value, i) => {
    const row = i + 1;
    const code = value && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'string' ? (value as { code: string }).code : null;
    const parsed = CatalogItem.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || null;
        errors.push({ sheet: 'items', row, code, field, reason: reasonOf(issue, field) });
      }
      return;
    }
    const first = seen.get(parsed.data.code);
    if (first) {
      errors.push({ sheet: 'items', row, code, field: 'code', reason: `事项编码 ${parsed.data.code} 与第 ${first} 项重复` });
      return;
    }
    seen.set(parsed.data.code, row);
    items.push(parsed.data);
  });
  return { items, errors };
}

