import { bigint, bigserial, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Priority } from './priority.js';
import type { TicketStatus } from './states.js';

export type TicketChannel = 'kiosk' | 'mobile' | 'staff' | 'appointment';
export type TicketEventType =
  | 'issued'
  | 'called'
  | 'recalled'
  | 'started'
  | 'finished'
  | 'skipped'
  | 'restored'
  | 'transferred'
  | 'cancelled'
  | 'paused'
  | 'resumed';

export const queueCounters = pgTable(
  'queue_counters',
  {
    hallId: uuid('hall_id').notNull(),
    scope: text('scope').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.scope, t.localDate] })],
);

export const tickets = pgTable('tickets', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  number: text('number').notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  issuedServiceId: uuid('issued_service_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  nextServiceIds: uuid('next_service_ids').array().notNull().default([]),
  step: integer('step').notNull().default(0),
  targetWindowId: uuid('target_window_id'),
  priority: text('priority').$type<Priority>().notNull(),
  channel: text('channel').$type<TicketChannel>().notNull(),
  status: text('status').$type<TicketStatus>().notNull(),
  windowId: uuid('window_id'),
  staffId: uuid('staff_id'),
  recallCount: integer('recall_count').notNull().default(0),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  queuedAt: timestamp('queued_at', { withTimezone: true }).notNull(),
  calledAt: timestamp('called_at', { withTimezone: true }),
  startedAt: timestamp('started_at', { withTimezone: true }),
  skippedAt: timestamp('skipped_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  holderName: text('holder_name'),
  idHash: text('id_hash'),
  idMasked: text('id_masked'),
  phone: text('phone'),
  nearNotifiedAt: timestamp('near_notified_at', { withTimezone: true }),
  idempotencyKey: text('idempotency_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type TicketRow = typeof tickets.$inferSelect;

export const ticketEvents = pgTable('ticket_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  ticketId: uuid('ticket_id'),
  type: text('type').$type<TicketEventType>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  serviceId: uuid('service_id'),
  windowId: uuid('window_id'),
  staffId: uuid('staff_id'),
  priority: text('priority').$type<Priority>(),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
});
