import { z } from 'zod';
import { isLandlinePhone, isMobilePhone } from '../shared/identity.js';
import { APPEAL_LEVELS, APPEAL_TYPES } from './appeal-states.js';
import { DEFAULT_RANKING_WEIGHTS, RANKING_FACTORS, type RankingFactor } from './appeal-ranking.js';
import { DISPOSITIONS } from './cannot-get-done.js';

// Shared by the server (validation, OpenAPI) and the web app (forms): no server imports here.

// ---------------------------------------------------------------------------------------------------------
// Ratings (好差评)

/** The five grades of 国办发〔2019〕51号, best first. Stored as labels; the number is kept beside. */
export const GRADES = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'] as const;
export const Grade = z.enum(GRADES, { message: '评价等级只能是非常满意、满意、基本满意、不满意、非常不满意' });
export type Grade = z.infer<typeof Grade>;
export const GRADE_LABELS: Record<Grade, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basic: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};
export const GRADE_SCORES: Record<Grade, number> = { very_satisfied: 5, satisfied: 4, basic: 3, dissatisfied: 2, very_dissatisfied: 1 };
/** 不满意 and 非常不满意 are bad reviews (差评): each opens a follow-up. */
export const isBadGrade = (grade: Grade): boolean => grade === 'dissatisfied' || grade === 'very_dissatisfied';
/** 非常满意 and 满意 count as satisfied in the satisfaction rate. */
export const isGoodGrade = (grade: Grade): boolean => grade === 'very_satisfied' || grade === 'satisfied';

export const RATING_CHANNELS = ['pad', 'qr', 'sms', 'online', 'form'] as const;
export const RatingChannel = z.enum(RATING_CHANNELS);
export type RatingChannel = z.infer<typeof RatingChannel>;
export const RATING_CHANNEL_LABELS: Record<RatingChannel, string> = {
  pad: '窗口评价器',
  qr: '扫码评价',
  sms: '短信评价',
  online: '网上评价',
  form: '书面评价表',
};

/** Criteria of the national rules: on site (一次一评) and online (一事一评). */
export const OFFLINE_CRITERIA = ['overall', 'efficiency', 'skill', 'attitude'] as const;
export const ONLINE_CRITERIA = ['overall', 'efficiency', 'guideAccuracy', 'convenience', 'easeOfUse'] as const;
export const CRITERIA = ['overall', 'efficiency', 'skill', 'attitude', 'guideAccuracy', 'convenience', 'easeOfUse'] as const;
export type Criterion = (typeof CRITERIA)[number];
export const CRITERION_LABELS: Record<Criterion, string> = {
  overall: '总体评价',
  efficiency: '办事效率',
  skill: '业务能力',
  attitude: '服务态度',
  guideAccuracy: '办事指南准确',
  convenience: '办事便捷',
  easeOfUse: '平台易用',
};
const Score = z.number().int().min(1, '分项评分为 1-5 分').max(5, '分项评分为 1-5 分');
export const Criteria = z.object(Object.fromEntries(CRITERIA.map((c) => [c, Score.optional()])) as Record<Criterion, z.ZodOptional<typeof Score>>).strict();
export type Criteria = z.infer<typeof Criteria>;

/** Reasons a rater may tick: praise for a good grade, problems for the others. */
export const GOOD_TAGS = ['friendly', 'fast', 'professional', 'one_trip', 'clear_guidance'] as const;
export const BAD_TAGS = ['attitude', 'slow', 'unskilled', 'repeat_trips', 'long_wait', 'guide_inaccurate', 'no_reason_given', 'other'] as const;
export const REASON_TAGS = [...GOOD_TAGS, ...BAD_TAGS] as const;
export const ReasonTag = z.enum(REASON_TAGS, { message: '评价原因不正确' });
export type ReasonTag = z.infer<typeof ReasonTag>;
export const REASON_TAG_LABELS: Record<ReasonTag, string> = {
  friendly: '热情周到',
  fast: '办事快',
  professional: '业务熟练',
  one_trip: '一次办成',
  clear_guidance: '告知清楚',
  attitude: '态度不好',
  slow: '效率低',
  unskilled: '业务不熟',
  repeat_trips: '来回跑',
  long_wait: '等候太久',
  guide_inaccurate: '指南不准确',
  no_reason_given: '退件未说明理由',
  other: '其他',
};

