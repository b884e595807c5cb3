import ExcelJS from 'exceljs';
import type { SheetData, SheetRow } from './spreadsheet.js';

// .xlsx in and out with exceljs; the layout and validation live in spreadsheet.ts.

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  return '';
}

/** Every sheet with its header row (row 1) and the rows below it, numbered as Excel shows them. */
export async function readWorkbook(bytes: Uint8Array): Promise<SheetData[] | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return null;
  }
  return workbook.worksheets.map((ws) => {
    const headers: string[] = [];
    ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
      headers[col - 1] = cellText(cell.value);
    });
    const rows: SheetRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber === 1) return;
      const cells: Record<string, string> = {};
      headers.forEach((h, i) => {
        if (h) cells[h] = cellText(row.getCell(i + 1).value);
      });
      rows.push({ row: rowNumber, cells });
    });
    return { name: ws.name.trim(), headers: headers.filter(Boolean), rows };
  });
}

export async function writeWorkbook(sheets: readonly SheetData[], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'OneWindow 一窗通';
  workbook.title = title;
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.headers.map((h) => ({ header: h, key: h, width: Math.min(40, Math.max(10, h.length * 2 + 4)) }));
    ws.getRow(1).font = { bold: true };
    for (const r of sheet.rows) {
      const row = ws.addRow(sheet.headers.map((h) => r.cells[h] ?? ''));
      row.alignment = { wrapText: true, vertical: 'top' };
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
