import { afterAll } from 'vitest';
import { takeParallelQueryWarnings, watchParallelQueries } from './parallel-queries.js';

// Setup of the api-postgres lane: a test file during which pg warned of queries sent at once on one client
// fails. pg warns once per process, so after a fix the next run may name another place.
watchParallelQueries();

afterAll(() => {
  const warnings = takeParallelQueryWarnings();
  if (warnings.length > 0) throw new Error(`pg was sent queries at once on one client, usually Promise.all inside a transaction (await them in turn, or readAll from src/db/reads.ts):\n${warnings.join('\n')}`);
});