export const Phone = z
  .string()
  .trim()
  .refine((p) => isMobilePhone(p) || isLandlinePhone(p), '电话号码格式不正确（手机 11 位，或带区号的固定电话）');
const MobilePhone = z.string().trim().refine(isMobilePhone, '手机号码应为 11 位，以 13-19 开头');
const Comment = z.string().trim().max(500, '评价内容不超过 500 字');
const Text = (label: string, max = 2000) => z.string().trim().min(1, `请填写${label}`).max(max, `${label}不超过 ${max} 字`);
const Uuid = (what: string) => z.uuid({ message: `${what}格式不正确` });
const CaseNumber = z.string().trim().min(4, '受理编号格式不正确').max(64, '受理编号格式不正确');
const ServiceCode = z.string().trim().min(1).max(64);
const Tags = z.array(ReasonTag).max(8).refine((t) => new Set(t).size === t.length, '评价原因不能重复').default([]);

/**
 * A rating from the public: the service is named by `ticketId`, `caseNumber` (一次一评) or `serviceCode`
 * (rating an item online, 一事一评), or by the signed `token` of an SMS link alone. The window pad sends its
 * `padToken` with the ticket.
 */
export const RatingInput = z
  .object({
    ticketId: Uuid('号票编号').optional(),
    caseNumber: CaseNumber.optional(),
    serviceCode: ServiceCode.optional(),
    token: z.string().trim().min(10).max(400).optional(),
    padToken: z.string().trim().min(10).max(400).optional(),
    grade: Grade,
    tags: Tags,
    comment: Comment.default(''),
    criteria: Criteria.default({}),
    raterPhone: MobilePhone.optional(),
  })
  .refine((r) => {
    const named = [r.ticketId, r.caseNumber, r.serviceCode].filter(Boolean).length;
    return named === 1 || (named === 0 && Boolean(r.token));
  }, {
    message: '请指明评价的号票、办件或事项（只能一项）',
    path: ['ticketId'],
  })
  .refine((r) => !r.padToken || r.ticketId, { message: '窗口评价器须同时提交号票', path: ['padToken'] });
export type RatingInput = z.input<typeof RatingInput>;

export const RatingCreated = z.object({
  id: z.string(),
  grade: Grade,
  /** Lets this rater change the rating until `editableUntil`; shown once. */
  editKey: z.string(),
  editableUntil: z.string(),
});

export const RatingEdit = z.object({
  editKey: z.string().min(10).max(200),
  grade: Grade.optional(),
  tags: z.array(ReasonTag).max(8).optional(),
  comment: Comment.optional(),
});

/** A paper rating form (书面评价表) entered by the supervision office, with the date the rater wrote. */
export const RatingFormInput = z
  .object({
    ticketId: Uuid('号票编号').optional(),
    caseNumber: CaseNumber.optional(),
    grade: Grade,
    ratedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
    tags: Tags,
    comment: Comment.default(''),
    raterPhone: MobilePhone.optional(),
  })
  .refine((r) => (r.ticketId ? 1 : 0) + (r.caseNumber ? 1 : 0) === 1, { message: '请填写号票或受理编号（只能一项）', path: ['ticketId'] });

export const SubjectQuery = z
  .object({
    ticket: Uuid('号票编号').optional(),
    case: CaseNumber.optional(),
    service: ServiceCode.optional(),
    token: z.string().max(400).optional(),
    hall: z.string().max(16).optional(),
  })
  .refine((q) => q.ticket || q.case || q.service || q.token, { message: '请指明评价的号票、办件或事项', path: ['ticket'] });

export const InvitationInput = z
  .object({ ticketId: Uuid('号票编号').optional(), caseNumber: CaseNumber.optional(), phone: MobilePhone.optional() })
  .refine((r) => (r.ticketId ? 1 : 0) + (r.caseNumber ? 1 : 0) === 1, { message: '请填写号票或受理编号（只能一项）', path: ['caseNumber'] });

