// The database a PostgreSQL bench works in: its own, beside the one DATABASE_URL names, so a run never
// touches the data it was pointed at.
import pg from 'pg';
import { databaseBeside, freshDatabase } from '../src/testing/fresh-database.js';

/** DATABASE_URL, which a PostgreSQL-only bench cannot run without. */
export function benchServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required: the benchmark runs on PostgreSQL');
  return url;
}

export interface Reuse {
  /** The environment variable that asks for the previous run's database when it is '1'. */
  variable: string;
  /** Whether the previous run's database is the one wanted; without it, any is taken as it is. */
  usable?: (probe: pg.Client) => Promise<boolean>;
}

/**
 * Database `name` beside `url`: created afresh, or, when the bench's reuse variable is '1' (and `usable`
 * accepts what is there), the one a previous run generated, since generating takes minutes.
 */
export async function benchDatabase(url: string, name: string, reuse: Reuse): Promise<{ url: string; reused: boolean }> {
  const target = databaseBeside(url, name);
  if (process.env[reuse.variable] === '1' && (await acceptable(target, reuse.usable))) return { url: target, reused: true };
  return { url: await freshDatabase(url, name), reused: false };
}

async function acceptable(target: string, usable: Reuse['usable']): Promise<boolean> {
  if (!usable) return true;
  const probe = new pg.Client({ connectionString: target });
  try {
    // A database that is not there refuses the connection: nothing to reuse.
    await probe.connect();
    return await usable(probe);
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => undefined);
  }
}
