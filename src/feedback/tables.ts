import { bigserial, boolean, date, doublePrecision, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Disposition } from './cannot-get-done.js';
import type { AppealAction, AppealLevel, AppealStatus, AppealType } from './appeal-states.js';
import type { FollowupStage, FollowupStatus } from './followup-states.js';
import type {
  AppealSource,
  CategoryAttribute,
  ComplaintChannel,
  ComplaintComplexity,
  ComplaintKind,
  Criteria,
  Finding,
  Grade,
  PetitionChannel,
  RaterResponse,
  RatingChannel,
  Satisfaction,
  SuggestionSource,
} from './schemas.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const feedbackSecrets = pgTable('feedback_secrets', {
  hallId: uuid('hall_id').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const feedbackCounters = pgTable(
  'feedback_counters',
  {
    hallId: uuid('hall_id').notNull(),
    scope: text('scope').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.scope, t.localDate] })],
);

export const ratings = pgTable('ratings', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  subject: text('subject').$type<'ticket' | 'case' | 'service'>().notNull(),
  ticketId: uuid('ticket_id'),
  caseId: uuid('case_id'),
  caseNumber: text('case_number'),
  serviceId: uuid('service_id'),
  departmentId: uuid('department_id'),
  windowId: uuid('window_id'),
  staffId: uuid('staff_id'),
  grade: text('grade').$type<Grade>().notNull(),
  score: smallint('score').notNull(),
  criteria: jsonb('criteria').$type<Criteria>().notNull().default({}),
  tags: text('tags').array().notNull().default([]),
  comment: text('comment').notNull().default(''),
  channel: text('channel').$type<RatingChannel>().notNull(),
  /** Clear, in rows older than migration 0014 until the retention run seals them. */
  raterPhone: text('rater_phone'),
  raterPhoneEnc: text('rater_phone_enc'),
  servedAt: at('served_at'),
  ratedAt: at('rated_at').notNull(),
  recordedAt: at('recorded_at').notNull(),
  timely: boolean('timely').notNull().default(true),
  tokenNonce: text('token_nonce'),
  editKeyHash: text('edit_key_hash'),
  editableUntil: at('editable_until'),
  updatedAt: at('updated_at'),
  excluded: boolean('excluded').notNull().default(false),
});
export type RatingRow = typeof ratings.$inferSelect;

export const ratingInvitations = pgTable('rating_invitations', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  ticketId: uuid('ticket_id'),
  caseId: uuid('case_id'),
  channel: text('channel').$type<'pad' | 'sms' | 'qr'>().notNull(),
  at: at('at').notNull(),
});

export const followups = pgTable('followups', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  ratingId: uuid('rating_id').notNull(),
  status: text('status').$type<FollowupStatus>().notNull(),
  stage: text('stage').$type<FollowupStage>().notNull(),
  deadlineAt: at('deadline_at').notNull(),
  verification: text('verification').$type<'valid' | 'invalid'>(),
  verificationNote: text('verification_note'),
  rectification: text('rectification'),
  answer: text('answer'),
  raterResponse: text('rater_response').$type<RaterResponse>(),
  extensionDays: integer('extension_days'),
  extensionStatus: text('extension_status').$type<'pending' | 'approved' | 'rejected'>(),
  extensionReason: text('extension_reason'),
  overdueAt: at('overdue_at'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  closedAt: at('closed_at'),
});
export type FollowupRow = typeof followups.$inferSelect;

export const followupActions = pgTable('followup_actions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  followupId: uuid('followup_id').notNull(),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  note: text('note'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  at: at('at').notNull(),
});

export const ratingDisputes = pgTable('rating_disputes', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  ratingId: uuid('rating_id').notNull(),
  filedBy: uuid('filed_by').notNull(),
  filedByName: text('filed_by_name').notNull(),
  reason: text('reason').notNull(),
  status: text('status').$type<'pending' | 'upheld' | 'rejected'>().notNull(),
  decidedBy: uuid('decided_by'),
  decidedByName: text('decided_by_name'),
  decisionNote: text('decision_note'),
  filedAt: at('filed_at').notNull(),
  decidedAt: at('decided_at'),
});

