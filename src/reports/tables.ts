import { date, doublePrecision, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Grade } from '../feedback/schemas.js';

/** What a person writes into a month's bulletin; the figures around it are computed when it is read. */
export const bulletinTexts = pgTable(
  'bulletin_texts',
  {
    hallId: uuid('hall_id').notNull(),
    month: text('month').notNull(),
    issueNo: text('issue_no').notNull().default(''),
    intro: text('intro').notNull().default(''),
    problems: text('problems').notNull().default(''),
    nextSteps: text('next_steps').notNull().default(''),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.month] })],
);

/** Which closed days have their roll-ups built (see migrations/0010_reports.sql). */
export const reportDays = pgTable(
  'report_days',
  {
    hallId: uuid('hall_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    builtAt: timestamp('built_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.localDate] })],
);

export const reportCaseDays = pgTable('report_case_days', {
  hallId: uuid('hall_id').notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
  departmentId: uuid('department_id').notNull(),
  windowId: uuid('window_id'),
  handlerId: uuid('handler_id'),
  acceptedKind: text('accepted_kind').notNull(),
  accepted: integer('accepted').notNull(),
  finished: integer('finished').notNull(),
  withDeadline: integer('with_deadline').notNull(),
  onTime: integer('on_time').notNull(),
});

export const reportQueueDays = pgTable('report_queue_days', {
  hallId: uuid('hall_id').notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
  windowId: uuid('window_id'),
  hour: smallint('hour').notNull(),
  issued: integer('issued').notNull(),
  called: integer('called').notNull(),
  waitS: doublePrecision('wait_s').notNull(),
  served: integer('served').notNull(),
  serviceS: doublePrecision('service_s').notNull(),
  consultations: integer('consultations').notNull(),
});

/** Ratings not excluded by local date, department and grade, kept by a trigger on `ratings` (migration 0015). */
export const reportRatingDays = pgTable('report_rating_days', {
  hallId: uuid('hall_id').notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
  departmentId: uuid('department_id'),
  grade: text('grade').$type<Grade>().notNull(),
  n: integer('n').notNull(),
});
