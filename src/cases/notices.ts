// The written notices of a case as print-ready A4 pages. Pure: the data is gathered when the notice is
// issued and kept with the case, together with the page rendered from it, so a reprint shows exactly
// what the applicant was given. `templateVersion` names the wording a page was rendered with.
import type { NoticeType } from './schemas.js';

export const NOTICE_TEMPLATE_VERSION = 1;

export const NOTICE_TITLES: Record<NoticeType, string> = {
  acceptance: '承诺件受理通知书',
  supplement: '办件通知书',
  joint: '联办件通知书',
  return: '退回件通知书',
  rejection: '不予受理决定书',
  completion: '办结通知书',
  no_approval: '不需审批告知书',
};

export interface NoticeData {
  type: NoticeType;
  templateVersion: number;
  title: string;
  /** 文书编号: the case number and the notice's place among the case's notices. */
  docNumber: string;
  hall: { name: string; address: string; phone: string };
  caseNumber: string;
  queryUrl: string;
  /** The QR code to the progress query, as a data: URL (SVG). */
  qr: string;
  queryPassword: string | null;
  /** As printed: the name in full, the ID number or credit code masked. */
  applicant: { name: string; idMasked: string; company: boolean };
  agentName: string | null;
  serviceName: string;
  department: string;
  windowName: string | null;
  receivedAt: string;
  acceptedAt: string | null;
  deadline: string | null;
  limitDays: number;
  delivery: 'pickup' | 'post';
  received: string[];
  missing: string[];
  corrections: string[];
  reason: string | null;
  competentAuthority: string | null;
  tasks: { department: string; task: string; deadline: string | null; lead: boolean }[];
  staffName: string;
  issuedAt: string;
  /** 办结通知书: when the case was finished and the result given. */
  finishedAt?: string | null;
  result?: string | null;
  /** The signed rating link of the case and its QR code (data: URL), where the hall prints one. */
  rating?: { url: string; qr: string } | null;
}

