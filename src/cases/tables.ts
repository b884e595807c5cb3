import { bigserial, boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Light } from '../calendar/lights.js';
import type { AcceptedKind, CaseKind, CaseStatus, LogAction } from './states.js';
import type { Agent, CaseMaterial, Correction, DeliveryMethod, Escalation, MaterialRef, NoticeType } from './schemas.js';

/** What `cases.agent` holds: the numbers live sealed in `agent_enc` (clear only in rows older than 0014). */
export type StoredAgent = Pick<Agent, 'name' | 'authorization'> & Partial<Pick<Agent, 'idNumber' | 'phone'>>;

export const caseCounters = pgTable(
  'case_counters',
  {
    hallId: uuid('hall_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.localDate] })],
);

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  caseNumber: text('case_number').notNull(),
  serviceId: uuid('service_id').notNull(),
  serviceName: text('service_name').notNull(),
  guideVersion: integer('guide_version'),
  departmentId: uuid('department_id').notNull(),
  windowId: uuid('window_id'),
  ticketId: uuid('ticket_id'),
  handlerId: uuid('handler_id'),
  kind: text('kind').$type<CaseKind>().notNull(),
  acceptedKind: text('accepted_kind').$type<AcceptedKind>().notNull(),
  status: text('status').$type<CaseStatus>().notNull(),
  applicantType: text('applicant_type').$type<'person' | 'company'>().notNull(),
  applicantName: text('applicant_name').notNull(),
  /** Clear columns of rows written before migration 0014, until the retention run seals them. */
  applicantIdNumber: text('applicant_id_number'),
  applicantPhone: text('applicant_phone'),
  applicantIdNumberEnc: text('applicant_id_number_enc'),
  applicantPhoneEnc: text('applicant_phone_enc'),
  applicantContact: text('applicant_contact'),
  /** The agent's name and authorisation; older rows also carry the numbers in clear until sealed. */
  agent: jsonb('agent').$type<StoredAgent | null>(),
  /** The agent's {idNumber, phone}, sealed as JSON. */
  agentEnc: text('agent_enc'),
  queryPassword: text('query_password'),
  materials: jsonb('materials').$type<CaseMaterial[]>().notNull().default([]),
  missingMaterials: jsonb('missing_materials').$type<MaterialRef[]>().notNull().default([]),
  corrections: jsonb('corrections').$type<Correction[]>().notNull().default([]),
  limitDays: integer('limit_days').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  deadlineAt: timestamp('deadline_at', { withTimezone: true }),
  deadlineDate: date('deadline_date', { mode: 'string' }),
  light: text('light').$type<Light>(),
  nextLightChangeAt: timestamp('next_light_change_at', { withTimezone: true }),
  lightTimerKey: text('light_timer_key'),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  decisionReason: text('decision_reason'),
  competentAuthority: text('competent_authority'),
  escalation: jsonb('escalation').$type<Escalation | null>(),
  result: text('result'),
  deliveryMethod: text('delivery_method').$type<DeliveryMethod>().notNull().default('pickup'),
  deliveryAddress: text('delivery_address'),
  pickupAt: timestamp('pickup_at', { withTimezone: true }),
  trackingNumber: text('tracking_number'),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
  idempotencyKey: text('idempotency_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  anonymisedAt: timestamp('anonymised_at', { withTimezone: true }),
  /** Where the case was transferred to decide (migration 0018), and whether that hall holds it now. */
  transferHallId: uuid('transfer_hall_id'),
  transferDepartmentId: uuid('transfer_department_id'),
  heldUpstream: boolean('held_upstream').notNull().default(false),
  /** The registered agent (代办员) who carries the case (migration 0019). */
  agentId: uuid('agent_id'),
});
export type CaseRow = typeof cases.$inferSelect;

export const caseTasks = pgTable('case_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  caseId: uuid('case_id').notNull(),
  departmentId: uuid('department_id').notNull(),
  task: text('task').notNull(),
  limitDays: integer('limit_days').notNull(),
  deadlineAt: timestamp('deadline_at', { withTimezone: true }),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneByName: text('done_by_name'),
  note: text('note'),
});
export type CaseTaskRow = typeof caseTasks.$inferSelect;

export const caseActions = pgTable('case_actions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  caseId: uuid('case_id').notNull(),
  seq: integer('seq').notNull(),
  action: text('action').$type<LogAction>().notNull(),
  statusAfter: text('status_after').$type<CaseStatus>().notNull(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  reason: text('reason'),
  facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  at: timestamp('at', { withTimezone: true }).notNull(),
  idempotencyKey: text('idempotency_key'),
  /** The hall whose staff made the move when not the case's own (a transferred case; migration 0018). */
  actorHallId: uuid('actor_hall_id'),
});
export type CaseActionRow = typeof caseActions.$inferSelect;

export const caseNotices = pgTable('case_notices', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  caseId: uuid('case_id').notNull(),
  seq: integer('seq').notNull(),
  type: text('type').$type<NoticeType>().notNull(),
  templateVersion: integer('template_version').notNull(),
  title: text('title').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  html: text('html').notNull(),
  actionSeq: integer('action_seq').notNull(),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  issuedByName: text('issued_by_name').notNull(),
});
