// SMS texts to the applicant and reminders to staff. Pure. An SMS carries the case number and the query
// link, never an ID number or a phone number.
import type { Light } from '../calendar/lights.js';
import { chineseDate } from './notices.js';

export type ApplicantEvent =
  | { event: 'accepted'; deadline: string | null; joint: boolean }
  | { event: 'supplement'; missing: string[]; corrections: number }
  | { event: 'returned'; reason: string }
  | { event: 'not_accepted'; authority: string }
  | { event: 'not_required' }
  | { event: 'completed'; delivery: 'pickup' | 'post'; windowName: string | null }
  | { event: 'pickup_scheduled'; pickupAt: string; windowName: string | null }
  | { event: 'mailed'; trackingNumber: string }
  | { event: 'picked_up' };

export interface SmsContext {
  hallName: string;
  serviceName: string;
  caseNumber: string;
  queryUrl: string;
  /** Where the applicant books a slot to pick the result up (预约领取). */
  pickupUrl: string;
}

const clip = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s);

/** The SMS for an event of the applicant's case. */
export function applicantSms(c: SmsContext, e: ApplicantEvent): string {
  const head = `【${c.hallName}】您申请的“${clip(c.serviceName, 30)}”（受理编号 ${c.caseNumber}）`;
  const tail = `查询进度：${c.queryUrl}`;
  switch (e.event) {
    case 'accepted':
      return `${head}已受理${e.joint ? '（联办件，多部门并联审查）' : ''}${e.deadline ? `，承诺于${chineseDate(e.deadline, true)}前办结` : ''}。${tail}`;
    case 'supplement': {
      const parts = [e.missing.length ? `需补齐材料：${clip(e.missing.join('、'), 80)}` : '', e.corrections ? `另有 ${e.corrections} 项需补正` : '']
        .filter(Boolean)
        .join('；');
      return `${head}材料尚不齐全，${parts}。详见办件通知书，补齐之日起计算办理时限。${tail}`;
    }
    case 'returned':
      return `${head}已退回，原因：${clip(e.reason, 60)}。详见退回件通知书。${tail}`;
    case 'not_accepted':
      return `${head}不予受理，请向${clip(e.authority, 30)}申请。详见不予受理决定书。${tail}`;
    case 'not_required':
      return `${head}经审查不需审批，详情请咨询受理窗口。${tail}`;
    case 'completed':
      return e.delivery === 'post'
        ? `${head}已办结，办理结果将通过 EMS 邮寄给您。${tail}`
        : `${head}已办结，请凭受理通知书到${e.windowName ?? '受理窗口'}领取，也可预约领取时间：${c.pickupUrl} 。${tail}`;
    case 'pickup_scheduled':
      return `${head}已为您预约于${chineseDate(e.pickupAt, true)}到${e.windowName ?? '受理窗口'}领取办理结果。${tail}`;
    case 'mailed':
      return `${head}的办理结果已通过 EMS 寄出，邮件号 ${e.trackingNumber}。${tail}`;
    case 'picked_up':
      return `${head}的办理结果已领取，感谢您的配合，欢迎对本次服务进行评价。${tail}`;
  }
}

export const LIGHT_LABELS: Record<Light, string> = { green: '绿灯', reminder: '提醒', yellow: '黄灯', red: '红灯' };

/** The reminder to the handling staff and the department's leaders when a case's light changes. */
export function lightReminder(c: { caseNumber: string; serviceName: string; deadline: string }, light: Light): string {
  const due = chineseDate(c.deadline, true);
  switch (light) {
    case 'red':
      return `办件 ${c.caseNumber}（${clip(c.serviceName, 30)}）已超过办结期限 ${due}，亮红灯，请立即处理并说明原因。`;
    case 'yellow':
      return `办件 ${c.caseNumber}（${clip(c.serviceName, 30)}）已亮黄灯，办结期限 ${due}，请抓紧办理。`;
    default:
      return `办件 ${c.caseNumber}（${clip(c.serviceName, 30)}）即将亮黄灯，办结期限 ${due}，请合理安排办理。`;
  }
}
