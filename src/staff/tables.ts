import { bigserial, boolean, customType, date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export type AttendanceEventType = 'sign_in' | 'sign_out';
export type LeaveKind = 'personal' | 'sick' | 'annual';
export type Half = 'am' | 'pm';
export type LeaveStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type GapReason = 'nobody_signed_in' | 'out_without_cover';
export type RegisterKind = 'leader_visit' | 'media_report' | 'info_report' | 'good_deed' | 'other_work';
export type AwardKind = 'red_flag' | 'star_chief' | 'service_model' | 'other';
export type ExtendedKind = 'lunch' | 'after_close';

export const attendanceEvents = pgTable('attendance_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  userId: uuid('user_id').notNull(),
  windowId: uuid('window_id'),
  type: text('type').$type<AttendanceEventType>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
});

export const leaveRequests = pgTable('leave_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  userId: uuid('user_id').notNull(),
  kind: text('kind').$type<LeaveKind>().notNull(),
  fromDate: date('from_date', { mode: 'string' }).notNull(),
  fromHalf: text('from_half').$type<Half>().notNull(),
  toDate: date('to_date', { mode: 'string' }).notNull(),
  toHalf: text('to_half').$type<Half>().notNull(),
  days: numeric('days', { mode: 'number' }).notNull(),
  reason: text('reason').notNull().default(''),
  requiresDocument: boolean('requires_document').notNull(),
  status: text('status').$type<LeaveStatus>().notNull().default('pending'),
  decidedBy: uuid('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decisionNote: text('decision_note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
export type LeaveRow = typeof leaveRequests.$inferSelect;

export const leaveDocuments = pgTable('leave_documents', {
  leaveId: uuid('leave_id').primaryKey(),
  hallId: uuid('hall_id').notNull(),
  filename: text('filename').notNull(),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  bytes: bytea('bytes').notNull(),
  uploadedBy: uuid('uploaded_by'),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
});

export const goingOuts = pgTable('going_outs', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  userId: uuid('user_id').notNull(),
  windowId: uuid('window_id'),
  reason: text('reason').notNull(),
  outAt: timestamp('out_at', { withTimezone: true }).notNull(),
  expectedReturnAt: timestamp('expected_return_at', { withTimezone: true }).notNull(),
  returnedAt: timestamp('returned_at', { withTimezone: true }),
  coveredBy: uuid('covered_by'),
  localDate: date('local_date', { mode: 'string' }).notNull(),
});
export type GoingOutRow = typeof goingOuts.$inferSelect;

export const windowBackups = pgTable('window_backups', {
  windowId: uuid('window_id').primaryKey(),
  hallId: uuid('hall_id').notNull(),
  aUserId: uuid('a_user_id').notNull(),
  bUserId: uuid('b_user_id').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const abGaps = pgTable('ab_gaps', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  windowId: uuid('window_id').notNull(),
  reason: text('reason').$type<GapReason>().notNull(),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  localDate: date('local_date', { mode: 'string' }).notNull(),
});

export const inspections = pgTable('inspections', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  departmentId: uuid('department_id').notNull(),
  leaderId: uuid('leader_id').notNull(),
  windowIds: uuid('window_ids').array().notNull(),
  findings: text('findings').notNull().default(''),
  at: timestamp('at', { withTimezone: true }).notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
});

export const staffRegister = pgTable('staff_register', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  kind: text('kind').$type<RegisterKind>().notNull(),
  occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  departmentId: uuid('department_id'),
  windowId: uuid('window_id'),
  userIds: uuid('user_ids').array().notNull().default([]),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
export type RegisterRow = typeof staffRegister.$inferSelect;

export const departmentChiefs = pgTable('department_chiefs', {
  departmentId: uuid('department_id').primaryKey(),
  hallId: uuid('hall_id').notNull(),
  userId: uuid('user_id').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const assessmentPoints = pgTable(
  'assessment_points',
  {
    hallId: uuid('hall_id').notNull(),
    month: text('month').notNull(),
    subjectType: text('subject_type').$type<'window' | 'staff'>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    itemKey: text('item_key').notNull(),
    points: numeric('points', { mode: 'number' }).notNull(),
    note: text('note').notNull().default(''),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.month, t.subjectType, t.subjectId, t.itemKey] })],
);

export const awards = pgTable('awards', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  month: text('month').notNull(),
  kind: text('kind').$type<AwardKind>().notNull(),
  subjectType: text('subject_type').$type<'department' | 'window' | 'staff'>().notNull(),
  subjectId: uuid('subject_id'),
  name: text('name').notNull(),
  title: text('title').notNull().default(''),
  score: numeric('score', { mode: 'number' }),
  basis: jsonb('basis').$type<Record<string, unknown>>().notNull().default({}),
  confirmedBy: uuid('confirmed_by'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull(),
});

export const extendedServices = pgTable('extended_services', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hallId: uuid('hall_id').notNull(),
  localDate: date('local_date', { mode: 'string' }).notNull(),
  userId: uuid('user_id').notNull(),
  windowId: uuid('window_id'),
  kind: text('kind').$type<ExtendedKind>().notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
  minutes: integer('minutes').notNull(),
  visits: integer('visits').notNull(),
});

export const extendedServiceDays = pgTable(
  'extended_service_days',
  {
    hallId: uuid('hall_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.localDate] })],
);