export const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `2025-10-11T17:00:00+08:00` → `2025年10月11日`, with `17:00` when asked. */
export function chineseDate(iso: string, withTime = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const date = `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  return withTime && m[4] ? `${date} ${m[4]}:${m[5]}` : date;
}

const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A numbered list; short names run in two columns to keep a notice on one sheet. */
function list(items: readonly string[]): string {
  const single = items.length < 4 || items.some((i) => [...i].length > 16);
  return `<ol class="items${single ? ' single' : ''}">${items.map((i) => `<li>${escape(i)}</li>`).join('')}</ol>`;
}

function body(d: NoticeData): string {
  const who = d.applicant.company ? '你单位' : '您';
  const submitted = `${who}于${chineseDate(d.receivedAt)}提交的“${escape(d.serviceName)}”申请`;
  const deadline = d.deadline ? chineseDate(d.deadline, true) : '';
  const receivedList = d.received.length ? `<p>已收取的申请材料：</p>${list(d.received)}` : '';
  switch (d.type) {
    case 'acceptance':
      return `<p class="lead">${submitted}，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。</p>
<p class="lead">本件为承诺件，承诺办理时限为 <b>${d.limitDays}</b> 个工作日，于 <b>${deadline}</b> 前办结。依法需要听证、检验、检测、检疫、鉴定、专家评审和现场勘查的，所需时间不计算在办理时限内，届时另行告知。</p>
${receivedList}
<p class="lead">办理结果将以${d.delivery === 'post' ? '邮寄（EMS）方式送达' : `窗口领取方式交付，请凭本通知书到${escape(d.windowName ?? '受理窗口')}领取`}。您可以扫描下方二维码或登录政务服务网，凭受理编号查询办理进度。</p>`;
    case 'supplement': {
      const parts: string[] = [];
      if (d.missing.length) parts.push(`<p class="sub">${CHINESE_ORDINALS[parts.length]}、需要补齐的申请材料</p>${list(d.missing)}`);
      if (d.corrections.length) parts.push(`<p class="sub">${CHINESE_ORDINALS[parts.length]}、需要补正的内容</p>${list(d.corrections)}`);
      return `<p class="lead">${submitted}，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现将需要补正的全部内容一次性告知如下：</p>
${parts.join('\n')}
<p class="lead">请按上述要求补正后，到${escape(d.windowName ?? '受理窗口')}提交。申请材料补正齐全之日起受理并计算办理时限；本通知书所列之外，不再要求补正其他材料。</p>
${receivedList}`;
    }
    case 'joint': {
      const rows = d.tasks
        .map(
          (t) =>
            `<tr><td>${escape(t.department)}${t.lead ? '<span class="tag">牵头</span>' : ''}</td><td>${escape(t.task)}</td><td>${t.deadline ? chineseDate(t.deadline, true) : '—'}</td></tr>`,
        )
        .join('');
      const lead = d.tasks.find((t) => t.lead)?.department ?? d.department;
      return `<p class="lead">${submitted}，申请材料齐全、符合法定形式，决定予以受理。</p>
<p class="lead">本件为联办件，由 <b>${escape(lead)}</b> 牵头，会同下列部门实行一次受理、联合踏勘、并联审查，承诺于 <b>${deadline}</b> 前办结。各部门任务及时限如下：</p>
<table class="grid"><thead><tr><th>部门</th><th>任务</th><th>完成时限</th></tr></thead><tbody>${rows}</tbody></table>
${receivedList}
<p class="lead">各部门办结后统一出具办理结果。您可以扫描下方二维码，凭受理编号查询各部门办理进度。</p>`;
    }
    case 'return':
      return `<p class="lead">${submitted}，经审查，因下列原因予以退回：</p>
<p class="reason">${escape(d.reason ?? '')}</p>
${d.received.length ? `<p>退还的申请材料：</p>${list(d.received)}` : ''}
<p class="lead">条件具备后，您可以重新提出申请。如有疑问，请咨询${escape(d.windowName ?? '受理窗口')}${d.hall.phone ? `（电话 ${escape(d.hall.phone)}）` : ''}。</p>`;
    case 'rejection':
      return `<p class="lead">${submitted}，经审查：</p>
<p class="reason">${escape(d.reason ?? '')}</p>
<p class="lead">根据《中华人民共和国行政许可法》第三十二条第一款的规定，决定不予受理。该申请事项请向 <b>${escape(d.competentAuthority ?? '')}</b> 提出。</p>
<p class="lead">如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。</p>`;
    case 'no_approval':
      return `<p class="lead">${submitted}，经审查，该事项依法不需要取得行政许可（审批），理由如下：</p>
<p class="reason">${escape(d.reason ?? '')}</p>
<p class="lead">${who}可以依法自行开展相关活动，不需再向本中心提出申请。${d.received.length ? '所提交的申请材料予以退还。' : ''}如有疑问，请咨询${escape(d.windowName ?? '受理窗口')}${d.hall.phone ? `（电话 ${escape(d.hall.phone)}）` : ''}。</p>`;
    case 'completion':
      return `<p class="lead">${submitted}，已于 <b>${d.finishedAt ? chineseDate(d.finishedAt, true) : chineseDate(d.issuedAt)}</b> 办结${d.deadline ? `（承诺办结时间 ${chineseDate(d.deadline, true)}）` : ''}。</p>
${d.result ? `<p>办理结果：</p><p class="reason">${escape(d.result)}</p>` : ''}
<p class="lead">${d.delivery === 'post' ? '办理结果将以邮寄（EMS）方式送达，寄出后以短信告知邮件单号。' : `请凭本通知书和身份证件到${escape(d.windowName ?? '受理窗口')}领取办理结果，也可以预约领取时间。`}</p>
${d.rating ? '<p class="lead">欢迎扫描下方“扫码评价本次服务”二维码，对本次服务作出评价（一事一评）。您的评价不会公开您的个人信息，任何人不得强迫或者干扰您的评价。</p>' : ''}`;
  }
}

const CSS = `
@page { size: A4; margin: 18mm 20mm 16mm; }
* { box-sizing: border-box; }
html { background: #e9ebef; }
body { margin: 0; color: #111; font-family: "FangSong", "STFangsong", "FangSong_GB2312", "仿宋", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif; font-size: 12pt; line-height: 1.6; }
.sheet { width: 210mm; min-height: 297mm; margin: 12px auto; padding: 18mm 20mm 16mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); display: flex; flex-direction: column; }
.hall { text-align: center; font-size: 13pt; letter-spacing: .15em; font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
h1 { margin: 3mm 0 1mm; text-align: center; font-size: 22pt; letter-spacing: .2em; font-weight: 700; font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; }
.doc { text-align: right; font-size: 10.5pt; margin-bottom: 3mm; }
.rule { border: 0; border-top: 2px solid #b3261e; margin: 0 0 4mm; }
.to { font-weight: 600; margin: 0 0 2mm; }
p { margin: 0 0 2mm; }
p.lead { text-indent: 2em; }
p.sub { font-weight: 700; margin-top: 3mm; }
p.reason { margin: 2mm 0 3mm 2em; padding: 2mm 4mm; border-left: 3px solid #888; background: #f6f6f6; }
ol.items { margin: 0 0 2mm 2em; padding-left: 1.6em; columns: 2; column-gap: 8mm; }
ol.items.single { columns: 1; }
ol.items li { padding-left: .3em; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 11pt; }
.grid th, .grid td { border: 1px solid #333; padding: 1.5mm 2.5mm; text-align: left; vertical-align: top; }
.grid th { background: #f0f0f0; }
.tag { margin-left: 2mm; padding: 0 1.5mm; border: 1px solid #b3261e; color: #b3261e; font-size: 9pt; border-radius: 2px; }
.facts { width: 100%; margin: 0 0 3mm; font-size: 11pt; }
.facts td { padding: .2mm 0; vertical-align: top; }
.facts td.k { width: 24mm; color: #333; }
.spacer { flex: 1; }
.foot { break-inside: avoid; display: flex; justify-content: space-between; align-items: flex-end; margin-top: 5mm; gap: 8mm; }
.qr { text-align: center; font-size: 9.5pt; line-height: 1.4; }
.qr img { width: 26mm; height: 26mm; display: block; margin: 0 auto 1mm; }
.qr .url { font-family: monospace; font-size: 8pt; word-break: break-all; max-width: 60mm; }
.sign { text-align: center; min-width: 62mm; }
.sign .seal { display: inline-block; margin: 2mm 0 3mm; color: #777; }
.sign .date { font-size: 12pt; }
.staff { font-size: 10pt; margin-top: 2mm; color: #333; }
.toolbar { text-align: center; margin: 12px 0; font-family: sans-serif; }
.toolbar button { font-size: 16px; padding: 6px 24px; cursor: pointer; }
@media print {
  html { background: #fff; }
  /* A little under the page's 263 mm, so rounding never pushes the signature onto a second page. */
  .sheet { width: auto; min-height: 255mm; margin: 0; padding: 0; box-shadow: none; }
  .toolbar { display: none; }
}
`;

/** The notice as one HTML page: A4 on paper, a sheet on screen, fonts that any Chinese system has. */
export function renderNotice(d: NoticeData): string {
  const facts: [string, string][] = [
    ['受理编号', d.caseNumber],
    ...(d.queryPassword ? ([['查询密码', d.queryPassword]] as [string, string][]) : []),
    ['申请事项', d.serviceName],
    [d.applicant.company ? '申请单位' : '申请人', `${d.applicant.name}（${d.applicant.company ? '统一社会信用代码' : '身份证号码'} ${d.applicant.idMasked}）`],
    ...(d.agentName ? ([['代办人', d.agentName]] as [string, string][]) : []),
    ['承办部门', d.department],
  ];
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(d.title)} ${escape(d.caseNumber)}</title><style>${CSS}</style></head>
<body>
<div class="toolbar"><button type="button" onclick="window.print()">打印</button></div>
<main class="sheet" data-notice="${d.type}" data-template-version="${d.templateVersion}">
<div class="hall">${escape(d.hall.name)}</div>
<h1>${escape(d.title)}</h1>
<div class="doc">编号：${escape(d.docNumber)}</div>
<hr class="rule">
<table class="facts"><tbody>${facts.map(([k, v]) => `<tr><td class="k">${escape(k)}：</td><td>${escape(v)}</td></tr>`).join('')}</tbody></table>
<p class="to">${escape(d.applicant.name)}：</p>
${body(d)}
<div class="spacer"></div>
<div class="foot">
  <div class="qr"><img src="${escape(d.qr)}" alt="办理进度查询二维码"><div>扫码查询办理进度</div><div class="url">${escape(d.queryUrl)}</div></div>
  ${d.rating ? `<div class="qr"><img src="${escape(d.rating.qr)}" alt="服务评价二维码"><div>扫码评价本次服务</div></div>` : ''}
  <div class="sign"><div>${escape(d.hall.name)}</div><div class="seal">（盖章）</div><div class="date">${chineseDate(d.issuedAt)}</div>
  <div class="staff">经办人：${escape(d.staffName)}${d.hall.phone ? `　咨询电话：${escape(d.hall.phone)}` : ''}</div></div>
</div>
</main>
</body></html>`;
}
