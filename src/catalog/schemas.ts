import { z } from 'zod';
import { HallCode, Id } from '../org/schemas.js';

// Shared by the server (validation, OpenAPI) and the web app (forms): no server imports here.

export const CATEGORIES = ['licensing', 'benefit', 'confirmation', 'reward', 'adjudication', 'other_power', 'public_service'] as const;
export const Category = z.enum(CATEGORIES, { message: '事项类型不正确' });
export type Category = z.infer<typeof Category>;
export const CATEGORY_LABELS: Record<Category, string> = {
  licensing: '行政许可',
  benefit: '行政给付',
  confirmation: '行政确认',
  reward: '行政奖励',
  adjudication: '行政裁决',
  other_power: '其他行政权力',
  public_service: '公共服务',
};

export const ServiceKind = z.enum(['immediate', 'promised'], { message: '办件类型只能是即办件或承诺件' });
export type ServiceKind = z.infer<typeof ServiceKind>;
export const KIND_LABELS: Record<ServiceKind, string> = { immediate: '即办件', promised: '承诺件' };

export const MaterialForm = z.enum(['original', 'copy', 'original_and_copy', 'electronic'], { message: '材料形式不正确' });
export type MaterialForm = z.infer<typeof MaterialForm>;
export const MATERIAL_FORM_LABELS: Record<MaterialForm, string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件及复印件',
  electronic: '电子材料',
};

export const RiskLevel = z.enum(['high', 'medium', 'low'], { message: '风险等级只能是高、中、低' });
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { high: '高', medium: '中', low: '低' };

/** The eight parts a catalogue review asks for per item (随县 2016 第3期通报). */
export const GUIDE_PARTS = ['basic', 'flow', 'materials', 'fees', 'forms', 'steps', 'risks', 'faq'] as const;
export const GuidePart = z.enum(GUIDE_PARTS);
export type GuidePart = z.infer<typeof GuidePart>;
export const GUIDE_PART_LABELS: Record<GuidePart, string> = {
  basic: '基本信息表',
  flow: '权力运行流程图',
  materials: '申报材料',
  fees: '收费标准',
  forms: '服务表格',
  steps: '办理环节信息',
  risks: '廉政风险点',
  faq: '常见问题',
};

const Name = (what: string, max: number) =>
  z.string({ message: `${what}须为文字` }).trim().min(1, `${what}不能为空`).max(max, `${what}不能超过 ${max} 个字`);
const Text = (what: string, max: number) =>
  z.string({ message: `${what}须为文字` }).trim().max(max, `${what}不能超过 ${max} 个字`).default('');
const Days = (what: string) =>
  z.number({ message: `${what}须为数字` }).int(`${what}须为整数`).min(0, `${what}不能为负数`).max(3650, `${what}过大`);

export const ServiceCode = z
  .string({ message: '事项编码须为文字' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '事项编码为 1-64 位字母、数字或 . _ -，以字母或数字开头');
export const QueuePrefix = z.string({ message: '排队号前缀须为文字' }).regex(/^[A-Z]{1,2}$/, '排队号前缀为 1-2 个大写字母');
export const MaterialId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, '材料编号为 1-40 位字母、数字、_ 或 -');
export const Keyword = z
  .string()
  .trim()
  .min(1, '关键词不能为空')
  .max(20, '关键词不能超过 20 个字')
  .regex(/^[^\s|｜]+$/, '关键词不能含空格或竖线');

export const Appointment = z.object({
  slotMinutes: z.number().int().min(5, '预约时段至少 5 分钟').max(240, '预约时段最长 240 分钟'),
  capacity: z.number().int().min(1, '每时段至少 1 人').max(200, '每时段最多 200 人'),
  daysAhead: z.number().int().min(1, '至少提前 1 天开放预约').max(90, '最多提前 90 天开放预约'),
});
export type Appointment = z.infer<typeof Appointment>;
export const DEFAULT_APPOINTMENT: Appointment = { slotMinutes: 30, capacity: 3, daysAhead: 7 };