export const complaints = pgTable('complaints', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  number: text('number').notNull(),
  kind: text('kind').$type<ComplaintKind>().notNull(),
  channel: text('channel').$type<ComplaintChannel>().notNull(),
  complexity: text('complexity').$type<ComplaintComplexity>().notNull(),
  complainantName: text('complainant_name').notNull(),
  /** Clear, in rows older than migration 0014 until the retention run seals them. */
  complainantPhone: text('complainant_phone'),
  complainantPhoneEnc: text('complainant_phone_enc'),
  content: text('content').notNull(),
  windowId: uuid('window_id'),
  staffId: uuid('staff_id'),
  departmentId: uuid('department_id'),
  status: text('status').$type<'open' | 'answered'>().notNull(),
  receivedAt: at('received_at').notNull(),
  dueAt: at('due_at').notNull(),
  escalatedAt: at('escalated_at'),
  outcome: text('outcome'),
  finding: text('finding').$type<Finding>(),
  findingWindowId: uuid('finding_window_id'),
  findingStaffId: uuid('finding_staff_id'),
  answeredAt: at('answered_at'),
  answeredByName: text('answered_by_name'),
  createdByName: text('created_by_name').notNull(),
  disposition: text('disposition').$type<Disposition>(),
  impossibleReason: text('impossible_reason'),
  legalBasis: text('legal_basis'),
  foundImpossibleAt: at('found_impossible_at'),
  foundByName: text('found_by_name'),
  replyDueAt: at('reply_due_at'),
  replyRemindedAt: at('reply_reminded_at'),
  transferredTo: text('transferred_to'),
});
export type ComplaintRow = typeof complaints.$inferSelect;

export const petitions = pgTable('petitions', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  number: text('number').notNull(),
  channel: text('channel').$type<PetitionChannel>().notNull(),
  registeredAt: at('registered_at').notNull(),
  name: text('name').notNull(),
  sex: text('sex').$type<'male' | 'female'>().notNull(),
  age: integer('age'),
  occupation: text('occupation').notNull().default(''),
  address: text('address').notNull().default(''),
  /** Clear, in rows older than migration 0014 until the retention run seals them. */
  phone: text('phone'),
  phoneEnc: text('phone_enc'),
  issue: text('issue').notNull(),
  visitors: integer('visitors').notNull().default(1),
  groupVisit: boolean('group_visit').notNull(),
  status: text('status').$type<'open' | 'answered'>().notNull(),
  dueAt: at('due_at').notNull(),
  answer: text('answer'),
  onTheSpot: boolean('on_the_spot').notNull().default(false),
  answeredAt: at('answered_at'),
  overdueAt: at('overdue_at'),
  createdByName: text('created_by_name').notNull(),
});
export type PetitionRow = typeof petitions.$inferSelect;

export const petitionReceptions = pgTable('petition_receptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  petitionId: uuid('petition_id').notNull(),
  leaderId: uuid('leader_id').notNull(),
  leaderName: text('leader_name').notNull(),
  scheduledAt: at('scheduled_at').notNull(),
  place: text('place').notNull().default(''),
  status: text('status').$type<'scheduled' | 'held' | 'cancelled'>().notNull(),
  notes: text('notes'),
  createdAt: at('created_at').notNull(),
});

export const suggestionOpenings = pgTable('suggestion_openings', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  source: text('source').$type<'box' | 'book'>().notNull(),
  openedOn: date('opened_on', { mode: 'string' }).notNull(),
  found: integer('found').notNull(),
  openedByName: text('opened_by_name').notNull(),
  openedAt: at('opened_at').notNull(),
});

