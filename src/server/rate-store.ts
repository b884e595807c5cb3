// Rate-limit counts shared by every app node on one PostgreSQL (table `rate_limit_hits`, migration 0024),
// so a client behind nginx gets one allowance however many nodes answer it. Fixed windows (window number
// = epoch ms / window length): a count is one upsert of the table's (key, window) row.
//
// The counts are written by group commit (src/shared/group-commit.ts): the limited requests
// that reach a node while one statement is in flight are counted together by the next, one row per key
// with the batch's hits added, and each request gets its exact place in the count. So the store costs one
// round trip per batch, not per request, and never lets a request through on a stale count.
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/client.js';
import { createGroupCommit } from '../shared/group-commit.js';

interface Hit {
  key: string;
  windowNo: number;
  /** End of the window, ms since the epoch. */
  endsAt: number;
}

/** Expired windows are deleted by the next statement once this long has passed (per node). */
const CLEAN_EVERY_MS = 60_000;

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

export function sharedRateLimitStore(database: Pick<Database, 'query'>, now: () => number = Date.now): FastifyRateLimitStoreCtor {
  let cleanedAt = now();

  const commit = createGroupCommit<Hit, number>(async (batch) => {
    const groups = new Map<string, Hit & { n: number }>();
    for (const hit of batch) {
      const id = `${hit.windowNo}|${hit.key}`;
      const group = groups.get(id);
      if (group) group.n++;
      else groups.set(id, { ...hit, n: 1 });
    }
    // Rows are locked in one order (key, window) on every node, so two nodes' batches never deadlock.
    const rows = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowNo - b.windowNo));
    const clean = now() - cleanedAt >= CLEAN_EVERY_MS;
    const counted = await database.query<{ key: string; window_no: string; hits: number }>(
      `${clean ? 'WITH expired AS (DELETE FROM rate_limit_hits WHERE expires_at < now()) ' : ''}
       INSERT INTO rate_limit_hits AS r (key, window_no, hits, expires_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::timestamptz[]) ORDER BY 1, 2
       ON CONFLICT (key, window_no) DO UPDATE SET hits = r.hits + excluded.hits
       RETURNING key, window_no, hits`,
      [rows.map((r) => r.key), rows.map((r) => r.windowNo), rows.map((r) => r.n), rows.map((r) => new Date(r.endsAt).toISOString())],
    );
    if (clean) cleanedAt = now();
    const totals = new Map(counted.map((c) => [`${c.window_no}|${c.key}`, Number(c.hits)]));
    // In arrival order, the batch's requests for one key are the last `n` hits of the total.
    const placed = new Map<string, number>();
    return batch.map((hit) => {
      const id = `${hit.windowNo}|${hit.key}`;
      const before = placed.get(id) ?? 0;
      placed.set(id, before + 1);
      return { ok: true, value: totals.get(id)! - groups.get(id)!.n + before + 1 };
    });
  });

  class SharedStore implements FastifyRateLimitStore {
    constructor(
      _options?: FastifyRateLimitOptions,
      private readonly route = '',
    ) {}

    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      const at = now();
      const windowNo = Math.floor(at / timeWindow);
      const endsAt = (windowNo + 1) * timeWindow;
      commit.submit({ key: `${this.route}|${key}`, windowNo, endsAt }).then(
        (current) => callback(null, { current, ttl: endsAt - at }),
        (err: Error) => callback(err),
      );
    }

    /** One store per limited route (the plugin asks for it); its counts are keyed by the route. */
    child(params: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const info = (params as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      return new SharedStore(undefined, `${[info?.method ?? ''].flat().join(',')} ${info?.url ?? ''}`);
    }
  }
  return SharedStore;
}
