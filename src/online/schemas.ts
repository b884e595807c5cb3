import { z } from 'zod';
import { MaterialId, ServiceCode } from '../catalog/schemas.js';
import { AgentInput, DeliveryMethod, TrackingNumber } from '../cases/schemas.js';
import { isMobilePhone } from '../shared/identity.js';

// Shared by the server (validation, OpenAPI) and the web app (forms): no server imports here.

export { DeliveryMethod, TrackingNumber };

const Text = (what: string, max: number) => z.string({ message: `${what}须为文字` }).trim().min(1, `${what}不能为空`).max(max, `${what}不能超过 ${max} 个字`);
const OptionalText = (what: string, max: number) => z.string({ message: `${what}须为文字` }).trim().max(max, `${what}不能超过 ${max} 个字`);
const Instant = z.string();

export const MobilePhone = z.string({ message: '手机号码须为文字' }).trim().refine(isMobilePhone, '手机号码应为 11 位，以 13-19 开头');

// ---- sign-in

export const CodeRequest = z.object({ phone: MobilePhone });
export const CodeSent = z.object({ sent: z.literal(true), expiresAt: Instant });
export const SignIn = z.object({ phone: MobilePhone, code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字') });

/** 实名信息: a person (name and ID number) or a company (name, credit code and a contact person). */
export const ProfileInput = z
  .object({
    kind: z.enum(['person', 'company'], { message: '申请人类型只能是个人或单位' }),
    name: Text('姓名或单位名称', 100),
    idNumber: z.string().trim().max(30, '身份证号码过长').optional(),
    creditCode: z.string().trim().max(30, '统一社会信用代码过长').optional(),
    contactName: OptionalText('联系人', 50).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'person' && !p.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '个人须填写身份证号码' });
    if (p.kind === 'company' && !p.creditCode) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '单位须填写统一社会信用代码' });
    if (p.kind === 'company' && !p.contactName) ctx.addIssue({ code: 'custom', path: ['contactName'], message: '单位须填写联系人' });
  });
export type ProfileInput = z.infer<typeof ProfileInput>;

/** The applicant as their own pages show them: numbers masked even to themselves, as on a receipt. */
export const Profile = z.object({
  phone: z.string(),
  kind: z.enum(['person', 'company']).nullable(),
  name: z.string(),
  number: z.string().nullable(),
  contactName: z.string().nullable(),
  verified: z.boolean(),
});
export type Profile = z.infer<typeof Profile>;
export const Session = z.object({ token: z.string(), expiresAt: Instant, profile: Profile });

// ---- applications

export const APPLICATION_STATUSES = ['draft', 'submitted', 'corrections', 'resubmitted', 'accepted', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const FINISH_OPTIONS = ['online', 'once', 'agent'] as const;
export type FinishOption = (typeof FINISH_OPTIONS)[number];
/** Who accepted: the window, or the law (行政许可法 第32条) when the window let 5 working days pass. */
export type AcceptedBy = 'staff' | 'law';
export type OnlineAgent = z.infer<typeof AgentInput>;

export const Correction = z.object({
  /** The material to re-upload, or null for something else to correct (a form field, a signature). */
  materialId: MaterialId.nullable().default(null),
  text: Text('补正内容', 200),
});
export type Correction = z.infer<typeof Correction>;

export const DraftInput = z
  .object({
    note: OptionalText('申请说明', 1000).default(''),
    notApplicable: z.array(MaterialId).max(100).default([]),
    finish: z.enum(FINISH_OPTIONS, { message: '办理方式只能是全程网办、最多跑一次或代办' }).default('online'),
    agent: AgentInput.nullable().default(null),
    deliveryMethod: DeliveryMethod.default('pickup'),
    deliveryAddress: OptionalText('邮寄地址', 200).nullable().default(null),
  })
  .superRefine((d, ctx) => {
    if (d.finish === 'agent' && !d.agent) ctx.addIssue({ code: 'custom', path: ['agent'], message: '代办须填写代办员信息和授权委托说明' });
    if (d.deliveryMethod === 'post' && !d.deliveryAddress) ctx.addIssue({ code: 'custom', path: ['deliveryAddress'], message: '邮寄送达须填写邮寄地址' });
  });
export type DraftInput = z.infer<typeof DraftInput>;
export type DraftBody = z.input<typeof DraftInput>;

export const NewApplication = z.object({ serviceCode: ServiceCode });
export const AnswerInput = z.object({ note: OptionalText('补正说明', 1000).default('') });

export const ReviewInput = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('accept'), note: OptionalText('说明', 500).optional() }),
    /** 一次性告知: everything to correct, at once. */
    z.object({ decision: z.literal('correct'), corrections: z.array(Correction).min(1, '请列出全部需要补正的内容').max(30, '补正事项最多 30 项') }),
    /** 退回 with reasons; with the competent authority named it is 不予受理. */
    z.object({ decision: z.literal('reject'), reason: Text('退回理由', 500), competentAuthority: OptionalText('有权受理的机关', 100).optional() }),
  ],
  { message: '预审结论只能是受理、补正或退回' },
);
export type ReviewInput = z.infer<typeof ReviewInput>;

