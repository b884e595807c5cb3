import { z } from 'zod';
import { MaterialId, ServiceCode } from '../catalog/schemas.js';
import { HallCodeParams } from '../org/schemas.js';
import { isLandlinePhone, isMobilePhone } from '../shared/identity.js';
import { CASE_KINDS, CASE_STATUSES, PAUSE_KINDS } from './states.js';

// Shared by the server (validation, OpenAPI) and the web app (forms): no server imports here.

const Text = (what: string, max: number) =>
  z.string({ message: `${what}须为文字` }).trim().min(1, `${what}不能为空`).max(max, `${what}不能超过 ${max} 个字`);
const OptionalText = (what: string, max: number) => z.string({ message: `${what}须为文字` }).trim().max(max, `${what}不能超过 ${max} 个字`).optional();
const Days = (what: string) => z.number({ message: `${what}须为数字` }).int(`${what}须为整数`).min(0, `${what}不能为负数`).max(3650, `${what}过大`);
const Instant = z.string();
const InstantInput = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601，带时区，如 2025-10-09T10:00:00+08:00' });
const Uuid = (what: string) => z.uuid({ message: `${what}编号格式不正确` });

export const Phone = z
  .string({ message: '电话须为文字' })
  .trim()
  .refine((v) => isMobilePhone(v) || isLandlinePhone(v), '电话号码格式不正确：手机号 11 位，固定电话须带区号（如 0722-1234567）');
/** 18 characters; the check digit is checked by the service, which answers INVALID_ID_NUMBER. */
const IdNumberText = z.string({ message: '身份证号码须为文字' }).trim().min(1, '身份证号码不能为空').max(30, '身份证号码过长');
const CreditCodeText = z.string({ message: '统一社会信用代码须为文字' }).trim().min(1, '统一社会信用代码不能为空').max(30, '统一社会信用代码过长');

export const ApplicantType = z.enum(['person', 'company'], { message: '申请人类型只能是个人或单位' });
export type ApplicantType = z.infer<typeof ApplicantType>;

/** A person (name, ID number) or a company (name, unified social credit code, contact person). */
export const ApplicantInput = z
  .object({
    type: ApplicantType.optional(),
    name: Text('申请人姓名或单位名称', 100),
    idNumber: IdNumberText.optional(),
    creditCode: CreditCodeText.optional(),
    phone: Phone,
    contactName: OptionalText('联系人', 50),
  })
  .transform((a) => ({ ...a, type: a.type ?? (a.creditCode && !a.idNumber ? ('company' as const) : ('person' as const)) }))
  .superRefine((a, ctx) => {
    if (a.type === 'person' && !a.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '个人申请须填写身份证号码' });
    if (a.type === 'company' && !a.creditCode) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '单位申请须填写统一社会信用代码' });
  });
export type ApplicantInput = z.input<typeof ApplicantInput>;

/** 代办员: acts for the applicant with a written authorisation. */
export const AgentInput = z.object({
  name: Text('代办员姓名', 50),
  idNumber: IdNumberText,
  phone: Phone,
  authorization: Text('授权委托说明', 200),
});
export type Agent = z.infer<typeof AgentInput>;

const MaterialIds = z.array(MaterialId).max(100, '材料最多 100 项').default([]);

export const JointTask = z.object({
  departmentId: Uuid('部门'),
  task: Text('部门任务', 200),
  limitDays: Days('部门时限'),
});
/** 联办件: at least three departments, the lead (the item's department) among them, each with a task. */
export const JointInput = z
  .object({
    limitDays: Days('联办时限').optional(),
    tasks: z.array(JointTask).min(3, '联办件须有三个以上部门参与').max(20, '参与部门最多 20 个'),
  })
  .refine((j) => new Set(j.tasks.map((t) => t.departmentId)).size === j.tasks.length, { message: '同一部门不能重复列出', path: ['tasks'] });

export const DeliveryMethod = z.enum(['pickup', 'post'], { message: '送达方式只能是窗口领取或邮寄' });
export type DeliveryMethod = z.infer<typeof DeliveryMethod>;
export const DeliveryInput = z
  .object({ method: DeliveryMethod, address: OptionalText('邮寄地址', 200) })
  .refine((d) => d.method !== 'post' || Boolean(d.address), { message: '邮寄送达须填写邮寄地址', path: ['address'] });

export const PauseKind = z.enum(PAUSE_KINDS, { message: '暂停事由只能是听证、检验检测鉴定、专家评审或现场勘查' });
/** EMS: an international S10 number (EA123456789CN) or a 13-digit domestic one. */
export const TrackingNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{13})$/, 'EMS 邮件号应为 13 位数字，或 2 位字母 + 9 位数字 + 2 位字母');

