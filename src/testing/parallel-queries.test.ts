import { describe, expect, it } from 'vitest';
import { PARALLEL_QUERY_WARNING, takeParallelQueryWarnings, watchParallelQueries } from './parallel-queries.js';

const warn = async (message: string, type: string) => {
  process.emitWarning(message, type);
  await new Promise((resolve) => setImmediate(resolve)); // warnings are delivered on the next tick
};

describe('the PostgreSQL lane guard against parallel queries on one client', () => {
  it('records pg’s warning, once, and no other warning', async () => {
    watchParallelQueries();
    watchParallelQueries(); // a second test file in the same worker must not double the record
    await warn('Client.queryQueue is deprecated and will be removed in pg@9.0.', 'DeprecationWarning');
    await warn(`${PARALLEL_QUERY_WARNING} (not a deprecation)`, 'Warning');
    expect(takeParallelQueryWarnings()).toEqual([]);
    await warn(`${PARALLEL_QUERY_WARNING} and will be removed in pg@9.0.`, 'DeprecationWarning');
    const caught = takeParallelQueryWarnings();
    expect(caught).toHaveLength(1);
    expect(caught[0]).toContain(PARALLEL_QUERY_WARNING);
    expect(takeParallelQueryWarnings()).toEqual([]);
  });
});
