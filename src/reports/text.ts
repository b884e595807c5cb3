// The bulletin's wording, pure: the sections of the Suixian bulletin [002] written out from the month's
// figures, so the page, the PDF and the spreadsheet say the same thing.
import type { Bulletin } from './bulletin.js';

export interface Section {
  /** 1: 一、运行情况; 2: (一)窗口工作; 3: 1.业务受理 (a run-in heading before its paragraph). */
  level: 1 | 2 | 3;
  heading: string;
  paragraphs: string[];
}

export const percent = (r: number | null): string => (r === null ? '—' : `${(Math.round(r * 10_000) / 100).toFixed(2)}%`);
const days = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const list = (items: string[]) => items.join('、');
const dayOf = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
const entryText = (e: Bulletin['leaderVisits'][number]) => `${dayOf(e.occurredOn)}，${e.title}${e.body ? `，${e.body}` : ''}`.replace(/[。；;，,\s]+$/, '');
const ORDINAL = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function issueLine(b: Bulletin): string {
  const short = b.hallName.replace(/中心$/, '');
  return `${short}【${b.year}】${b.texts.issueNo ? `第${b.texts.issueNo}期` : `${b.monthNumber}月`}`;
}


/** 网上可办 and 最多跑一次 in one sentence; nothing when the hall publishes no items yet. */
function onlineText(o: Bulletin['online']): string {
  if (o.items === 0) return '';
  const visits = o.averageVisits === null ? '' : `，办件平均跑动${o.averageVisits}次`;
  return `网上可办事项${o.onlineItems}项（网上可办率${percent(o.onlineItemShare)}），网上申报办件${o.onlineCases}件（占${percent(o.onlineCaseShare)}）${visits}。`;
}