const reason = { reason: OptionalText('说明', 500) };
const Accept = z.object({
  action: z.literal('accept'),
  ...reason,
  /** 即办件: done on the spot, accepted and completed in one go. */
  completeNow: z.boolean().default(false),
  result: OptionalText('办理结果', 500),
});
const Correct = z.object({ action: z.literal('correct'), corrections: z.array(Text('补正事项', 200)).max(30, '补正事项最多 30 项').default([]), ...reason });
const Reject = z.object({ action: z.literal('reject'), reason: Text('不予受理理由', 500), competentAuthority: Text('有权受理的机关', 100) });
const NoApproval = z.object({ action: z.literal('no_approval'), reason: Text('不需审批的依据', 500) });
const Return = z.object({ action: z.literal('return'), reason: Text('退回理由', 500) });
const Escalate = z.object({
  action: z.literal('escalate'),
  authority: Text('上级机关', 100),
  forwardLimitDays: Days('报送时限').max(30, '报送时限最长 30 个工作日').optional(),
  ...reason,
});

/** To a hall above in the network that decides the item; without `hall`, the nearest one that does. */
const Transfer = z.object({ action: z.literal('transfer'), hall: HallCodeParams.shape.code.optional(), ...reason });

export const ActionInput = z.discriminatedUnion(
  'action',
  [
    Accept,
    Correct,
    Reject,
    NoApproval,
    Return,
    Escalate,
    z.object({ action: z.literal('supplement'), materials: MaterialIds, ...reason }),
    z.object({ action: z.literal('forward'), reference: OptionalText('报送文号', 100), resultLimitDays: Days('上级办理时限').optional(), ...reason }),
    z.object({ action: z.literal('pause'), pauseKind: PauseKind, reason: Text('暂停原因', 500) }),
    z.object({ action: z.literal('resume'), ...reason }),
    z.object({ action: z.literal('task_complete'), departmentId: Uuid('部门').optional(), ...reason }),
    z.object({ action: z.literal('complete'), result: OptionalText('办理结果', 500), ...reason }),
    z.object({ action: z.literal('schedule_pickup'), pickupAt: InstantInput, ...reason }),
    z.object({ action: z.literal('pick_up'), ...reason }),
    z.object({ action: z.literal('mail'), trackingNumber: TrackingNumber, ...reason }),
    Transfer,
    z.object({ action: z.literal('sign'), ...reason }),
    z.object({ action: z.literal('decline'), reason: Text('退回理由', 500) }),
    z.object({ action: z.literal('send_back'), ...reason }),
  ],
  { message: '不支持的操作' },
);
export type ActionInput = z.infer<typeof ActionInput>;

/** What the window decides at receipt; `receive` only registers the application (收件) for a later decision. */
export const Decision = z.discriminatedUnion('action', [Accept, Correct, Reject, NoApproval, Return, Escalate, Transfer, z.object({ action: z.literal('receive') })], {
  message: '不支持的受理决定',
});
export type Decision = z.infer<typeof Decision>;

export const CaseInput = z.object({
  serviceCode: ServiceCode,
  applicant: ApplicantInput,
  agent: AgentInput.nullable().optional(),
  /** A registered agent (代办员) of the hall who carries the case to the deciding hall and back. */
  agentId: Uuid('代办员').optional(),
  /** Ids of the guide's materials handed in. */
  materials: MaterialIds,
  /** Conditional materials (委托他人办理的 ...) whose condition does not apply to this application. */
  notApplicable: MaterialIds,
  ticketId: Uuid('号票').optional(),
  windowId: Uuid('窗口').optional(),
  joint: JointInput.optional(),
  delivery: DeliveryInput.optional(),
  queryPassword: z.string().regex(/^[A-Za-z0-9]{4,16}$/, '查询密码为 4-16 位字母或数字').optional(),
  decision: Decision.default({ action: 'accept', completeNow: false }),
});
export type CaseInput = z.infer<typeof CaseInput>;
/** What a form or client sends (defaults not yet applied). */
export type CaseInputBody = z.input<typeof CaseInput>;

export const CaseSettings = z.object({
  /** Yellow this many working minutes before the deadline (half a working day). */
  yellowBeforeMinutes: z.number().int().min(0).max(4800).default(240),
  /** Reminder this many working minutes before the yellow. */
  reminderBeforeYellowMinutes: z.number().int().min(0).max(4800).default(120),
  /** Working days the hall commits to for forwarding an escalated case (上报件报送时限). */
  forwardLimitDays: z.number().int().min(0).max(30).default(1),
  /** Working days a hall has to sign for a case a lower hall transferred to it (签收时限); a local choice. */
  signLimitDays: z.number().int().min(0).max(10).default(1),
  /**
   * Years after receipt when a finished case's personal fields are anonymised (the nightly retention run).
   * domain.md names no period: 30 years, the longest archive term for case files, is the default.
   */
  retentionYears: z.number().int().min(1).max(100).default(30),
});
export type CaseSettings = z.infer<typeof CaseSettings>;
/** A hall's case settings; one stored by an older version that no longer parses falls back to the defaults. */
export function caseSettingsOf(hallSettings: Record<string, unknown>): CaseSettings {
  const parsed = CaseSettings.safeParse(hallSettings.cases ?? {});
  return parsed.success ? parsed.data : CaseSettings.parse({});
}