export const DisputeInput = z.object({ reason: Text('申诉理由', 1000) });
export const DisputeDecision = z.object({ decision: z.enum(['upheld', 'rejected']), note: Text('复核意见', 1000) });

// ---------------------------------------------------------------------------------------------------------
// Follow-ups (差评回访整改)

export const RATER_RESPONSES = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'] as const;
export const RaterResponse = z.enum(RATER_RESPONSES, { message: '请选择评价人对处理结果的意见' });
export type RaterResponse = z.infer<typeof RaterResponse>;
export const RATER_RESPONSE_LABELS: Record<RaterResponse, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  unreachable: '多次联系未接通',
};

export const FollowupActionInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('verify_valid'), note: Text('核实情况') }),
  z.object({ action: z.literal('propose_invalid'), note: Text('无效理由') }),
  z.object({ action: z.literal('approve_invalid'), note: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal('reject_invalid'), note: Text('驳回理由') }),
  z.object({ action: z.literal('complete_rectification'), rectification: Text('整改情况') }),
  z.object({ action: z.literal('request_extension'), days: z.number().int().min(1, '延期至少 1 个工作日').max(30), reason: Text('延期理由') }),
  z.object({ action: z.literal('approve_extension'), note: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal('reject_extension'), note: Text('驳回理由') }),
  z.object({ action: z.literal('propose_cannot_rectify'), note: Text('无法整改的理由') }),
  z.object({ action: z.literal('approve_cannot_rectify'), note: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal('reject_cannot_rectify'), note: Text('驳回理由') }),
  // Closing records what the rater and the department were told and the rater's response (回访结果).
  z.object({ action: z.literal('close'), answer: Text('答复内容'), raterResponse: RaterResponse, note: z.string().trim().max(1000).optional() }),
]);
export type FollowupActionInput = z.infer<typeof FollowupActionInput>;

// ---------------------------------------------------------------------------------------------------------
// Complaints (投诉, 办不成事)

export const ComplaintKind = z.enum(['complaint', 'cannot_get_done']);
export type ComplaintKind = z.infer<typeof ComplaintKind>;
export const COMPLAINT_KIND_LABELS: Record<ComplaintKind, string> = { complaint: '投诉', cannot_get_done: '办不成事' };
export const ComplaintChannel = z.enum(['on_site', 'phone', 'letter', 'online']);
export type ComplaintChannel = z.infer<typeof ComplaintChannel>;
export const COMPLAINT_CHANNEL_LABELS: Record<ComplaintChannel, string> = { on_site: '现场', phone: '电话', letter: '书面', online: '网上' };
export const ComplaintComplexity = z.enum(['simple', 'complex', 'multi_unit']);
export type ComplaintComplexity = z.infer<typeof ComplaintComplexity>;
export const COMPLEXITY_LABELS: Record<ComplaintComplexity, string> = { simple: '简单', complex: '复杂', multi_unit: '涉及多个单位' };
export const Finding = z.enum(['substantiated', 'partly', 'unsubstantiated']);
export type Finding = z.infer<typeof Finding>;
export const FINDING_LABELS: Record<Finding, string> = { substantiated: '属实', partly: '部分属实', unsubstantiated: '不属实' };

