// What staff and the public see of a case, built from its row, names and log. Pure.
import { formatInstant } from '../calendar/zone.js';
import { maskIdNumber, maskName, maskPhone } from '../shared/identity.js';
import type { CaseListItem, PublicCase } from './schemas.js';
import { ACTION_LABELS, KIND_LABELS, PAUSE_KIND_LABELS, STATUS_LABELS, type CaseStatus, type LogAction, type PauseKind } from './states.js';
import type { CaseActionRow, CaseRow } from './tables.js';

export const iso = (d: Date | null | undefined): string | null => (d ? formatInstant(d.getTime()) : null);

/** `91350100M000100Y43` → `9135**********0Y43`: a credit code is masked like an ID number. */
export const maskApplicantNumber = (number: string) => maskIdNumber(number);

export interface ListRow {
  row: Pick<
    CaseRow,
    'caseNumber' | 'serviceName' | 'departmentId' | 'applicantName' | 'kind' | 'status' | 'receivedAt' | 'acceptedAt' | 'deadlineAt' | 'light' | 'finishedAt'
  >;
  departmentName: string;
  windowName: string | null;
}

/** A list or board row; the light is red as soon as an open case is past its deadline. */
export function listItem({ row, departmentName, windowName }: ListRow, now: Date): CaseListItem {
  const overdue = row.finishedAt === null && row.deadlineAt !== null && row.deadlineAt.getTime() < now.getTime();
  return {
    caseNumber: row.caseNumber,
    serviceName: row.serviceName,
    department: { id: row.departmentId, name: departmentName },
    windowName,
    applicantName: row.applicantName,
    kind: row.kind,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    receivedAt: iso(row.receivedAt)!,
    acceptedAt: iso(row.acceptedAt),
    deadline: iso(row.deadlineAt),
    light: overdue ? 'red' : row.light,
  };
}

// What the applicant may read of each move: decisions and their reasons, never who or internal notes.
const PUBLIC_NOTE: Partial<Record<LogAction, (a: PublicLogEntry) => string | null>> = {
  return: (a) => a.reason,
  reject: (a) => `${a.reason ?? ''}${a.payload.competentAuthority ? `（请向${String(a.payload.competentAuthority)}申请）` : ''}`,
  no_approval: (a) => a.reason,
  pause: (a) => `${PAUSE_KIND_LABELS[a.facts.pauseKind as PauseKind] ?? ''}期间不计入办理时限`,
  escalate: (a) => (a.payload.authority ? `报送${String(a.payload.authority)}` : null),
  complete: (a) => (typeof a.payload.result === 'string' ? a.payload.result : null),
  mail: (a) => (a.payload.trackingNumber ? `EMS 邮件号 ${String(a.payload.trackingNumber)}` : null),
  // A case decided by a hall above: where it went and came back, in the applicant's words.
  transfer: (a) => `报送${String(a.payload.toHall ?? '上级中心')}审批`,
  sign: (a) => `${a.hall}已签收，开始审查`,
  decline: (a) => `${a.hall}退回${String(a.payload.toHall ?? '')}：${a.reason ?? ''}`,
  send_back: (a) => `审批结果已送回${String(a.payload.toHall ?? '')}`,
};

const REFUSED: readonly CaseStatus[] = ['returned', 'not_accepted', 'not_required'];

/** What the progress query reads of every case: the row's public columns only, no personal numbers. */
export type PublicRow = Pick<
  CaseRow,
  | 'caseNumber'
  | 'serviceName'
  | 'applicantType'
  | 'applicantName'
  | 'acceptedAt'
  | 'status'
  | 'kind'
  | 'deadlineAt'
  | 'receivedAt'
  | 'finishedAt'
  | 'deliveryMethod'
  | 'trackingNumber'
  | 'pickupAt'
  | 'deliveredAt'
>;
/** And what it reads once the applicant has proven the last four digits. */
export type PublicDetailRow = Pick<CaseRow, 'deadlineDate' | 'missingMaterials' | 'corrections' | 'result'> & {
  /** Opened from the sealed columns. */
  applicantIdNumber: string;
  applicantPhone: string;
  hallName: string;
  windowName: string | null;
};

function steps(row: PublicRow): NonNullable<PublicCase['detail']>['steps'] {
  if (REFUSED.includes(row.status)) {
    return [
      { label: '收件', state: 'done', at: iso(row.receivedAt) },
      { label: STATUS_LABELS[row.status], state: 'done', at: iso(row.finishedAt) },
    ];
  }
  const completed = row.status === 'completed' || row.status === 'delivered';
  const accepted = row.acceptedAt !== null;
  return [
    { label: '收件', state: 'done', at: iso(row.receivedAt) },
    { label: '受理', state: accepted ? 'done' : 'current', at: iso(row.acceptedAt) },
    { label: row.kind === 'escalated' ? '上报办理' : '审查办理', state: completed ? 'done' : accepted ? 'current' : 'pending', at: null },
    { label: '办结', state: completed ? 'done' : 'pending', at: completed ? iso(row.finishedAt) : null },
    {
      label: row.deliveryMethod === 'post' ? '邮寄送达' : '领取结果',
      state: row.status === 'delivered' ? 'done' : completed ? 'current' : 'pending',
      at: iso(row.deliveredAt),
    },
  ];
}

/** A move as the applicant reads it, with the name of the hall that made it. */
export type PublicLogEntry = Pick<CaseActionRow, 'action' | 'statusAfter' | 'reason' | 'facts' | 'payload' | 'at'> & { hall: string };

export interface PublicInput {
  row: PublicRow;
  departmentName: string;
  /** Only when the applicant proved the last four digits. */
  detail: { row: PublicDetailRow; log: PublicLogEntry[]; tasks: { department: string; done: boolean; deadline: Date | null }[] } | null;
}

/** The public progress query: masked; the detail (steps, dates, history without staff) only when proven. */
export function publicCase({ row, departmentName, detail }: PublicInput): PublicCase {
  const view: PublicCase = {
    caseNumber: row.caseNumber,
    serviceName: row.serviceName,
    department: departmentName,
    // A company's name is masked too: a sole trader's shop often carries the owner's name.
    applicant: { type: row.applicantType, name: maskName(row.applicantName) },
    acceptedAt: iso(row.acceptedAt),
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    kind: row.kind,
    kindLabel: KIND_LABELS[row.kind],
    deadline: iso(row.deadlineAt),
    receivedAt: iso(row.receivedAt)!,
    finishedAt: iso(row.finishedAt),
    delivery: { method: row.deliveryMethod, trackingNumber: row.trackingNumber, pickupAt: iso(row.pickupAt), deliveredAt: iso(row.deliveredAt) },
  };
  if (!detail) return view;
  const d = detail.row;
  return {
    ...view,
    applicant: { ...view.applicant, idNumber: maskApplicantNumber(d.applicantIdNumber), phone: maskPhone(d.applicantPhone) },
    detail: {
      hallName: d.hallName,
      windowName: d.windowName,
      deadlineDate: d.deadlineDate,
      missingMaterials: row.status === 'awaiting_supplement' ? d.missingMaterials : [],
      corrections: row.status === 'awaiting_supplement' ? d.corrections : [],
      steps: steps(row),
      history: detail.log.map((a) => ({
        label: ACTION_LABELS[a.action],
        statusLabel: STATUS_LABELS[a.statusAfter],
        note: PUBLIC_NOTE[a.action]?.(a) ?? null,
        at: iso(a.at)!,
      })),
      tasks: detail.tasks.map((t) => ({ department: t.department, done: t.done, deadline: iso(t.deadline) })),
      result: d.result,
    },
  };
}