export const Light = z.enum(['green', 'reminder', 'yellow', 'red']);
export const CaseKind = z.enum(CASE_KINDS);
export const CaseStatus = z.enum(CASE_STATUSES);
export const NoticeType = z.enum(['acceptance', 'supplement', 'joint', 'return', 'rejection', 'completion', 'no_approval']);
export type NoticeType = z.infer<typeof NoticeType>;

export const MaterialRef = z.object({ id: z.string(), name: z.string() });
export type MaterialRef = z.infer<typeof MaterialRef>;
export const CaseMaterial = z.object({ id: z.string(), name: z.string(), required: z.boolean(), condition: z.string(), received: z.boolean() });
export type CaseMaterial = z.infer<typeof CaseMaterial>;
export type Correction = string;
export const Escalation = z.object({
  authority: z.string(),
  forwardLimitDays: z.number(),
  escalatedAt: Instant,
  forwardedAt: Instant.nullable(),
  reference: z.string().nullable(),
  resultLimitDays: z.number().nullable(),
});
export type Escalation = z.infer<typeof Escalation>;

const Named = z.object({ id: z.string(), name: z.string() });

export const CaseTaskView = z.object({
  departmentId: z.string(),
  departmentName: z.string(),
  task: z.string(),
  limitDays: z.number(),
  deadline: Instant.nullable(),
  light: Light.nullable(),
  doneAt: Instant.nullable(),
  doneBy: z.string().nullable(),
  note: z.string().nullable(),
});

export const HistoryEntry = z.object({
  seq: z.number(),
  action: z.string(),
  label: z.string(),
  status: CaseStatus,
  statusLabel: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  at: Instant,
  /** The hall whose staff made the move (a transferred case is moved by two halls). */
  hall: z.string(),
});

const HallRef = z.object({ code: z.string(), name: z.string() });
/** A case's way to the hall above that decides it, and back; `stage` is where it stands now. */
export const CaseRouteView = z.object({
  from: HallRef,
  to: HallRef,
  department: Named,
  sentAt: Instant,
  signedAt: Instant.nullable(),
  returnedAt: Instant.nullable(),
  stage: z.enum(['to_sign', 'deciding', 'returned']),
});
export type CaseRouteView = z.infer<typeof CaseRouteView>;

export const NoticeSummary = z.object({ seq: z.number(), type: NoticeType, title: z.string(), issuedAt: Instant, issuedBy: z.string() });

/** The full case for staff in its scope (GET /cases/{caseNumber}); POST /cases answers with it too. */
export const CaseView = z.object({
  id: z.string(),
  caseNumber: z.string(),
  kind: CaseKind,
  kindLabel: z.string(),
  status: CaseStatus,
  statusLabel: z.string(),
  service: z.object({ id: z.string(), code: z.string(), name: z.string(), guideVersion: z.number().nullable() }),
  department: Named,
  window: Named.nullable(),
  ticketId: z.string().nullable(),
  handler: z.string().nullable(),
  applicant: z.object({
    type: ApplicantType,
    name: z.string(),
    idNumber: z.string().nullable(),
    creditCode: z.string().nullable(),
    phone: z.string(),
    contactName: z.string().nullable(),
  }),
  agent: AgentInput.nullable(),
  queryPasswordSet: z.boolean(),
  materials: z.array(CaseMaterial),
  missingMaterials: z.array(MaterialRef),
  corrections: z.array(z.string()),
  limitDays: z.number(),
  receivedAt: Instant,
  acceptedAt: Instant.nullable(),
  deadline: Instant.nullable(),
  deadlineDate: z.string().nullable(),
  light: Light.nullable(),
  nextLightChangeAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
  pauses: z.array(z.object({ kind: PauseKind, from: Instant, to: Instant.nullable() })),
  tasks: z.array(CaseTaskView),
  escalation: Escalation.nullable(),
  decisionReason: z.string().nullable(),
  competentAuthority: z.string().nullable(),
  result: z.string().nullable(),
  delivery: z.object({
    method: DeliveryMethod,
    address: z.string().nullable(),
    pickupAt: Instant.nullable(),
    trackingNumber: z.string().nullable(),
    deliveredAt: Instant.nullable(),
  }),
  /** The moves the table allows and the reader's hall may make now. */
  allowedActions: z.array(z.string()),
  route: CaseRouteView.nullable(),
  /** Whether the reader's hall received the case or was asked to decide it. */
  side: z.enum(['origin', 'upper']),
  history: z.array(HistoryEntry),
  notices: z.array(NoticeSummary),
});
export type CaseView = z.infer<typeof CaseView>;

