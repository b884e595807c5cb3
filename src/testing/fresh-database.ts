import pg from 'pg';

/** The URL of database `name` on the PostgreSQL server that `url` points at. */
export function databaseBeside(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Drops database `name` beside the one `url` names (whoever is connected) and creates it empty; returns its URL. */
export async function freshDatabase(url: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return databaseBeside(url, name);
}
