import { eq, or, sql } from 'drizzle-orm';
import { bigint, boolean, customType, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Appointment, Category, GuideContent, ServiceKind } from './schemas.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** 事项. The row holds what is published; drafts live in guide_versions until published. */
export const services = pgTable('services', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  departmentId: uuid('department_id').notNull(),
  category: text('category').$type<Category>().notNull().default('public_service'),
  kind: text('kind').$type<ServiceKind>().notNull(),
  legalLimitDays: integer('legal_limit_days').notNull(),
  promisedLimitDays: integer('promised_limit_days').notNull(),
  queuePrefix: text('queue_prefix').notNull(),
  bookable: boolean('bookable').notNull().default(false),
  appointment: jsonb('appointment').$type<Appointment | null>(),
  onlineApplicable: boolean('online_applicable').notNull().default(false),
  greenChannel: boolean('green_channel').notNull().default(false),
  /** The published guide version a case accepted now is accepted under; null = never published. */
  currentGuideVersion: integer('current_guide_version'),
  searchKey: text('search_key').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type GuideStatus = 'draft' | 'published' | 'superseded';

export const guideVersions = pgTable('guide_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  version: integer('version'),
  status: text('status').$type<GuideStatus>().notNull(),
  basedOn: integer('based_on'),
  content: jsonb('content').$type<GuideContent>().notNull(),
  note: text('note').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: uuid('created_by'),
  createdByName: text('created_by_name').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedByName: text('updated_by_name').notNull().default(''),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  publishedBy: uuid('published_by'),
  publishedByName: text('published_by_name'),
});

export const guideAttachments = pgTable('guide_attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  hallId: uuid('hall_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  filename: text('filename').notNull(),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  data: bytea('data').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: uuid('created_by'),
  createdByName: text('created_by_name').notNull().default(''),
});

export const catalogRevision = pgTable('catalog_revision', {
  id: integer('id').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
});

export type HandlingMode = 'decide' | 'forward' | 'guide';

/** What a hall of the network does with an item defined above it (migration 0020); the item's own hall decides without a row. */
export const hallCatalog = pgTable(
  'hall_catalog',
  {
    hallId: uuid('hall_id').notNull(),
    serviceId: uuid('service_id').notNull(),
    mode: text('mode').$type<HandlingMode>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedByName: text('updated_by_name').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.serviceId] })],
);

/** The items the public sees at a hall: its own, and those its catalogue per level takes from a hall above. */
export const offeredAt = (hallId: string) =>
  or(eq(services.hallId, hallId), sql`${services.id} in (select ${hallCatalog.serviceId} from ${hallCatalog} where ${hallCatalog.hallId} = ${hallId})`)!;