/** One row of a staff list or board. */
export const CaseListItem = z.object({
  caseNumber: z.string(),
  serviceName: z.string(),
  department: Named,
  windowName: z.string().nullable(),
  applicantName: z.string(),
  kind: CaseKind,
  status: CaseStatus,
  statusLabel: z.string(),
  receivedAt: Instant,
  acceptedAt: Instant.nullable(),
  deadline: Instant.nullable(),
  light: Light.nullable(),
});
export type CaseListItem = z.infer<typeof CaseListItem>;
export const CaseList = z.object({ total: z.number(), items: z.array(CaseListItem) });
/** The deciding hall's inbox: cases lower halls transferred to it, those it holds first, by due date. */
export const CaseInbox = z.object({
  items: z.array(CaseListItem.extend({ fromHall: HallRef, stage: CaseRouteView.shape.stage })),
});
export type CaseInbox = z.infer<typeof CaseInbox>;

export const LightCounts = z.object({
  green: z.number(),
  reminder: z.number(),
  yellow: z.number(),
  red: z.number(),
  /** Open cases with no running clock: waiting for materials, paused, not yet decided. */
  none: z.number(),
  total: z.number(),
});
export type LightCounts = z.infer<typeof LightCounts>;
export const Board = z.object({
  scope: z.enum(['department', 'hall']),
  department: Named.nullable(),
  counts: LightCounts,
  departments: z.array(LightCounts.extend({ department: Named })),
  /** Open cases, overdue first, then by due date; the first page. */
  cases: z.array(CaseListItem),
  asOf: Instant,
});
export type Board = z.infer<typeof Board>;

/** The public progress query (shared/api.md), the applicant masked; with a matching idLast4 the detail too. */
export const PublicCase = z.object({
  caseNumber: z.string(),
  serviceName: z.string(),
  department: z.string(),
  applicant: z.object({ type: ApplicantType, name: z.string(), idNumber: z.string().optional(), phone: z.string().optional() }),
  acceptedAt: Instant.nullable(),
  status: CaseStatus,
  statusLabel: z.string(),
  kind: CaseKind,
  kindLabel: z.string(),
  deadline: Instant.nullable(),
  receivedAt: Instant,
  finishedAt: Instant.nullable(),
  delivery: z.object({ method: DeliveryMethod, trackingNumber: z.string().nullable(), pickupAt: Instant.nullable(), deliveredAt: Instant.nullable() }),
  /** Present when `idLast4` matched. */
  detail: z
    .object({
      hallName: z.string(),
      windowName: z.string().nullable(),
      deadlineDate: z.string().nullable(),
      missingMaterials: z.array(MaterialRef),
      corrections: z.array(z.string()),
      steps: z.array(z.object({ label: z.string(), state: z.enum(['done', 'current', 'pending']), at: Instant.nullable() })),
      history: z.array(z.object({ label: z.string(), statusLabel: z.string(), note: z.string().nullable(), at: Instant })),
      tasks: z.array(z.object({ department: z.string(), done: z.boolean(), deadline: Instant.nullable() })),
      result: z.string().nullable(),
    })
    .optional(),
});
export type PublicCase = z.infer<typeof PublicCase>;

/** The window's case desk: where the signed-in user receives, what each window takes, served tickets. */
export const DeskInfo = z.object({
  windows: z.array(z.object({ id: z.string(), name: z.string(), services: z.array(z.object({ code: z.string(), name: z.string(), kind: z.string() })) })),
  tickets: z.array(z.object({ id: z.string(), number: z.string(), status: z.string(), serviceCode: z.string(), windowId: z.string().nullable(), holderName: z.string().nullable() })),
  departments: z.array(Named),
});
export type DeskInfo = z.infer<typeof DeskInfo>;

/** The checklist for a receipt: the current published guide's materials. */
export const Checklist = z.object({
  service: z.object({ code: z.string(), name: z.string(), kind: z.string(), promisedLimitDays: z.number(), legalLimitDays: z.number(), departmentId: z.string() }),
  guideVersion: z.number().nullable(),
  materials: z.array(z.object({ id: z.string(), name: z.string(), required: z.boolean(), condition: z.string(), form: z.string(), copies: z.number() })),
});
export type Checklist = z.infer<typeof Checklist>;
