import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';

// Live screens depend on this connection: when the database drops it, notifications must resume.
describe('PostgreSQL LISTEN connection', () => {
  it('listens again after its connection is killed', async () => {
    const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL! });
    try {
      const received: string[] = [];
      await database.listen('ow_test_reconnect', (p) => received.push(p));
      const [killed] = await database.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE query ILIKE 'LISTEN%ow_test_reconnect%' AND pid <> pg_backend_pid()`,
      );
      expect(killed?.n).toBe(1);
      await expect
        .poll(
          async () => {
            await database.query(`SELECT pg_notify('ow_test_reconnect', 'after')`);
            return received.includes('after');
          },
          { timeout: 15_000, interval: 500 },
        )
        .toBe(true);
    } finally {
      await database.close();
    }
  }, 30_000);
});
