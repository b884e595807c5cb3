import { bigserial, customType, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AcceptedBy, ApplicationStatus, Correction, DeliveryMethod, FinishOption, OnlineAgent } from './schemas.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** 申请人: one account per phone per hall; phone and ID number (or credit code) sealed at rest. */
export const applicants = pgTable('applicants', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  phoneHash: text('phone_hash').notNull(),
  phoneEnc: text('phone_enc').notNull(),
  kind: text('kind').$type<'person' | 'company'>(),
  name: text('name').notNull().default(''),
  numberEnc: text('number_enc'),
  contactName: text('contact_name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type ApplicantRow = typeof applicants.$inferSelect;

export const applicantCodes = pgTable('applicant_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  phoneHash: text('phone_hash').notNull(),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const applicantSessions = pgTable('applicant_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  applicantId: uuid('applicant_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const onlineApplications = pgTable('online_applications', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  applicantId: uuid('applicant_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  serviceCode: text('service_code').notNull(),
  serviceName: text('service_name').notNull(),
  departmentId: uuid('department_id').notNull(),
  windowId: uuid('window_id'),
  guideVersion: integer('guide_version'),
  status: text('status').$type<ApplicationStatus>().notNull(),
  note: text('note').notNull().default(''),
  notApplicable: jsonb('not_applicable').$type<string[]>().notNull().default([]),
  finish: text('finish').$type<FinishOption>().notNull().default('online'),
  /** The agent's name and authorisation; the numbers sealed in agent_enc. */
  agent: jsonb('agent').$type<Pick<OnlineAgent, 'name' | 'authorization'> | null>(),
  agentEnc: text('agent_enc'),
  deliveryMethod: text('delivery_method').$type<DeliveryMethod>().notNull().default('pickup'),
  deliveryAddress: text('delivery_address'),
  caseId: uuid('case_id'),
  caseNumber: text('case_number'),
  /** When the hall received the application: submission, or the answer to a correction request. */
  receivedAt: timestamp('received_at', { withTimezone: true }),
  /** The end of the 5-working-day pre-review limit counted from receivedAt. */
  reviewDueAt: timestamp('review_due_at', { withTimezone: true }),
  corrections: jsonb('corrections').$type<Correction[]>().notNull().default([]),
  answerNote: text('answer_note'),
  decisionReason: text('decision_reason'),
  acceptedBy: text('accepted_by').$type<AcceptedBy>(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
export type ApplicationRow = typeof onlineApplications.$inferSelect;

export const onlineFiles = pgTable('online_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  materialId: text('material_id').notNull(),
  filename: text('filename').notNull(),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  data: bytea('data').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const onlineEvents = pgTable('online_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  action: text('action').notNull(),
  actorName: text('actor_name').notNull(),
  note: text('note'),
  at: timestamp('at', { withTimezone: true }).notNull(),
});
