import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../db/client.js';
import { buildApp } from '../server/app.js';
import type { TestApp } from './test-app.js';
import { testDatabaseUrl } from './test-db.js';

export interface SecondNode {
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * A second app node on the test app's PostgreSQL database, with its own connection pool, as a city runs
 * several behind a load balancer. `close` closes the node, then its pool.
 */
export async function secondNode(t: TestApp): Promise<SecondNode> {
  const url = await testDatabaseUrl();
  if (!url) throw new Error('a second app node needs the PostgreSQL lane (TEST_DATABASE_URL)');
  const database = await openDatabase({ databaseUrl: url });
  const app = await buildApp({ ...t.ctx, database, db: database.db });
  return {
    app,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