export const ComplaintInput = z.object({
  kind: ComplaintKind.default('complaint'),
  channel: ComplaintChannel,
  complexity: ComplaintComplexity.default('simple'),
  complainantName: Text('投诉人姓名', 40),
  complainantPhone: Phone.optional(),
  content: Text('投诉内容'),
  windowId: Uuid('窗口').optional(),
  staffId: Uuid('工作人员').optional(),
  departmentId: Uuid('部门').optional(),
});
/** Online complaints from the public: a phone is needed to return the outcome. */
export const PublicComplaintInput = z.object({
  kind: ComplaintKind.default('complaint'),
  complainantName: Text('姓名', 40),
  complainantPhone: MobilePhone,
  content: Text('投诉内容'),
  windowNumber: z.number().int().min(1).max(999).optional(),
});
export const ComplaintAnswer = z.object({
  outcome: Text('处理结果'),
  finding: Finding,
  findingWindowId: Uuid('窗口').optional(),
  findingStaffId: Uuid('工作人员').optional(),
  /** 办不成事 only: solved or transferred (a matter found impossible keeps that disposition). */
  disposition: z.enum(DISPOSITIONS, { message: '办理结果只能是已办成、确属办不成或已转办' }).optional(),
  transferredTo: Text('转办单位', 100).optional(),
});
/** A 办不成事 matter found truly impossible: why, and the rule that stands in the way. */
export const ImpossibleFinding = z.object({
  reason: Text('不能办理的理由'),
  legalBasis: Text('法律政策依据', 500),
});
export const MonthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM') });

// ---------------------------------------------------------------------------------------------------------
// Petitions (信访) and the suggestion box / comment book

export const PetitionChannel = z.enum(['visit', 'letter', 'phone']);
export type PetitionChannel = z.infer<typeof PetitionChannel>;
export const PETITION_CHANNEL_LABELS: Record<PetitionChannel, string> = { visit: '来访', letter: '来信', phone: '来电' };
export const PetitionInput = z.object({
  channel: PetitionChannel.default('visit'),
  name: Text('姓名', 40),
  sex: z.enum(['male', 'female'], { message: '请选择性别' }),
  age: z.number().int().min(1).max(130).optional(),
  occupation: z.string().trim().max(60).default(''),
  address: z.string().trim().max(200).default(''),
  phone: Phone.optional(),
  issue: Text('反映问题'),
  visitors: z.number().int().min(1, '来访人数至少 1 人').max(10_000).default(1),
});
export const PetitionAnswer = z.object({ answer: Text('答复内容'), onTheSpot: z.boolean().default(false) });
export const ReceptionInput = z.object({
  leaderId: Uuid('接访领导'),
  scheduledAt: z.iso.datetime({ offset: true, message: '接访时间格式不正确' }),
  place: z.string().trim().max(100).default(''),
});
export const ReceptionUpdate = z.object({ status: z.enum(['held', 'cancelled']), notes: z.string().trim().max(2000).optional() });

export const SuggestionSource = z.enum(['box', 'book', 'online']);
export type SuggestionSource = z.infer<typeof SuggestionSource>;
export const SUGGESTION_SOURCE_LABELS: Record<SuggestionSource, string> = { box: '意见箱', book: '意见簿', online: '网上' };
export const OpeningInput = z.object({
  source: z.enum(['box', 'book']),
  openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  found: z.number().int().min(0).max(1000),
});
export const SuggestionInput = z.object({
  source: SuggestionSource,
  receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  content: Text('意见内容'),
  contactName: z.string().trim().max(40).optional(),
  contactPhone: Phone.optional(),
  departmentId: Uuid('部门').optional(),
});
export const SuggestionAnswer = z.object({ answer: Text('答复内容'), needsFix: z.boolean() });
export const SuggestionFix = z.object({ fixNote: Text('整改情况') });

// ---------------------------------------------------------------------------------------------------------
// Appeals (诉求, 12345) and their categories (Open311 services)

export const AppealType = z.enum(APPEAL_TYPES, { message: '诉求类型只能是咨询、求助、投诉、举报、建议' });
export const AppealLevel = z.enum(APPEAL_LEVELS, { message: '层级只能是网格、社区、街道、区县' });
export const AppealSource = z.enum(['hotline', 'web', 'walk_in', 'grid', 'open311']);
export type AppealSource = z.infer<typeof AppealSource>;
export const APPEAL_SOURCE_LABELS: Record<AppealSource, string> = { hotline: '12345 热线', web: '网站', walk_in: '来访', grid: '网格员上报', open311: '开放接口' };
export const SATISFACTIONS = [...GRADES, 'unreachable'] as const;
export const Satisfaction = z.enum(SATISFACTIONS, { message: '回访结果不正确' });
export type Satisfaction = z.infer<typeof Satisfaction>;

