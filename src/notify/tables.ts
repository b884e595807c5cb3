import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  channel: text('channel').$type<'sms' | 'staff'>().notNull(),
  recipient: text('recipient').notNull(),
  template: text('template').notNull(),
  body: text('body').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  dedupeKey: text('dedupe_key'),
  status: text('status').$type<'pending' | 'sent' | 'failed'>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  lastError: text('last_error'),
  /** Not before this instant: a refused message waits before its next attempt. */
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
});
