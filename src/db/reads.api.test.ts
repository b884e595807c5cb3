import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../testing/test-db.js';
import type { Db } from './client.js';
import { readAll } from './reads.js';

// Three reads that note when each starts and ends, answering their own number.
const tracedReads = (db: Db, log: string[]) =>
  [1, 2, 3].map((n) => async () => {
    log.push(`start ${n}`);
    await db.execute(sql`select pg_sleep(0.01)`);
    log.push(`end ${n}`);
    return n;
  });

describe('readAll', () => {
  it('reads at once on the database and answers in the order asked', async () => {
    const { db } = await testDatabase();
    const log: string[] = [];
    expect(await readAll(db, tracedReads(db, log))).toEqual([1, 2, 3]);
    expect(log.slice(0, 3)).toEqual(['start 1', 'start 2', 'start 3']);
  });

  it('reads one after another inside a transaction, whose one connection cannot run queries at once', async () => {
    const { db } = await testDatabase();
    const log: string[] = [];
    expect(await db.transaction((tx) => readAll(tx, tracedReads(tx, log)))).toEqual([1, 2, 3]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });
});