/** An Open311 service definition attribute (GeoReport v2 field names, camel-cased). */
export const CategoryAttribute = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '属性编码只能包含字母、数字、下划线和连字符'),
  variable: z.boolean().default(true),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean().default(false),
  datatypeDescription: z.string().max(200).nullable().default(null),
  order: z.number().int().min(1),
  description: z.string().min(1).max(500),
  values: z.array(z.object({ key: z.string().min(1).max(64), name: z.string().min(1).max(100) })).default([]),
});
export type CategoryAttribute = z.infer<typeof CategoryAttribute>;

export const CategoryInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, '分类编码为 1-32 位字母、数字、下划线或连字符'),
  name: Text('分类名称', 60),
  description: z.string().trim().max(500).default(''),
  type: AppealType,
  departmentId: Uuid('承办部门').nullable().default(null),
  level: AppealLevel.default('district'),
  groupName: z.string().trim().max(60).default(''),
  keywords: z.string().trim().max(200).default(''),
  attributes: z.array(CategoryAttribute).max(20).default([]),
  open311Type: z.enum(['realtime', 'batch']).default('realtime'),
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
});

/** A 12345-style appeal from the portal, without an account: the mobile is how it is queried and answered. */
export const PublicAppealInput = z.object({
  type: AppealType,
  content: Text('诉求内容', 4000),
  appellantName: Text('姓名', 40),
  appellantPhone: MobilePhone,
  address: z.string().trim().max(200).optional(),
});
export const PublicAppealQuery = z.object({
  hall: z.string().max(16).optional(),
  phoneLast4: z.string().regex(/^\d{4}$/, '请输入手机号码后四位'),
});

export const AppealInput = z.object({
  type: AppealType.optional(),
  categoryCode: z.string().trim().max(32).optional(),
  source: AppealSource.exclude(['open311']).default('hotline'),
  content: Text('诉求内容', 4000),
  appellantName: z.string().trim().max(40).optional(),
  appellantPhone: Phone.optional(),
  address: z.string().trim().max(200).optional(),
  /** Dispatch at once to this unit at this level; without it the appeal waits at the desk. */
  departmentId: Uuid('承办单位').optional(),
  level: AppealLevel.optional(),
}).refine((a) => a.type || a.categoryCode, { message: '请选择诉求类型或分类', path: ['type'] });

export const AppealActionInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('dispatch'), departmentId: Uuid('承办单位'), level: AppealLevel.optional(), note: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal('sign') }),
  z.object({ action: z.literal('return'), reason: Text('退回理由', 1000) }),
  z.object({ action: z.literal('escalate'), reason: Text('上报理由', 1000), departmentId: Uuid('上一级承办单位').optional() }),
  z.object({ action: z.literal('request_extension'), days: z.number().int().min(1).max(30), reason: Text('延期理由', 1000) }),
  z.object({ action: z.literal('approve_extension'), note: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal('reject_extension'), reason: Text('驳回理由', 1000) }),
  z.object({ action: z.literal('answer'), answer: Text('答复内容', 4000) }),
  z.object({ action: z.literal('revisit'), satisfaction: Satisfaction, note: z.string().trim().max(1000).optional() }),
]);
export type AppealActionInput = z.infer<typeof AppealActionInput>;

export const Open311KeyInput = z.object({ name: Text('使用单位', 60) });

// ---------------------------------------------------------------------------------------------------------
// Hall settings (halls.settings.feedback), every limit in working days unless named otherwise