export const MaterialInput = z.object({
  /** Stable across versions: cases record which materials arrived by this id. Assigned when absent. */
  id: MaterialId.optional(),
  name: Name('材料名称', 100),
  required: z.boolean({ message: '是否必需须为 true 或 false' }).default(true),
  /** For a material needed only in some cases (委托代理人办理的, 未满十六周岁的): when it applies. */
  condition: Text('适用情形', 200),
  form: MaterialForm.default('original'),
  copies: z.number().int().min(1, '份数至少为 1').max(99, '份数最多 99').default(1),
  blankFormId: Id.nullable().default(null),
  sampleId: Id.nullable().default(null),
  notes: Text('材料说明', 500),
});
export const Material = MaterialInput.extend({ id: MaterialId });
export type Material = z.infer<typeof Material>;

export const FeeItem = z.object({
  name: Name('收费项目', 60),
  /** In fen (分) so money never goes through floating point: 120 元 is 12000. */
  amountFen: z.number().int('金额须精确到分').min(0, '金额不能为负数').max(100_000_000, '金额过大'),
  unit: Text('计费单位', 20),
  basis: Text('收费依据', 300),
});
export type FeeItem = z.infer<typeof FeeItem>;
export const Fees = z.object({
  free: z.boolean().default(false),
  items: z.array(FeeItem).max(20, '收费项目最多 20 项').default([]),
  note: Text('收费说明', 300),
});
export type Fees = z.infer<typeof Fees>;

export const Step = z.object({
  name: Name('环节名称', 60),
  role: Text('承办岗位', 60),
  /** Working days; 0 is "on the spot" (即时), null not yet given. */
  timeLimitDays: Days('环节时限').nullable().default(null),
  standard: Text('审查标准', 500),
  result: Text('办理结果', 200),
});
export type Step = z.infer<typeof Step>;

export const Form = z.object({
  name: Name('表格名称', 100),
  blankFormId: Id.nullable().default(null),
  sampleId: Id.nullable().default(null),
  notes: Text('表格说明', 300),
});
export type Form = z.infer<typeof Form>;

export const Risk = z.object({
  step: Text('风险环节', 60),
  point: Name('风险点', 200),
  level: RiskLevel.default('medium'),
  measure: Text('防控措施', 500),
});
export type Risk = z.infer<typeof Risk>;

export const Faq = z.object({ question: Name('问题', 200), answer: Text('解答', 2000) });
export type Faq = z.infer<typeof Faq>;

/** Everything a guide says except which department: shared by drafts, POST /services and imports. */
const guideFields = {
  name: Name('事项名称', 100),
  category: Category.default('public_service'),
  kind: ServiceKind,
  legalLimitDays: Days('法定时限'),
  promisedLimitDays: Days('承诺时限'),
  legalBasis: Text('设定依据', 3000),
  conditions: Text('受理条件', 2000),
  result: Text('办理结果', 200),
  onlineApplicable: z.boolean().default(false),
  location: Text('办理地点', 200),
  hoursNote: Text('办理时间', 200),
  consultPhone: Text('咨询电话', 40),
  supervisionPhone: Text('监督投诉电话', 40),
  keywords: z.array(Keyword).max(20, '关键词最多 20 个').default([]),
  fees: Fees.default({ free: false, items: [], note: '' }),
  materials: z.array(MaterialInput).max(100, '申请材料最多 100 项').default([]),
  steps: z.array(Step).max(30, '办理环节最多 30 个').default([]),
  flowChartId: Id.nullable().default(null),
  forms: z.array(Form).max(30, '表格最多 30 份').default([]),
  /** Some items need no form at all; saying so completes the forms part. */
  noForms: z.boolean().default(false),
  risks: z.array(Risk).max(30, '风险点最多 30 个').default([]),
  faq: z.array(Faq).max(50, '常见问题最多 50 条').default([]),
  tips: z.array(Text('温馨提示', 500)).max(20, '温馨提示最多 20 条').default([]),
};

const settingsFields = {
  queuePrefix: QueuePrefix,
  bookable: z.boolean().default(false),
  appointment: Appointment.nullable().optional(),
  greenChannel: z.boolean().default(false),
};