export const FileView = z.object({ id: z.string(), materialId: z.string(), filename: z.string(), mimeType: z.string(), size: z.number(), uploadedAt: Instant });
export type FileView = z.infer<typeof FileView>;

export const MaterialView = z.object({
  id: z.string(),
  name: z.string(),
  required: z.boolean(),
  condition: z.string(),
  notes: z.string(),
  notApplicable: z.boolean(),
  files: z.array(FileView),
});
export const CheckResult = z.object({
  ready: z.boolean(),
  /** Everything still missing, each in words the applicant understands. */
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const EventView = z.object({ action: z.string(), actor: z.string(), note: z.string().nullable(), at: Instant });
export const NoticeLink = z.object({ seq: z.number(), title: z.string(), issuedAt: Instant });
export const CaseSummary = z.object({
  caseNumber: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  acceptedAt: Instant.nullable(),
  deadline: Instant.nullable(),
  finishedAt: Instant.nullable(),
  result: z.string().nullable(),
  delivery: z.object({ method: DeliveryMethod, trackingNumber: z.string().nullable(), pickupAt: Instant.nullable(), deliveredAt: Instant.nullable() }),
  rateable: z.boolean(),
});

export const ApplicationView = z.object({
  id: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  service: z.object({ code: z.string(), name: z.string(), guideVersion: z.number().nullable(), bookable: z.boolean() }),
  department: z.string(),
  applicant: z.object({ kind: z.enum(['person', 'company']).nullable(), name: z.string(), number: z.string().nullable(), phone: z.string() }),
  note: z.string(),
  finish: z.enum(FINISH_OPTIONS),
  agent: z.object({ name: z.string(), authorization: z.string(), idNumber: z.string(), phone: z.string() }).nullable(),
  deliveryMethod: DeliveryMethod,
  deliveryAddress: z.string().nullable(),
  materials: z.array(MaterialView),
  check: CheckResult,
  receivedAt: Instant.nullable(),
  reviewDue: Instant.nullable(),
  /** The pre-review light on the 5-working-day limit, while the window owes a decision. */
  reviewLight: z.enum(['green', 'reminder', 'yellow', 'red']).nullable(),
  corrections: z.array(Correction),
  answerNote: z.string().nullable(),
  decisionReason: z.string().nullable(),
  acceptedBy: z.enum(['staff', 'law']).nullable(),
  case: CaseSummary.nullable(),
  notices: z.array(NoticeLink),
  events: z.array(EventView),
  createdAt: Instant,
  updatedAt: Instant,
});
export type ApplicationView = z.infer<typeof ApplicationView>;

export const ApplicationListItem = z.object({
  id: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  serviceName: z.string(),
  caseNumber: z.string().nullable(),
  applicantName: z.string(),
  department: z.string(),
  receivedAt: Instant.nullable(),
  reviewDue: Instant.nullable(),
  reviewLight: z.enum(['green', 'reminder', 'yellow', 'red']).nullable(),
  acceptedBy: z.enum(['staff', 'law']).nullable(),
  deadline: Instant.nullable(),
  updatedAt: Instant,
});
export type ApplicationListItem = z.infer<typeof ApplicationListItem>;

export const OnlineService = z.object({ code: z.string(), name: z.string(), department: z.string(), promisedLimitDays: z.number(), bookable: z.boolean() });
export type OnlineService = z.infer<typeof OnlineService>;

export const InboxQuery = z.object({
  window: z.uuid({ message: '窗口编号格式不正确' }).optional(),
  department: z.uuid({ message: '部门编号格式不正确' }).optional(),
  status: z.enum(['waiting', 'corrections', 'decided']).default('waiting'),
});
export const Inbox = z.object({
  asOf: Instant,
  counts: z.object({ green: z.number(), reminder: z.number(), yellow: z.number(), red: z.number() }),
  items: z.array(ApplicationListItem),
});
export type Inbox = z.infer<typeof Inbox>;
