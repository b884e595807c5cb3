import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { notFound } from '../server/errors.js';
import { rootHallId } from '../server/bootstrap.js';
import { halls } from './tables.js';

/**
 * The hall a public request is for: `?hall=CODE` (a kiosk or a township page names its hall), else the
 * root of the network, which is the only hall of a single-hall deployment.
 */
export async function publicHallId(db: Db, request: { query: unknown }): Promise<string> {
  const code = (request.query as { hall?: unknown } | undefined)?.hall;
  if (typeof code === 'string' && code) {
    const [hall] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, code));
    if (!hall) throw notFound('服务中心', { hall: code });
    return hall.id;
  }
  return rootHallId(db);
}
