import type { Database } from './client.js';

/** Row counts of every table: a refused request must leave them unchanged; a restore must match them. */
export async function rowCounts(database: Pick<Database, 'query'>): Promise<Record<string, number>> {
  const tables = await database.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  if (tables.length === 0) return {};
  const sql = tables.map((t) => `SELECT '${t.tablename}' AS t, count(*)::int AS n FROM "${t.tablename}"`).join(' UNION ALL ');
  const rows = await database.query<{ t: string; n: number }>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}
