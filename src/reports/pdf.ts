// The bulletin as a print-ready A4 PDF (pdfkit). Chinese needs a CJK font embedded in the file: the npm
// package @embedpdf/fonts-sc ships Noto Sans (Simplified Chinese) OTFs, so `npm install` is all a hall
// needs; Debian's fonts-noto-cjk is used when that package is missing. Only the glyphs used are embedded.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { DomainError } from '../server/errors.js';
import { AWARD_KIND_LABELS } from '../staff/schemas.js';
import type { Bulletin } from './bulletin.js';
import { bulletinSections, issueLine, percent } from './text.js';

interface FontFile {
  path: string;
  /** The face inside a collection (.ttc). */
  family?: string;
}

function packageFonts(): { regular: FontFile; bold: FontFile } | null {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    const regular = join(dir, 'NotoSansHans-Regular.otf');
    const bold = join(dir, 'NotoSansHans-Bold.otf');
    return existsSync(regular) && existsSync(bold) ? { regular: { path: regular }, bold: { path: bold } } : null;
  } catch {
    return null;
  }
}

const SYSTEM_FONTS = '/usr/share/fonts/opentype/noto';
function systemFonts(): { regular: FontFile; bold: FontFile } | null {
  const regular = join(SYSTEM_FONTS, 'NotoSansCJK-Regular.ttc');
  const bold = join(SYSTEM_FONTS, 'NotoSansCJK-Bold.ttc');
  if (!existsSync(regular)) return null;
  return { regular: { path: regular, family: 'NotoSansCJKsc-Regular' }, bold: existsSync(bold) ? { path: bold, family: 'NotoSansCJKsc-Bold' } : { path: regular, family: 'NotoSansCJKsc-Regular' } };
}

let fonts: { regular: Buffer; bold: Buffer; family: { regular?: string; bold?: string } } | undefined;
/** The CJK font files, read once per process. */
export function cjkFonts() {
  if (fonts) return fonts;
  const found = packageFonts() ?? systemFonts();
  if (!found) {
    throw new DomainError(503, 'PDF_FONT_MISSING', '服务器缺少中文字体，无法生成 PDF：请在程序目录重新运行 npm install（安装 @embedpdf/fonts-sc），或安装 fonts-noto-cjk 字体包（apt-get install fonts-noto-cjk）');
  }
  fonts = { regular: readFileSync(found.regular.path), bold: readFileSync(found.bold.path), family: { regular: found.regular.family, bold: found.bold.family } };
  return fonts;
}

const RED = '#c0161d';
const MARGIN = { top: 64, bottom: 64, left: 72, right: 72 };
const BODY = 12;