export const suggestions = pgTable('suggestions', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  number: text('number').notNull(),
  source: text('source').$type<SuggestionSource>().notNull(),
  receivedOn: date('received_on', { mode: 'string' }).notNull(),
  content: text('content').notNull(),
  contactName: text('contact_name'),
  /** Clear, in rows older than migration 0014 until the retention run seals them. */
  contactPhone: text('contact_phone'),
  contactPhoneEnc: text('contact_phone_enc'),
  departmentId: uuid('department_id'),
  status: text('status').$type<'open' | 'answered' | 'fixed' | 'closed'>().notNull(),
  answerDueAt: at('answer_due_at').notNull(),
  fixDueAt: at('fix_due_at').notNull(),
  answer: text('answer'),
  answeredAt: at('answered_at'),
  fixNote: text('fix_note'),
  fixedAt: at('fixed_at'),
  createdByName: text('created_by_name').notNull(),
  createdAt: at('created_at').notNull(),
});
export type SuggestionRow = typeof suggestions.$inferSelect;

export const appealCategories = pgTable('appeal_categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  type: text('type').$type<AppealType>().notNull(),
  departmentId: uuid('department_id'),
  level: text('level').$type<AppealLevel>().notNull().default('district'),
  groupName: text('group_name').notNull().default(''),
  keywords: text('keywords').notNull().default(''),
  attributes: jsonb('attributes').$type<CategoryAttribute[]>().notNull().default([]),
  open311Type: text('open311_type').$type<'realtime' | 'batch'>().notNull().default('realtime'),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
});
export type AppealCategoryRow = typeof appealCategories.$inferSelect;

export const appeals = pgTable('appeals', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  number: text('number').notNull(),
  type: text('type').$type<AppealType>().notNull(),
  categoryId: uuid('category_id'),
  source: text('source').$type<AppealSource>().notNull(),
  content: text('content').notNull(),
  appellantName: text('appellant_name'),
  /** Clear, in rows older than migration 0014 until the retention run seals them. */
  appellantPhone: text('appellant_phone'),
  appellantPhoneEnc: text('appellant_phone_enc'),
  email: text('email'),
  accountId: text('account_id'),
  address: text('address'),
  addressId: text('address_id'),
  zipcode: text('zipcode'),
  lat: doublePrecision('lat'),
  long: doublePrecision('long'),
  mediaUrl: text('media_url'),
  attributes: jsonb('attributes').$type<Record<string, string | string[]>>().notNull().default({}),
  status: text('status').$type<AppealStatus>().notNull(),
  level: text('level').$type<AppealLevel>().notNull(),
  departmentId: uuid('department_id'),
  receivedAt: at('received_at').notNull(),
  deadlineAt: at('deadline_at'),
  signDeadlineAt: at('sign_deadline_at'),
  levelDeadlineAt: at('level_deadline_at'),
  signedAt: at('signed_at'),
  answeredAt: at('answered_at'),
  answer: text('answer'),
  closedAt: at('closed_at'),
  satisfaction: text('satisfaction').$type<Satisfaction>(),
  extended: boolean('extended').notNull().default(false),
  extensionDays: integer('extension_days'),
  overdueAt: at('overdue_at'),
  open311Token: text('open311_token'),
  version: integer('version').notNull(),
  updatedAt: at('updated_at').notNull(),
});
export type AppealRow = typeof appeals.$inferSelect;

export const appealActions = pgTable('appeal_actions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  appealId: uuid('appeal_id').notNull(),
  seq: integer('seq').notNull(),
  action: text('action').$type<AppealAction>().notNull(),
  statusAfter: text('status_after').$type<AppealStatus>().notNull(),
  level: text('level').$type<AppealLevel>().notNull(),
  departmentId: uuid('department_id'),
  deadlineAt: at('deadline_at'),
  reason: text('reason'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  at: at('at').notNull(),
});
export type AppealActionRow = typeof appealActions.$inferSelect;

export const open311Keys = pgTable('open311_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull(),
  keyPrefix: text('key_prefix').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: at('created_at').notNull(),
});
