/**
 * node-postgres warns (once per process) when a query is sent on a client that is still running others: two
 * queries at once on one connection, usually a `Promise.all` over a transaction's queries. pg@9 will refuse
 * them, so the PostgreSQL lane fails on this warning (and on no other).
 */
export const PARALLEL_QUERY_WARNING = 'Calling client.query() when the client is already executing a query';

const caught: string[] = [];
let watching = false;

/** Starts recording the warning in this process (once, however many test files call it). */
export function watchParallelQueries(): void {
  if (watching) return;
  watching = true;
  process.on('warning', (warning) => {
    if (warning.name === 'DeprecationWarning' && warning.message.includes(PARALLEL_QUERY_WARNING)) caught.push(warning.stack ?? warning.message);
  });
}

/** The warnings recorded since the last call (each with where it was raised). */
export function takeParallelQueryWarnings(): string[] {
  return caught.splice(0);
}
