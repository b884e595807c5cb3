import { date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AgentStatus } from './schemas.js';

/** Agents (代办员) registered at a station or township centre (migration 0019). */
export const agents = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  userId: uuid('user_id'),
  name: text('name').notNull(),
  phoneEnc: text('phone_enc').notNull(),
  status: text('status').$type<AgentStatus>().notNull().default('active'),
  statusReason: text('status_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type AgentRow = typeof agents.$inferSelect;

export const agentTrainings = pgTable('agent_trainings', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  agentId: uuid('agent_id').notNull(),
  course: text('course').notNull(),
  trainedOn: date('trained_on', { mode: 'string' }).notNull(),
  certificate: text('certificate'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
