import { openDatabase, type Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { rowCounts as countAll } from '../db/counts.js';
import { freshDatabase } from './fresh-database.js';

// One database per test worker, migrated once and emptied between tests: a fresh PGlite takes seconds
// to start, so starting one per test would dominate the run.
let shared: Promise<Database> | undefined;
let sharedUrl: string | undefined;

/** The PostgreSQL lane's database URL (for pg_dump and second app nodes); undefined on PGlite. */
export async function testDatabaseUrl(): Promise<string | undefined> {
  await testDatabase();
  return sharedUrl;
}

export function testDatabase(): Promise<Database> {
  shared ??= open();
  return shared;
}

async function open(): Promise<Database> {
  const lane = process.env.TEST_DB ?? 'pglite';
  let database: Database;
  if (lane === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL lane');
    // The pid keeps two test runs on one server from dropping each other's databases.
    sharedUrl = await freshDatabase(url, `onewindow_test_${process.pid}_${process.env.VITEST_POOL_ID ?? 0}`);
    database = await openDatabase({ databaseUrl: sharedUrl });
  } else {
    database = await openDatabase({});
  }
  await migrate(database);
  return database;
}

/**
 * Empties every table but the migration record and the data key, keeping the schema. The key stays, as it does
 * in a hall: handles cache it, and a new key after a reset would leave them sealing with the old one.
 */
export async function resetDatabase(database: Database): Promise<void> {
  const tables = await database.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'data_keys')`,
  );
  if (tables.length === 0) return;
  await database.query(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

/** Row counts of every table but the migration record. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const { schema_migrations: _, ...counts } = await countAll(database);
  return counts;
}
