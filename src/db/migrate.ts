import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './client.js';
import { packageRoot } from './paths.js';

// Plain numbered SQL files, applied once each in order inside one transaction per file. An advisory
// lock makes app nodes starting together on one PostgreSQL apply them exactly once.
export const MIGRATIONS_DIR = join(packageRoot(), 'migrations');
const LOCK_KEY = 7_300_001;

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  return database.withSession((query) => migrateOn(query, dir));
}

async function migrateOn(query: Database['query'], dir: string): Promise<string[]> {
  const applied: string[] = [];
  await query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    await query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    for (const { name, sql } of listMigrations(dir)) {
      if (done.has(name)) continue;
      await query(
        `BEGIN;\n${sql}\n;INSERT INTO schema_migrations (name) VALUES ('${name}');\nCOMMIT;`,
      );
      applied.push(name);
    }
  } catch (err) {
    await query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  }
  return applied;
}
