import { boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AppointmentChannel } from './schemas.js';

export const appointmentSlots = pgTable(
  'appointment_slots',
  {
    hallId: uuid('hall_id').notNull(),
    serviceId: uuid('service_id').notNull(),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    booked: integer('booked').notNull().default(0),
    closed: boolean('closed').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.startAt] })],
);

export type AppointmentStatus = 'held' | 'booked' | 'cancelled' | 'checked_in' | 'no_show';

export const appointments = pgTable('appointments', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  code: text('code').notNull(),
  startAt: timestamp('start_at', { withTimezone: true }).notNull(),
  endAt: timestamp('end_at', { withTimezone: true }).notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
  status: text('status').$type<AppointmentStatus>().notNull(),
  channel: text('channel').$type<AppointmentChannel>().notNull().default('normal'),
  name: text('name').notNull().default(''),
  idNumberEnc: text('id_number_enc'),
  idHash: text('id_hash'),
  phoneEnc: text('phone_enc'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true }),
  ticketId: uuid('ticket_id'),
  /** 上门服务: the staff member who visits. */
  assignedStaffId: uuid('assigned_staff_id'),
  cancelReason: text('cancel_reason'),
  /** 预约领取: the case whose result this booking picks up, and when it was handed over. */
  caseId: uuid('case_id'),
  handedOverAt: timestamp('handed_over_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const appointmentBlocks = pgTable('appointment_blocks', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  idHash: text('id_hash').notNull(),
  untilDate: date('until_date', { mode: 'string' }).notNull(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Bookings per person per day: the counter that makes the daily limit atomic. */
export const appointmentPersonDays = pgTable(
  'appointment_person_days',
  {
    hallId: uuid('hall_id').notNull(),
    idHash: text('id_hash').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    booked: integer('booked').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.idHash, t.localDate] })],
);