export function bulletinPdf(b: Bulletin): Promise<Buffer> {
  const f = cjkFonts();
  const doc = new PDFDocument({ size: 'A4', margins: MARGIN, bufferPages: true, info: { Title: `${b.hallName}${b.title}`, Author: b.hallName, Subject: `${b.month} 月度通报` } });
  doc.registerFont('body', f.regular, f.family.regular);
  doc.registerFont('bold', f.bold, f.family.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - MARGIN.left - MARGIN.right;

  // Masthead: issue line, the hall's name in red over a red rule, then the title.
  doc.font('body').fontSize(11).fillColor('#000').text(issueLine(b), { align: 'center' });
  doc.moveDown(0.4);
  doc.font('bold').fontSize(26).fillColor(RED).text(b.hallName, { align: 'center', characterSpacing: 2 });
  const ruleY = doc.y + 6;
  doc.moveTo(MARGIN.left, ruleY).lineTo(doc.page.width - MARGIN.right, ruleY).lineWidth(2).strokeColor(RED).stroke();
  doc.y = ruleY + 16;
  doc.font('bold').fontSize(18).fillColor('#000').text(b.title, { align: 'center' });
  doc.moveDown(0.8);

  const paragraph = (text: string, runIn?: string) => {
    doc.fontSize(BODY).fillColor('#000');
    if (runIn) doc.font('bold').text(runIn, { indent: BODY * 2, continued: true, lineGap: 5, align: 'justify' }).font('body').text(text, { lineGap: 5, align: 'justify' });
    else doc.font('body').text(text, { indent: BODY * 2, lineGap: 5, align: 'justify' });
    doc.moveDown(0.3);
  };
  for (const section of bulletinSections(b)) {
    if (section.level === 1) {
      doc.moveDown(0.3);
      doc.font('bold').fontSize(14).text(section.heading, { lineGap: 5 });
      doc.moveDown(0.2);
      for (const p of section.paragraphs) paragraph(p);
    } else if (section.level === 2) {
      if (section.heading) doc.font('bold').fontSize(BODY).text(section.heading, { indent: BODY * 2, lineGap: 5 });
      for (const p of section.paragraphs) paragraph(p);
    } else {
      const [first = '', ...rest] = section.paragraphs;
      paragraph(first, section.heading);
      for (const p of rest) paragraph(p);
    }
  }
  doc.moveDown(1);
  doc.font('body').fontSize(BODY).text(`${b.hallName}`, { align: 'right' });
  doc.text(`${b.year}年${b.monthNumber}月`, { align: 'right' });

  // Appendix tables: every window's figures and attendance by department.
  doc.addPage();
  doc.font('bold').fontSize(14).text('附表一：各窗口业务情况', { align: 'center' });
  doc.moveDown(0.5);
  table(doc, width, ['窗口', '部门', '受理（件）', '办结（件）', '咨询（人次）'], [0.27, 0.25, 0.15, 0.15, 0.18], [
    ...b.windows.map((w) => [w.windowName, w.departmentName, String(w.accepted), String(w.finished), String(w.consultations)]),
    ['合计', '', String(b.casesAccepted), String(b.casesFinished), String(b.consultations)],
  ]);
  doc.moveDown(0.6);
  doc.font('body').fontSize(10).text(`按时办结率 ${percent(b.onTimeRate)}；群众满意度 ${percent(b.satisfaction)}；即办件 ${b.immediate} 件，承诺件 ${b.promised} 件。`, MARGIN.left, doc.y, { width });
  doc.moveDown(1);
  doc.font('bold').fontSize(14).text('附表二：获评名单', MARGIN.left, doc.y, { width, align: 'center' });
  doc.moveDown(0.5);
  const awardRows = (['red_flag', 'star_chief', 'service_model', 'other'] as const).flatMap((k) =>
    b.awards[k].map((a) => [AWARD_KIND_LABELS[k], a.name, a.score === null ? '' : String(a.score)]),
  );
  table(doc, width, ['称号', '单位或个人', '考核得分'], [0.3, 0.45, 0.25], awardRows.length ? awardRows : [['—', '暂未评定', '']]);

  // Page numbers in the Chinese official style, — 1 —.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(10).fillColor('#000').text(`— ${i + 1} —`, MARGIN.left, doc.page.height - 40, { width, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function table(doc: PDFKit.PDFDocument, width: number, head: string[], shares: number[], rows: string[][]) {
  const widths = shares.map((s) => s * width);
  const rowHeight = 20;
  const draw = (cells: string[], bold: boolean) => {
    if (doc.y + rowHeight > doc.page.height - MARGIN.bottom) doc.addPage();
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((cell, i) => {
      const w = widths[i]!;
      doc.rect(x, y, w, rowHeight).lineWidth(0.5).strokeColor('#333').stroke();
      doc.font(bold ? 'bold' : 'body').fontSize(10).fillColor('#000').text(cell, x + 4, y + 5, { width: w - 8, height: rowHeight - 6, align: i >= 2 ? 'right' : 'left', lineBreak: false, ellipsis: true });
      x += w;
    });
    doc.x = MARGIN.left;
    doc.y = y + rowHeight;
  };
  draw(head, true);
  for (const r of rows) draw(r, false);
}
