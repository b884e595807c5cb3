// Pre-review (预审) of an online application: who may do what in which state, the self-check, and the
// 5-working-day limit of 行政许可法 第32条 with its light. Pure: no I/O, no clock.
import { deadlineFor, lightAt, type Deadline, type HallHours, type Light, type WorkingCalendar } from '../calendar/index.js';
import type { ApplicationStatus, CheckResult, DraftInput } from './schemas.js';

/** Art. 32: everything to correct must be told within 5 days, otherwise the application counts as accepted. */
export const REVIEW_LIMIT_DAYS = 5;

/** Statuses in which the window owes a decision: these sit in the inbox with a light. */
export const AWAITING_REVIEW: readonly ApplicationStatus[] = ['submitted', 'resubmitted'];
export const isAwaitingReview = (status: ApplicationStatus) => AWAITING_REVIEW.includes(status);

/** What the applicant may change: the draft, and the materials while answering a correction request. */
export const editableByApplicant = (status: ApplicationStatus) => status === 'draft' || status === 'corrections';

/** The end of the pre-review limit: the close of the 5th working day after the day of receipt. */
export function reviewDeadline(calendar: WorkingCalendar, hours: HallHours, receivedAt: number, zone: string): Deadline {
  return deadlineFor({ calendar, hours, acceptedAt: receivedAt, limitDays: REVIEW_LIMIT_DAYS, zone })!;
}

/** The inbox light of an application due at `dueAt`: red once the limit has passed. */
export function reviewLight(calendar: WorkingCalendar, hours: HallHours, dueAt: number, now: number, zone: string): Light {
  return lightAt(calendar, hours, dueAt, now, undefined, zone);
}

export interface CheckFacts {
  profileComplete: boolean;
  materials: { id: string; name: string; required: boolean; condition: string }[];
  notApplicable: readonly string[];
  /** Material ids with at least one file. */
  uploaded: ReadonlySet<string>;
  /** Material ids the window asked to be re-uploaded, and those re-uploaded since the request. */
  toReupload?: readonly string[];
  reuploaded?: ReadonlySet<string>;
  draft: Pick<DraftInput, 'finish' | 'agent' | 'deliveryMethod' | 'deliveryAddress'>;
}

/**
 * The self-check before submission: everything missing, at once, so the applicant fixes it in one go
 * rather than learning of it from the window days later.
 */
export function selfCheck(f: CheckFacts): CheckResult {
  const problems: CheckResult['problems'] = [];
  if (!f.profileComplete) problems.push({ field: 'profile', message: '请先完成实名信息（姓名和身份证号码，或单位名称和统一社会信用代码）' });
  for (const m of f.materials) {
    const needed = m.required && !(m.condition && f.notApplicable.includes(m.id));
    if (needed && !f.uploaded.has(m.id)) problems.push({ field: `materials.${m.id}`, message: `请上传“${m.name}”` });
  }
  for (const id of f.toReupload ?? []) {
    const m = f.materials.find((x) => x.id === id);
    if (m && !f.reuploaded?.has(id)) problems.push({ field: `materials.${id}`, message: `请按补正要求重新上传“${m.name}”` });
  }
  if (f.draft.finish === 'agent' && !f.draft.agent) problems.push({ field: 'agent', message: '请填写代办员信息和授权委托说明' });
  if (f.draft.deliveryMethod === 'post' && !f.draft.deliveryAddress) problems.push({ field: 'deliveryAddress', message: '请填写邮寄地址' });
  return { ready: problems.length === 0, problems };
}
