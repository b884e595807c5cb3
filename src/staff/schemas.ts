// Requests and settings of the staff capability; shared with the web app, so zod only.
import { z } from 'zod';

const Id = z.uuid({ message: '编号格式不正确' });
/** A date as YYYY-MM-DD that exists (2025-02-30 is refused). */
export const DateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, '日期不存在');
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const Instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（带时区）' });

export const LEAVE_KINDS = ['personal', 'sick', 'annual'] as const;
export const LEAVE_KIND_LABELS: Record<(typeof LEAVE_KINDS)[number], string> = { personal: '事假', sick: '病假', annual: '公休' };
export const HALVES = ['am', 'pm'] as const;
export const REGISTER_KINDS = ['leader_visit', 'media_report', 'info_report', 'good_deed', 'other_work'] as const;
export const REGISTER_KIND_LABELS: Record<(typeof REGISTER_KINDS)[number], string> = {
  leader_visit: '领导督办',
  media_report: '媒体报道',
  info_report: '信息报送',
  good_deed: '好人好事',
  other_work: '其他工作',
};
export const AWARD_KINDS = ['red_flag', 'star_chief', 'service_model', 'other'] as const;
export const AWARD_KIND_LABELS: Record<(typeof AWARD_KINDS)[number], string> = {
  red_flag: '红旗窗口',
  star_chief: '星级首席',
  service_model: '服务标兵',
  other: '其他表彰',
};

/** Where an assessment item's points come from. */
export const ITEM_SOURCES = [
  'on_time_rate',
  'satisfaction',
  'complaints',
  'attendance',
  'extended_service',
  'ab_gaps',
  'info_reports',
  'good_deeds',
  'manual',
] as const;
export type ItemSource = (typeof ITEM_SOURCES)[number];

/** The code of a block or item of the assessment sheet. */
const SheetKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '编码只能用小写字母、数字和下划线');
export const AssessmentItem = z.object({
  key: SheetKey,
  name: z.string().trim().min(1, '请填写考核项目').max(40),
  points: z.number().positive('分值须大于 0').max(100),
  source: z.enum(ITEM_SOURCES),
});
export const AssessmentBlock = z.object({
  key: SheetKey,
  name: z.string().trim().min(1, '请填写考核大块名称').max(40),
  weight: z.number().positive('权重须大于 0').max(10).default(1),
  items: z.array(AssessmentItem).min(1, '每个大块至少一个考核项目').max(30),
});
export const AssessmentSheet = z
  .object({ blocks: z.array(AssessmentBlock).min(1).max(10) })
  .refine((s) => new Set(s.blocks.flatMap((b) => b.items.map((i) => i.key))).size === s.blocks.flatMap((b) => b.items).length, '考核项目编码不能重复');
export type AssessmentSheet = z.infer<typeof AssessmentSheet>;

/**
 * The default sheet: the three blocks in fourteen points of the Dinghai assessment rules (seed 004:
 * reform business; window management and discipline; information, key work and team building), 100 in all.
 */
export const DEFAULT_SHEET: AssessmentSheet = {
  blocks: [
    {
      key: 'business',
      name: '改革业务',
      weight: 1,
      items: [
        { key: 'efficiency', name: '工作效率（按时办结率）', points: 15, source: 'on_time_rate' },
        { key: 'attitude', name: '服务态度（群众满意度）', points: 15, source: 'satisfaction' },
        { key: 'skill', name: '业务水平', points: 10, source: 'manual' },
        { key: 'one_time_notice', name: '一次性告知与首问负责', points: 5, source: 'manual' },
      ],
    },
    {
      key: 'discipline',
      name: '窗口管理及工作纪律',
      weight: 1,
      items: [
        { key: 'attendance', name: '考勤纪律', points: 15, source: 'attendance' },
        { key: 'backup', name: 'AB角补位', points: 5, source: 'ab_gaps' },
        { key: 'complaints', name: '投诉情况', points: 10, source: 'complaints' },
        { key: 'integrity', name: '廉洁自律', points: 5, source: 'manual' },
        { key: 'image', name: '窗口形象与环境', points: 5, source: 'manual' },
      ],
    },
    {
      key: 'team',
      name: '信息及重点工作和队伍建设',
      weight: 1,
      items: [
        { key: 'extended', name: '延时服务', points: 5, source: 'extended_service' },
        { key: 'info', name: '信息报送', points: 3, source: 'info_reports' },
        { key: 'good_deeds', name: '好人好事', points: 3, source: 'good_deeds' },
        { key: 'key_work', name: '重点工作', points: 2, source: 'manual' },
        { key: 'training', name: '学习培训', points: 2, source: 'manual' },
      ],
    },
  ],
};

