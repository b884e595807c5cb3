import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { keyring } from '../shared/data-key.js';
import { notifications } from './tables.js';

/** Outbox rows as the SMS gateway receives them: each SMS recipient opened (they are sealed at rest). */
export async function outbox(db: Db, where?: SQL) {
  const ring = await keyring(db);
  const rows = await db.select().from(notifications).where(where);
  return rows.map((n) => (n.channel === 'sms' ? { ...n, recipient: ring.open(n.recipient) } : n));
}