type LimitsShape = { legalLimitDays: number; promisedLimitDays: number; materials: { id?: string | undefined }[] };
/** Rules across fields: promised limits compress the legal one, material ids are unique. */
function guideRules(value: LimitsShape, ctx: z.RefinementCtx): void {
  if (value.legalLimitDays > 0 && value.promisedLimitDays > value.legalLimitDays) {
    ctx.addIssue({ code: 'custom', path: ['promisedLimitDays'], message: '承诺时限不能超过法定时限' });
  }
  const seen = new Set<string>();
  value.materials.forEach((m, i) => {
    if (!m.id) return;
    if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: ['materials', i, 'id'], message: `材料编号 ${m.id} 重复` });
    seen.add(m.id);
  });
}

/** A guide's whole content: what a draft holds and a published version freezes. */
export const GuideContent = z.object({ ...guideFields, departmentId: Id }).superRefine(guideRules);
export type GuideContentInput = z.input<typeof GuideContent>;
export type GuideContent = Omit<z.output<typeof GuideContent>, 'materials'> & { materials: Material[] };

/** POST /services: the api.md body, plus optionally any guide field. */
export const ServiceInput = z
  .object({ code: ServiceCode, departmentId: Id, ...guideFields, ...settingsFields, publish: z.boolean().default(true) })
  .superRefine(guideRules);
export type ServiceInput = z.output<typeof ServiceInput>;

/** Operational settings, effective at once without a new guide version. */
export const ServiceSettings = z.object(settingsFields).partial();
export type ServiceSettings = z.infer<typeof ServiceSettings>;

/** One item in a catalogue export or import: the department by name so a file moves between halls. */
export const CatalogItem = z.object({ code: ServiceCode, department: Name('实施部门', 60), ...guideFields, ...settingsFields }).superRefine(guideRules);
export type CatalogItemInput = z.input<typeof CatalogItem>;
export type CatalogItem = z.output<typeof CatalogItem>;
export const CATALOG_FORMAT = 'onewindow-catalog';
export const CatalogFile = z.object({
  format: z.literal(CATALOG_FORMAT, { message: `不是 ${CATALOG_FORMAT} 格式的目录文件` }),
  formatVersion: z.literal(1, { message: '目录文件版本不受支持' }),
  exportedAt: z.string().optional(),
  hall: z.object({ code: z.string(), name: z.string() }).optional(),
  items: z.array(z.unknown()).max(20_000, '一次最多导入 20000 个事项'),
});

// ---- Views ----

export const AttachmentRef = z.object({ id: Id, filename: z.string(), mimeType: z.string(), size: z.number(), url: z.string() });
export type AttachmentRef = z.infer<typeof AttachmentRef>;
export const Attachment = AttachmentRef.extend({ sha256: z.string(), createdAt: z.string(), createdByName: z.string() });

