import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { HallHoursInput as HallHours } from './schemas.js';
import type { Role } from '../auth/roles.js';

export const halls = pgTable('halls', {
  id: uuid('id').primaryKey().defaultRandom(),
  parentId: uuid('parent_id'),
  level: text('level').$type<HallLevel>().notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull().default(''),
  phone: text('phone').notNull().default(''),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  hours: jsonb('hours').$type<HallHours>().notNull(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type HallLevel = 'city' | 'county' | 'township' | 'village';

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  name: text('name').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const windows = pgTable('windows', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  departmentId: uuid('department_id'),
  name: text('name').notNull(),
  number: integer('number').notNull(),
  status: text('status').$type<'open' | 'paused' | 'closed'>().notNull().default('open'),
  pauseReason: text('pause_reason'),
  hours: jsonb('hours').$type<HallHours | null>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const windowServices = pgTable(
  'window_services',
  {
    windowId: uuid('window_id').notNull(),
    serviceId: uuid('service_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.windowId, t.serviceId] })],
);

/** A staff member's roles at a further hall of the network, reaching its subtree (migration 0015). */
export const userHalls = pgTable(
  'user_halls',
  {
    userId: uuid('user_id').notNull(),
    hallId: uuid('hall_id').notNull(),
    roles: text('roles').array().$type<Role[]>().notNull(),
    grantedBy: uuid('granted_by'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.hallId] })],
);

// The services table belongs to the catalogue; re-exported so code written against org/tables.js keeps working.
export { services } from '../catalog/tables.js';