export function bulletinSections(b: Bulletin): Section[] {
  const m = `${b.monthNumber}月份`;
  const s: Section[] = [];
  const intro = b.texts.intro || `现将${m}${b.hallName}工作情况通报如下：`;

  // 一、运行情况 / (一)窗口工作
  const top = b.topWindows.map((w) => `${w.windowName}（${w.cases}件）`);
  const accepted = [
    `${m}，${b.hallName}各窗口共受理业务办件${b.casesAccepted}件，办结${b.casesFinished}件，其中，即办件${b.immediate}件，承诺件${b.promised}件${b.joint ? `（含联办件${b.joint}件）` : ''}。`,
    b.onTimeRate !== null ? `按时办结率${percent(b.onTimeRate)}` : '',
    b.satisfaction !== null ? `${b.onTimeRate !== null ? '，' : ''}群众满意度${percent(b.satisfaction)}（${b.ratings}条评价）` : '',
    b.onTimeRate !== null || b.satisfaction !== null ? '。' : '',
    top.length ? `受理业务前${top.length === 5 ? '五' : ORDINAL[top.length - 1]}名窗口为：${list(top)}。` : '',
    b.mostConsulted.length ? `同时，咨询件较多的窗口为${list(b.mostConsulted.slice(0, 3).map((w) => `${w.windowName}（${w.consultations}人次）`))}${b.mostConsulted.length > 3 ? '等' : ''}` : '本月无窗口咨询登记',
    b.windowsWithoutCases.length ? `；未发生业务受理办件的窗口为${list(b.windowsWithoutCases.map((w) => w.windowName))}。` : '；各窗口均有业务受理办件。',
    onlineText(b.online),
  ].join('');
  const info = b.infoReports.entries.length
    ? `本月${list(b.infoReports.units.length ? b.infoReports.units : ['中心'])}报送信息${b.infoReports.entries.length}条（${list(b.infoReports.entries.map((e) => `《${e.title}》`))}），其余单位均未报送。`
    : '本月各单位均未报送信息。';
  const visits = b.leaderVisits.length ? `${b.leaderVisits.map(entryText).join('；')}。` : '本月无领导督办事项。';
  const media = b.mediaReports.length ? `${b.mediaReports.map(entryText).join('；')}。` : '本月无媒体报道。';
  const other = b.otherWork.length ? `${b.otherWork.map(entryText).join('；')}。` : '';
  s.push({ level: 1, heading: '一、运行情况', paragraphs: [] });
  s.push({ level: 2, heading: '（一）窗口工作', paragraphs: [] });
  s.push({ level: 3, heading: '1.业务受理。', paragraphs: [accepted] });
  s.push({ level: 3, heading: '2.信息报送。', paragraphs: [info] });
  s.push({ level: 3, heading: '3.领导督办。', paragraphs: [visits] });
  s.push({ level: 3, heading: '4.媒体报道。', paragraphs: [media] });
  if (other) s.push({ level: 3, heading: '5.其他工作。', paragraphs: [other] });

  // (二)窗口人员
  const a = b.attendance;
  const discipline = a.late + a.early + a.missedSign + a.offPost + a.absentHalfDays;
  const attendance = [
    `${m}，窗口工作人员请事假、病假、公休${a.leaveTimes}人次，合计${days(a.leaveDays)}天`,
    a.leaveTimes ? `（事假${days(a.byKind.personal.days)}天，病假${days(a.byKind.sick.days)}天，公休${days(a.byKind.annual.days)}天）` : '',
    `；外出办事登记${a.goingOuts}次；`,
    discipline
      ? `迟到${a.late}次，早退${a.early}次，漏签${a.missedSign}次，脱岗${a.offPost}次，旷工${days(a.absentHalfDays / 2)}天；其余窗口人员按时上下班。`
      : '其余窗口人员基本全勤到岗、按时上下班。',
  ].join('');
  const deeds = b.goodDeeds.length ? b.goodDeeds.map((g) => `${g.userNames.length ? `${g.windowName ?? g.departmentName ?? ''}${list(g.userNames)}` : (g.windowName ?? g.departmentName ?? '')}，${g.title}${g.body ? `，${g.body}` : ''}`.replace(/[。；，\s]+$/, '')).join('；') + '。' : '本月无好人好事登记。';
  const inspections = b.inspections.notInspected.length
    ? `本月${b.inspections.inspected.length ? `${list(b.inspections.inspected)}分管领导巡查签到${b.inspections.count}次，` : ''}${list(b.inspections.notInspected)}分管领导未按要求落实“窗口巡查签到”制度。`
    : `本月各进驻单位分管领导均已巡查签到，共${b.inspections.count}次。`;
  const backup = b.abGaps.count
    ? `本月窗口空岗${b.abGaps.count}次、累计${b.abGaps.minutes}分钟（${list(b.abGaps.windows)}），AB角补位不到位。`
    : '本月未发生窗口空岗，AB角补位到位。';
  const extended = b.extendedServices.count
    ? `本月${b.extendedServices.people}名窗口人员开展超过半小时的延时服务${b.extendedServices.count}次，累计${b.extendedServices.minutes}分钟。`
    : '本月无超过半小时的延时服务。';
  s.push({ level: 2, heading: '（二）窗口人员', paragraphs: [] });
  s.push({ level: 3, heading: '1.考勤记录。', paragraphs: [attendance] });
  s.push({ level: 3, heading: '2.好人好事。', paragraphs: [deeds] });
  s.push({ level: 3, heading: '3.巡查签到。', paragraphs: [inspections] });
  s.push({ level: 3, heading: '4.AB角补位。', paragraphs: [backup] });
  s.push({ level: 3, heading: '5.延时服务。', paragraphs: [extended] });

  // (三)投诉、留言情况
  const c = b.complaints;
  const complaintText =
    c.complaints + c.cannotGetDone + c.messages === 0
      ? '本月未收到投诉及留言。'
      : `本月收到投诉${c.complaints}件${c.cannotGetDone ? `、“办不成事”反映${c.cannotGetDone}件` : ''}${c.byWindow.length ? `（${list(c.byWindow.map((w) => `${w.windowName}${w.count}件`))}）` : ''}，已答复${c.answered}件，经核查属实或部分属实${c.substantiated}件；收到意见箱、意见簿及网上留言${c.messages}条。`;
  s.push({ level: 2, heading: '（三）投诉、留言情况', paragraphs: [complaintText] });

  // 二、量化评比
  const aw = b.awards;
  const awardParas = [
    `（一）评为${m}“红旗窗口”的窗口单位：${aw.red_flag.length ? list(aw.red_flag.map((x) => x.name)) : '暂未评定'}。`,
    `（二）评为${m}“星级首席”的窗口首席代表：${aw.star_chief.length ? list(aw.star_chief.map((x) => x.name)) : '暂未评定'}。`,
    `（三）评为${m}“服务标兵”称号的窗口工作人员：${aw.service_model.length ? list(aw.service_model.map((x) => x.name)) : '暂未评定'}。`,
    ...aw.other.map((x, i) => `（${ORDINAL[3 + i] ?? 3 + i + 1}）${x.name}${x.title ? `：${x.title}` : ''}。`),
  ];
  s.push({ level: 1, heading: '二、量化评比', paragraphs: awardParas });

  // 三、存在问题 / 四、下步工作打算及要求: written by a person.
  const lines = (text: string, empty: string) => (text.trim() ? text.split(/\n+/).map((l) => l.trim()).filter(Boolean) : [empty]);
  s.push({ level: 1, heading: '三、存在问题', paragraphs: lines(b.texts.problems, '（待填写）') });
  s.push({ level: 1, heading: '四、下步工作打算及要求', paragraphs: lines(b.texts.nextSteps, '（待填写）') });
  return [{ level: 2, heading: '', paragraphs: [intro] }, ...s];
}