export const ServiceSummary = z.object({
  code: z.string(),
  name: z.string(),
  category: Category,
  categoryLabel: z.string(),
  departmentId: Id,
  departmentName: z.string(),
  kind: ServiceKind,
  kindLabel: z.string(),
  legalLimitDays: z.number(),
  promisedLimitDays: z.number(),
  queuePrefix: z.string(),
  bookable: z.boolean(),
  onlineApplicable: z.boolean(),
  greenChannel: z.boolean(),
  currentGuideVersion: z.number().nullable(),
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

export const MaterialView = Material.omit({ blankFormId: true, sampleId: true }).extend({
  formLabel: z.string(),
  blankForm: AttachmentRef.nullable(),
  sample: AttachmentRef.nullable(),
});
export const FormView = Form.omit({ blankFormId: true, sampleId: true }).extend({ blankForm: AttachmentRef.nullable(), sample: AttachmentRef.nullable() });
export const FeesView = Fees.extend({ items: z.array(FeeItem.extend({ amountLabel: z.string() })), summary: z.string() });

/** The public guide (GET /services/{code}) and the answer of POST /services. */
export const ServiceDetail = ServiceSummary.extend({
  id: Id,
  appointment: Appointment.nullable(),
  windows: z.array(z.object({ id: Id, number: z.number(), name: z.string() })),
  publishedAt: z.string().nullable(),
  legalBasis: z.string(),
  conditions: z.string(),
  result: z.string(),
  location: z.string(),
  hoursNote: z.string(),
  consultPhone: z.string(),
  supervisionPhone: z.string(),
  keywords: z.array(z.string()),
  fees: FeesView,
  materials: z.array(MaterialView),
  steps: z.array(Step),
  flowChart: AttachmentRef.nullable(),
  forms: z.array(FormView),
  noForms: z.boolean(),
  risks: z.array(Risk.extend({ levelLabel: z.string() })),
  faq: z.array(Faq),
  tips: z.array(z.string()),
});
export type ServiceDetail = z.infer<typeof ServiceDetail>;

export const PartProblem = z.object({ part: GuidePart, label: z.string(), problems: z.array(z.string()) });
export type PartProblem = z.infer<typeof PartProblem>;

export const VersionInfo = z.object({
  version: z.number(),
  status: z.enum(['published', 'superseded']),
  note: z.string(),
  publishedAt: z.string(),
  publishedByName: z.string(),
});
export const DraftInfo = z.object({
  basedOn: z.number().nullable(),
  updatedAt: z.string(),
  updatedByName: z.string(),
  content: GuideContent,
  missing: z.array(PartProblem),
});

export const ImportError = z.object({
  sheet: z.string(),
  row: z.number(),
  code: z.string().nullable(),
  field: z.string().nullable(),
  reason: z.string(),
});
export type ImportError = z.infer<typeof ImportError>;

export const OneTimeNotice = z.object({
  title: z.string(),
  hall: z.object({ name: z.string(), address: z.string(), phone: z.string(), hoursText: z.string() }),
  service: z.object({ code: z.string(), name: z.string(), departmentName: z.string(), categoryLabel: z.string(), kindLabel: z.string() }),
  guideVersion: z.number().nullable(),
  publishedAt: z.string().nullable(),
  legalBasis: z.string(),
  conditions: z.string(),
  limits: z.object({ legalLimitDays: z.number(), promisedLimitDays: z.number(), text: z.string() }),
  materials: z.array(
    z.object({ no: z.number(), id: z.string(), name: z.string(), formLabel: z.string(), copies: z.number(), required: z.boolean(), requirement: z.string(), notes: z.string() }),
  ),
  fees: FeesView,
  steps: z.array(z.object({ name: z.string(), timeLimitDays: z.number().nullable() })),
  result: z.string(),
  location: z.string(),
  hoursNote: z.string(),
  consultPhone: z.string(),
  supervisionPhone: z.string(),
  tips: z.array(z.string()),
  /** The online guide; the QR code encodes it. */
  url: z.string(),
  qr: z.object({ svg: z.string(), png: z.string() }),
  issuedAt: z.string(),
  statement: z.string(),
});

export type SixDisclosures = z.infer<typeof SixDisclosures>;
export const SixDisclosures = z.object({
  hall: z.object({ name: z.string(), address: z.string(), phone: z.string(), hoursText: z.string() }),
  generatedAt: z.string(),
  totals: z.object({ departments: z.number(), items: z.number() }),
  departments: z.array(
    z.object({
      id: Id,
      name: z.string(),
      windows: z.array(z.object({ number: z.number(), name: z.string() })),
      items: z.array(
        z.object({
          code: z.string(),
          name: z.string(),
          categoryLabel: z.string(),
          kind: ServiceKind,
          kindLabel: z.string(),
          legalLimitDays: z.number(),
          promisedLimitDays: z.number(),
          procedure: z.array(z.string()),
          materials: z.array(z.object({ name: z.string(), required: z.boolean(), condition: z.string() })),
          fees: z.string(),
          feeBasis: z.array(z.string()),
        }),
      ),
    }),
  ),
});

export const ItemStatus = z.enum(['published', 'published_with_draft', 'draft', 'unpublished']);
export type ItemStatus = z.infer<typeof ItemStatus>;
export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  published: '已发布',
  published_with_draft: '已发布（有未发布的修改）',
  draft: '草稿（未发布）',
  unpublished: '未发布',
};

export const StaffListItem = z.object({
  code: z.string(),
  name: z.string(),
  category: Category,
  departmentId: Id,
  departmentName: z.string(),
  kind: ServiceKind,
  status: ItemStatus,
  currentGuideVersion: z.number().nullable(),
  missingParts: z.array(GuidePart),
  updatedAt: z.string(),
});

export const SettingsView = z.object({ queuePrefix: z.string(), bookable: z.boolean(), appointment: Appointment.nullable(), greenChannel: z.boolean() });

export const StaffView = z.object({
  code: z.string(),
  settings: SettingsView,
  published: ServiceDetail.nullable(),
  draft: DraftInfo.nullable(),
  versions: z.array(VersionInfo),
  latest: GuideContent,
  missing: z.array(PartProblem),
  warnings: z.array(z.string()),
  attachments: z.array(Attachment),
});

export const VersionView = VersionInfo.extend({ guide: ServiceDetail });

export type CompletenessReport = z.infer<typeof CompletenessReport>;
export const CompletenessReport = z.object({
  checkedAt: z.string(),
  of: z.enum(['latest', 'published']),
  totals: z.object({ items: z.number(), complete: z.number(), incomplete: z.number() }),
  byPart: z.record(GuidePart, z.number()),
  departments: z.array(
    z.object({
      departmentId: Id,
      departmentName: z.string(),
      total: z.number(),
      incomplete: z.number(),
      items: z.array(z.object({ code: z.string(), name: z.string(), status: ItemStatus, missing: z.array(PartProblem) })),
    }),
  ),
});

export const ImportReport = z.object({
  dryRun: z.boolean(),
  format: z.enum(['xlsx', 'json']),
  publish: z.boolean(),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  errors: z.array(ImportError),
  warnings: z.array(ImportError),
});

// ---- The catalogue per level of the hall network (issue 12) ----

export const HANDLING_MODES = ['decide', 'forward', 'guide'] as const;
export const HandlingMode = z.enum(HANDLING_MODES, { message: '办理方式只能是办理、收件转报或咨询代办' });
export type HandlingMode = z.infer<typeof HandlingMode>;
export const HANDLING_MODE_LABELS: Record<HandlingMode, string> = { decide: '办理', forward: '收件转报', guide: '咨询/代办' };
const LowerLevel = z.enum(['county', 'township', 'village'], { message: '层级只能是县区、乡镇街道或村社区' });

export const LevelsQuery = z.object({ hall: HallCode.optional() });
export const LevelHallParams = z.object({ code: HallCode });
/** Sets what one hall does with items; `mode: null` takes an item off the hall's list. */
export const LevelSetInput = z.object({
  items: z.array(z.object({ serviceId: Id, mode: HandlingMode.nullable() })).min(1, '请至少选择一个事项').max(500, '一次最多设置 500 个事项'),
});
/** "All village stations take in X": every hall of `level` in the subtree of `under` (default the manager's hall). */
export const LevelBulkInput = z.object({
  under: HallCode.optional(),
  level: LowerLevel,
  serviceIds: z.array(Id).min(1, '请至少选择一个事项').max(500, '一次最多设置 500 个事项'),
  mode: HandlingMode.nullable(),
});

const HallRef = z.object({ code: z.string(), name: z.string() });
export const LevelItem = z.object({
  serviceId: Id,
  code: z.string(),
  name: z.string(),
  owner: HallRef,
  mode: HandlingMode.nullable(),
  /** Where a case taken in here is decided (the hall itself when it decides); null when the hall does nothing with it. */
  decidedBy: HallRef.nullable(),
});
export type LevelItem = z.infer<typeof LevelItem>;
export const LevelsView = z.object({ hall: HallRef.extend({ level: z.string() }), items: z.array(LevelItem) });

export const PlacesQuery = z.object({
  hall: HallCode.optional(),
  /** The visitor's township or village, chosen in the picker. */
  near: HallCode.optional(),
  /** Or their address as typed, matched against the halls' addresses. */
  address: z.string().trim().max(100, '地址不能超过 100 个字').optional(),
});
export const Place = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  address: z.string(),
  phone: z.string(),
  mode: HandlingMode,
  decidedBy: HallRef,
});
export type Place = z.infer<typeof Place>;
export const Places = z.object({
  item: z.object({ code: z.string(), name: z.string() }),
  places: z.array(Place),
  /** The hall the visitor starts from (chosen or matched by address) and the nearest hall that takes the item in. */
  nearest: z
    .object({
      from: HallRef.extend({ level: z.string(), mode: HandlingMode.nullable() }),
      matchedBy: z.enum(['choice', 'address']),
      place: Place.nullable(),
    })
    .nullable(),
});
export type Places = z.infer<typeof Places>;
export const PublicHall = z.object({ code: z.string(), name: z.string(), level: z.string(), address: z.string(), parentCode: z.string().nullable() });