const Days = (max = 60) => z.number().int().min(0).max(max);
export const FeedbackSettings = z.object({
  rating: z
    .object({
      /** Minutes a rater may still change a rating (with the edit key given at rating). */
      editMinutes: z.number().int().min(0).max(7 * 24 * 60).default(24 * 60),
      /** Natural days after the service during which it can be rated; the SMS link lives as long. */
      windowDays: z.number().int().min(1).max(90).default(30),
      /** Minutes after completion the window pad keeps offering a ticket for rating. */
      padMinutes: z.number().int().min(1).max(120).default(15),
      /** Guangdong rule: a service not rated within `unratedBasicDays` natural days counts as 基本满意. */
      unratedCountsBasic: z.boolean().default(false),
      unratedBasicDays: z.number().int().min(1).max(30).default(7),
      /** A case may be rated only through its signed link (SMS or the QR code of its notice). */
      caseTokenRequired: z.boolean().default(false),
      /** The QR code is printed on every ticket: every ticket counts as offered a rating channel. */
      qrOnTickets: z.boolean().default(false),
      /** The case's result notice (办结通知书) carries its signed rating QR code. */
      qrOnNotices: z.boolean().default(true),
      /** Working days within which a paper rating form must be entered to count as timely data. */
      formEntryDays: Days(10).default(1),
    })
    .prefault({}),
  followup: z
    .object({
      verifyDays: Days().default(1),
      rectifyDays: Days().default(5),
      answerDays: Days().default(1),
      /** Working days after a bad review within which the rated staff may file a 申诉复核. */
      disputeDays: Days().default(5),
    })
    .prefault({}),
  complaint: z
    .object({
      simpleDays: Days().default(1),
      complexDays: Days().default(5),
      cannotGetDoneSimpleDays: Days().default(5),
      cannotGetDoneComplexDays: Days().default(10),
      /** Working days to answer the person once a 办不成事 matter is found truly impossible. */
      impossibleReplyDays: Days().default(3),
    })
    .prefault({}),
  petition: z
    .object({
      answerDays: Days().default(3),
      /** Natural days within which a leader receives the petitioner. */
      receptionWithinDays: z.number().int().min(1).max(60).default(7),
      groupThreshold: z.number().int().min(2).max(1000).default(5),
    })
    .prefault({}),
  suggestion: z.object({ answerDays: Days().default(3), fixDays: Days().default(7) }).prefault({}),
  appeal: z
    .object({
      limits: z
        .object({ consultation: Days().default(2), help: Days().default(10), complaint: Days().default(15), report: Days().default(15), suggestion: Days().default(10) })
        .prefault({}),
      signDays: Days(10).default(1),
      levelDays: z.object({ grid: Days().default(1), community: Days().default(2), street: Days().default(3), district: Days().default(5) }).prefault({}),
      /** 红黑榜: the weights of each factor (appeal-ranking.ts; local, not national), the lists' length, and the least volume ranked. */
      ranking: z
        .object({
          weights: z.object(Object.fromEntries(RANKING_FACTORS.map((f) => [f, z.number().int().min(0).max(100).default(DEFAULT_RANKING_WEIGHTS[f])])) as Record<RankingFactor, z.ZodDefault<z.ZodNumber>>).prefault({}),
          listSize: z.number().int().min(1).max(20).default(5),
          minDispatched: z.number().int().min(1).max(1000).default(1),
        })
        .prefault({}),
    })
    .prefault({}),
});
export type FeedbackSettings = z.infer<typeof FeedbackSettings>;

export const RankingQuery = MonthQuery.extend({ format: z.enum(['json', 'xlsx']).default('json') });

export const IndicatorsQuery = MonthQuery.extend({
  by: z.enum(['window', 'department']).default('window'),
});

/** One group's (a window's or a department's) rating indicators for a month; see indicators.ts. */
export interface IndicatorRow {
  /** Window or department id; null for services without one (items rated online, 综合受理 without a department). */
  key: string | null;
  name: string;
  served: number;
  offered: number;
  rated: number;
  coverage: number | null;
  ratingRate: number | null;
  /** Ratings counted in satisfaction: real ones not excluded, plus unrated services counted as 基本满意. */
  counted: number;
  satisfied: number;
  satisfaction: number | null;
  meanScore: number | null;
  defaultedBasic: number;
  excluded: number;
  badReviews: number;
  badHandledInTime: number;
  badHandledLate: number;
  badOpen: number;
  badHandledRate: number | null;
  timely: number;
  ratings: number;
  timeliness: number | null;
  complaintsSubstantiated: number;
}