/** Hall settings of this capability (`halls.settings.staff`), with the defaults of domain.md. */
export const StaffSettings = z.object({
  /** Minutes after a session starts before a sign-in counts as late (and before its end for leaving early). */
  graceMinutes: z.number().int().min(0).max(60).default(0),
  disciplineBase: z.number().int().min(1).max(1000).default(100),
  latePenalty: z.number().min(0).max(100).default(1),
  missedSignPenalty: z.number().min(0).max(100).default(2),
  offPostPenalty: z.number().min(0).max(100).default(3),
  offPostMinutes: z.number().int().min(1).max(240).default(15),
  halfDayAbsentPenalty: z.number().min(0).max(100).default(5),
  /** Leave longer than this many days, or more than `leaveMonthDays` in a month, needs the stamped approval. */
  leaveDocumentDays: z.number().min(0).max(30).default(1),
  leaveMonthDays: z.number().min(0).max(31).default(3),
  /** Service outside the hours (lunch, after closing) counts as extended when a stretch lasts longer. */
  extendedServiceMinutes: z.number().int().min(1).max(240).default(30),
  /** Visits this close together belong to one stretch of extended service. */
  extendedJoinMinutes: z.number().int().min(0).max(60).default(10),
  /** How often the AB check runs, and how long a window may stand empty before it counts as a gap. */
  abCheckMinutes: z.number().int().min(1).max(60).default(5),
  abGraceMinutes: z.number().int().min(0).max(60).default(5),
  awardCounts: z
    .object({
      redFlag: z.number().int().min(0).max(50).default(5),
      starChief: z.number().int().min(0).max(50).default(5),
      serviceModel: z.number().int().min(0).max(100).default(10),
    })
    .default({ redFlag: 5, starChief: 5, serviceModel: 10 }),
  assessment: AssessmentSheet.default(DEFAULT_SHEET),
});
export type StaffSettings = z.infer<typeof StaffSettings>;

export const SignInInput = z.object({ windowId: Id.optional() });

export const LeaveInput = z.object({
  kind: z.enum(LEAVE_KINDS),
  fromDate: DateText,
  fromHalf: z.enum(HALVES).default('am'),
  toDate: DateText,
  toHalf: z.enum(HALVES).default('pm'),
  reason: z.string().trim().max(500).default(''),
  /** A manager may file leave for a staff member; staff file their own. */
  userId: Id.optional(),
});
export type LeaveInput = z.infer<typeof LeaveInput>;

export const DecisionInput = z.object({ note: z.string().trim().max(500).default('') });

export const GoingOutInput = z.object({
  reason: z.string().trim().min(1, '请填写外出事由').max(200),
  expectedReturnAt: Instant,
  /** Who covers the window meanwhile; the window's B when not given. */
  coveredBy: Id.optional(),
});

export const BackupInput = z.object({ aUserId: Id, bUserId: Id }).refine((b) => b.aUserId !== b.bUserId, { message: 'A角和B角不能是同一人', path: ['bUserId'] });

export const InspectionInput = z.object({
  windowIds: z.array(Id).max(50).optional(),
  findings: z.string().trim().max(2000).default(''),
});

export const RegisterInput = z.object({
  kind: z.enum(REGISTER_KINDS),
  occurredOn: DateText,
  title: z.string().trim().min(1, '请填写标题').max(200),
  body: z.string().trim().max(5000).default(''),
  departmentId: Id.nullable().optional(),
  windowId: Id.nullable().optional(),
  userIds: z.array(Id).max(50).default([]),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const ChiefInput = z.object({ userId: Id });

export const PointsInput = z.object({
  subjectType: z.enum(['window', 'staff']),
  subjectId: Id,
  itemKey: z.string().max(40),
  points: z.number().min(0, '分数不能为负').max(100),
  // The office answers for a manual score: the reason is shown beside it on the sheet.
  note: z.string().trim().min(1, '请填写打分理由').max(500),
});

export const AwardInput = z.object({
  kind: z.enum(AWARD_KINDS),
  /** Proposed subjects to confirm (department ids for 红旗窗口, user ids otherwise). */
  subjectIds: z.array(Id).max(100).default([]),
  /** For `other`: a free honour, e.g. 省级巾帼文明岗. */
  name: z.string().trim().max(100).optional(),
  title: z.string().trim().max(200).default(''),
});

export const MonthQuery = z.object({ month: Month });
