// The bulletin as an Excel workbook (exceljs): the text on its first sheet, then one sheet per table,
// each with a header row, borders and widths that print on A4.
import ExcelJS from 'exceljs';
import { AWARD_KIND_LABELS, REGISTER_KIND_LABELS } from '../staff/schemas.js';
import type { Bulletin } from './bulletin.js';
import { bulletinSections, issueLine, percent } from './text.js';

type Cell = string | number | null;

function sheet(wb: ExcelJS.Workbook, name: string, head: string[], widths: number[], rows: Cell[][]) {
  const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = head.map((header, i) => ({ header, width: widths[i] ?? 14 }));
  ws.addRows(rows);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.eachRow((row) =>
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    }),
  );
  return ws;
}

export async function bulletinXlsx(b: Bulletin): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = b.hallName;
  wb.title = `${b.hallName}${b.title}`;

  const text = wb.addWorksheet('通报', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  text.getColumn(1).width = 100;
  text.addRow([issueLine(b)]);
  text.addRow([`${b.hallName}${b.title}`]).font = { bold: true, size: 16 };
  for (const s of bulletinSections(b)) {
    if (s.heading && s.level !== 3) text.addRow([s.heading]).font = { bold: true };
    s.paragraphs.forEach((p, i) => {
      const row = text.addRow([s.level === 3 && i === 0 ? `${s.heading}${p}` : p]);
      row.alignment = { wrapText: true, vertical: 'top' };
    });
  }

  sheet(wb, '概况', ['项目', '数值'], [30, 18], [
    ['月份', b.month],
    ['受理（件）', b.casesAccepted],
    ['办结（件）', b.casesFinished],
    ['即办件（件）', b.immediate],
    ['承诺件（件）', b.promised],
    ['其中联办件（件）', b.joint],
    ['按时办结率', percent(b.onTimeRate)],
    ['群众满意度', percent(b.satisfaction)],
    ['评价（条）', b.ratings],
    ['咨询（人次）', b.consultations],
    ['请假（人次）', b.attendance.leaveTimes],
    ['请假（天）', b.attendance.leaveDays],
    ['外出办事登记（次）', b.attendance.goingOuts],
    ['延时服务（次）', b.extendedServices.count],
    ['窗口空岗（次）', b.abGaps.count],
    ['网上可办率', percent(b.online.onlineItemShare)],
    ['网上申报办件（件）', b.online.onlineCases],
    ['网上申报率', percent(b.online.onlineCaseShare)],
    ['平均跑动次数', b.online.averageVisits ?? '—'],
    ['投诉（件）', b.complaints.complaints],
    ['留言（条）', b.complaints.messages],
  ]);
  sheet(wb, '受理前五名', ['名次', '窗口', '部门', '受理（件）'], [8, 24, 20, 12], b.topWindows.map((w, i) => [i + 1, w.windowName, w.departmentName, w.cases]));
  sheet(wb, '各窗口业务', ['窗口', '部门', '受理（件）', '办结（件）', '咨询（人次）'], [24, 20, 12, 12, 14], [
    ...b.windows.map((w) => [w.windowName, w.departmentName, w.accepted, w.finished, w.consultations]),
    ['合计', '', b.casesAccepted, b.casesFinished, b.consultations],
  ]);
  sheet(wb, '各部门业务', ['部门', '受理（件）', '办结（件）', '按时办结率'], [24, 12, 12, 14], b.departments.map((d) => [d.departmentName, d.accepted, d.finished, percent(d.onTimeRate)]));
  sheet(wb, '登记事项', ['类别', '日期', '标题', '内容', '部门', '窗口', '人员'], [12, 12, 30, 50, 16, 18, 20], [
    ...b.leaderVisits,
    ...b.mediaReports,
    ...b.infoReports.entries,
    ...b.goodDeeds,
    ...b.otherWork,
  ].map((e) => [REGISTER_KIND_LABELS[e.kind], e.occurredOn, e.title, e.body, e.departmentName, e.windowName, e.userNames.join('、')]));
  sheet(wb, '考勤', ['请假类别', '天数'], [16, 12], [
    ['事假', b.attendance.byKind.personal.days],
    ['病假', b.attendance.byKind.sick.days],
    ['公休', b.attendance.byKind.annual.days],
    ['合计（' + b.attendance.leaveTimes + '人次）', b.attendance.leaveDays],
    ['外出办事登记（次）', b.attendance.goingOuts],
    ['迟到（次）', b.attendance.late],
    ['早退（次）', b.attendance.early],
    ['漏签（次）', b.attendance.missedSign],
    ['脱岗（次）', b.attendance.offPost],
    ['旷工（半天）', b.attendance.absentHalfDays],
  ]);
  sheet(wb, '量化评比', ['称号', '单位或个人', '考核得分', '说明'], [14, 24, 12, 40], (['red_flag', 'star_chief', 'service_model', 'other'] as const).flatMap((k) => b.awards[k].map((a) => [AWARD_KIND_LABELS[k], a.name, a.score, a.title])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
