import { boolean, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const calendarOverrides = pgTable(
  'calendar_overrides',
  {
    hallId: uuid('hall_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    workday: boolean('workday').notNull(),
    name: text('name'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.date] })],
);

export const calendarAnnouncedYears = pgTable(
  'calendar_announced_years',
  {
    hallId: uuid('hall_id').notNull(),
    year: integer('year').notNull(),
    source: text('source').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.year] })],
);
