import {
  CATEGORY_LABELS,
  KIND_LABELS,
  MATERIAL_FORM_LABELS,
  RISK_LEVEL_LABELS,
  type Appointment,
  type AttachmentRef,
  type Category,
  type Fees,
  type GuideContent,
  type ServiceDetail,
  type ServiceKind,
  type ServiceSummary,
} from './schemas.js';

// What citizens and staff read, built from a guide's content, pure.

export const attachmentUrl = (id: string) => `/api/v1/catalog/attachments/${id}`;

export function yuanLabel(fen: number): string {
  return `${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)}元`;
}

export function feesView(fees: Fees): ServiceDetail['fees'] {
  const items = fees.items.map((f) => ({ ...f, amountLabel: `${yuanLabel(f.amountFen)}${f.unit ? `/${f.unit.replace(/^元\//, '')}` : ''}` }));
  const summary = fees.free ? '不收费' : items.length ? items.map((f) => `${f.name} ${f.amountLabel}`).join('；') : '未公布';
  return { ...fees, items, summary };
}

export function limitsText(kind: ServiceKind, legal: number, promised: number): string {
  const parts = [legal > 0 ? `法定办结时限 ${legal} 个工作日` : '', kind === 'immediate' ? '即办件，材料齐全当场办结' : `承诺办结时限 ${promised} 个工作日`];
  return parts.filter(Boolean).join('；');
}

/** The published row of an item, as the catalogue lists it. */
export interface ServiceRow {
  id: string;
  code: string;
  name: string;
  category: Category;
  departmentId: string;
  kind: ServiceKind;
  legalLimitDays: number;
  promisedLimitDays: number;
  queuePrefix: string;
  bookable: boolean;
  appointment: Appointment | null;
  onlineApplicable: boolean;
  greenChannel: boolean;
  currentGuideVersion: number | null;
}

export function summaryOf(row: ServiceRow, departmentName: string): ServiceSummary {
  return {
    code: row.code,
    name: row.name,
    category: row.category,
    categoryLabel: CATEGORY_LABELS[row.category],
    departmentId: row.departmentId,
    departmentName,
    kind: row.kind,
    kindLabel: KIND_LABELS[row.kind],
    legalLimitDays: row.legalLimitDays,
    promisedLimitDays: row.promisedLimitDays,
    queuePrefix: row.queuePrefix,
    bookable: row.bookable,
    onlineApplicable: row.onlineApplicable,
    greenChannel: row.greenChannel,
    currentGuideVersion: row.currentGuideVersion,
  };
}

export interface DetailInput {
  row: ServiceRow;
  content: GuideContent;
  departmentName: string;
  windows: { id: string; number: number; name: string }[];
  attachments: ReadonlyMap<string, AttachmentRef>;
  publishedAt: string | null;
}

/**
 * A guide as a whole. Text fields come from the content (a draft shows its own), the operational settings
 * (queue prefix, booking, green channel) from the row, which is what the hall runs on today.
 */
export function detailOf({ row, content, departmentName, windows, attachments, publishedAt }: DetailInput): ServiceDetail {
  const ref = (id: string | null) => (id ? (attachments.get(id) ?? null) : null);
  return {
    ...summaryOf(
      { ...row, name: content.name, category: content.category, departmentId: content.departmentId, kind: content.kind, legalLimitDays: content.legalLimitDays, promisedLimitDays: content.promisedLimitDays, onlineApplicable: content.onlineApplicable },
      departmentName,
    ),
    id: row.id,
    appointment: row.bookable ? row.appointment : null,
    windows,
    publishedAt,
    legalBasis: content.legalBasis,
    conditions: content.conditions,
    result: content.result,
    location: content.location,
    hoursNote: content.hoursNote,
    consultPhone: content.consultPhone,
    supervisionPhone: content.supervisionPhone,
    keywords: content.keywords,
    fees: feesView(content.fees),
    materials: content.materials.map(({ blankFormId, sampleId, ...m }) => ({
      ...m,
      formLabel: MATERIAL_FORM_LABELS[m.form],
      blankForm: ref(blankFormId),
      sample: ref(sampleId),
    })),
    steps: content.steps,
    flowChart: ref(content.flowChartId),
    forms: content.forms.map(({ blankFormId, sampleId, ...f }) => ({ ...f, blankForm: ref(blankFormId), sample: ref(sampleId) })),
    noForms: content.noForms,
    risks: content.risks.map((r) => ({ ...r, levelLabel: RISK_LEVEL_LABELS[r.level] })),
    faq: content.faq,
    tips: content.tips,
  };
}

/** Attachment ids a guide refers to: only these are downloadable without signing in. */
export function referencedAttachments(content: Pick<GuideContent, 'materials' | 'forms' | 'flowChartId'>): string[] {
  const ids = [content.flowChartId, ...content.materials.flatMap((m) => [m.blankFormId, m.sampleId]), ...content.forms.flatMap((f) => [f.blankFormId, f.sampleId])];
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/** Opening hours in words, for a notice whose item gives none of its own. */
export function hoursText(hours: { workday: [string, string][]; weekend: [string, string][] }): string {
  const sessions = (list: [string, string][]) => list.map(([a, b]) => `${a}-${b}`).join('、');
  const parts = [hours.workday.length ? `工作日 ${sessions(hours.workday)}` : '', hours.weekend.length ? `周末 ${sessions(hours.weekend)}` : ''];
  return parts.filter(Boolean).join('；') + '（法定节假日除外）';
}

export interface NoticeInput {
  detail: ServiceDetail;
  hall: { name: string; address: string; phone: string; hoursText: string };
  url: string;
  issuedAt: string;
}

/** 一次性告知单: everything the applicant needs, at once and in writing (首问负责、一次性告知). */
export function noticeOf({ detail: d, hall, url, issuedAt }: NoticeInput) {
  return {
    title: '一次性告知单',
    hall,
    service: { code: d.code, name: d.name, departmentName: d.departmentName, categoryLabel: d.categoryLabel, kindLabel: d.kindLabel },
    guideVersion: d.currentGuideVersion,
    publishedAt: d.publishedAt,
    legalBasis: d.legalBasis,
    conditions: d.conditions,
    limits: { legalLimitDays: d.legalLimitDays, promisedLimitDays: d.promisedLimitDays, text: limitsText(d.kind, d.legalLimitDays, d.promisedLimitDays) },
    materials: d.materials.map((m, i) => ({
      no: i + 1,
      id: m.id,
      name: m.name,
      formLabel: m.formLabel,
      copies: m.copies,
      required: m.required,
      requirement: m.required ? '必需' : `视情形提交：${m.condition}`,
      notes: m.notes,
    })),
    fees: d.fees,
    steps: d.steps.map((s) => ({ name: s.name, timeLimitDays: s.timeLimitDays })),
    result: d.result,
    location: d.location,
    hoursNote: d.hoursNote || hall.hoursText,
    consultPhone: d.consultPhone || hall.phone,
    supervisionPhone: d.supervisionPhone,
    tips: d.tips,
    url,
    issuedAt,
    statement: '本告知单一次性告知办理本事项所需的全部材料、程序、时限、收费标准及依据。申请人按本告知单备齐材料后，窗口不得要求提交告知单以外的材料。',
  };
}
export type OneTimeNotice = ReturnType<typeof noticeOf>;
