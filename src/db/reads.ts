import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/**
 * Runs independent reads: at once on the database (the pool gives each its own connection), one after
 * another inside a transaction, whose one connection cannot run two queries at once (pg@9 refuses them).
 */
export async function readAll<T extends unknown[]>(db: Db, reads: [...{ [K in keyof T]: () => PromiseLike<T[K]> }]): Promise<T> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(reads.map((read) => read()))) as T;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as T;
}

/** The rows of a raw `db.execute(sql...)`: node-postgres and PGlite both answer `{ rows }`; some paths the array itself. */
export const rowsOf = <T>(result: unknown): T[] => (result as { rows?: T[] }).rows ?? (result as T[]);
