import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { newKey, parseKey } from './crypto.js';

/** One key for the whole network's personal data at rest (migration 0011 made the table). */
export const dataKeys = pgTable('data_keys', {
  name: text('name').primaryKey(),
  key: text('key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

const cache = new WeakMap<object, Promise<Buffer>>();

/**
 * The key for personal data at rest: ONEWINDOW_DATA_KEY when the deployment sets one (keep it outside the
 * database backups), else one generated on first use and kept in the database, so a single-box hall works.
 */
export function dataKey(db: Db): Promise<Buffer> {
  const env = process.env.ONEWINDOW_DATA_KEY;
  if (env) return Promise.resolve(parseKey(env));
  let hit = cache.get(db);
  if (!hit) {
    hit = load(db);
    cache.set(db, hit);
    hit.catch(() => cache.delete(db));
  }
  return hit;
}

async function load(db: Db): Promise<Buffer> {
  // Two nodes racing: the first insert wins and both read it back.
  await db.insert(dataKeys).values({ name: 'personal', key: newKey() }).onConflictDoNothing();
  const [row] = await db.select({ key: dataKeys.key }).from(dataKeys).where(eq(dataKeys.name, 'personal'));
  return parseKey(row!.key);
}
