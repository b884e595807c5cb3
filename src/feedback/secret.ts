import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { feedbackSecrets } from './tables.js';

/**
 * The key that signs a hall's rating links: derived from ONEWINDOW_SECRET when the deployment sets one
 * (several app nodes then agree without the database), else generated once per hall and kept in the
 * database, so links survive restarts.
 */
export async function hallSecret(db: Db, hallId: string): Promise<string> {
  const env = process.env.ONEWINDOW_SECRET;
  if (env) return createHmac('sha256', env).update(`feedback:${hallId}`).digest('base64url');
  const [row] = await db.select({ secret: feedbackSecrets.secret }).from(feedbackSecrets).where(eq(feedbackSecrets.hallId, hallId));
  if (row) return row.secret;
  // Two nodes racing: the first insert wins and both read it back.
  await db.insert(feedbackSecrets).values({ hallId, secret: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [stored] = await db.select({ secret: feedbackSecrets.secret }).from(feedbackSecrets).where(eq(feedbackSecrets.hallId, hallId));
  return stored!.secret;
}
