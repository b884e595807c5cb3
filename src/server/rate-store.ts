// Rate-limit counts shared by every app node on one PostgreSQL (table `rate_limit_hits`, migration 0024),
// so a client behind nginx gets one allowance however many nodes answer it. Fixed windows (window number
// = epoch ms / window length): a count is one upsert of the table's (key, window) row.
//
// The counts are written by group commit (src/shared/group-commit.ts): the limited requests
// that reach a node while one statement is in flight are counted together by the next, one row per key
// with the batch's hits added, and each request gets its own place in the count. Under a large limit a
// node also claims a few places ahead (at most a twentieth of the limit, and 64), which its next requests
// from that client use without a statement. A place is never handed out twice and a request is let through
// only on a place within the limit, so no client ever gets more than its allowance; places claimed ahead
// and unused only count against the client, which near its limit may be refused up to that many requests
// early on another node. Under small limits nothing is claimed ahead and the count is exact.
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/client.js';
import { createGroupCommit } from '../shared/group-commit.js';

interface Hit {
  key: string;
  windowNo: number;
  /** End of the window, ms since the epoch. */
  endsAt: number;
  /** Places to claim beyond this request's own. */
  ahead: number;
}

/** Places of a key's count this node claimed and has not used yet, in its current window. */
interface Lease {
  windowNo: number;
  endsAt: number;
  next: number;
  last: number;
}

const AHEAD_SHARE = 20;
const AHEAD_MAX = 64;
export const placesAhead = (max: number) => Math.min(AHEAD_MAX, Math.floor(max / AHEAD_SHARE));

/** Expired windows are deleted by the next statement once this long has passed (per node). */
const CLEAN_EVERY_MS = 60_000;

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

export function sharedRateLimitStore(database: Pick<Database, 'query'>, now: () => number = Date.now): FastifyRateLimitStoreCtor {
  let cleanedAt = now();

  const leases = new Map<string, Lease>();
  const fromLease = (hit: Hit): number | undefined => {
    const lease = leases.get(hit.key);
    if (!lease || lease.windowNo !== hit.windowNo || lease.next > lease.last) return undefined;
    return lease.next++;
  };

  const commit = createGroupCommit<Hit, number>(async (batch) => {
    // Requests queued behind the last statement may be served by the places it claimed ahead.
    const served = batch.map(fromLease);
    const groups = new Map<string, Hit & { n: number; asked: number }>();
    batch.forEach((hit, i) => {
      if (served[i] !== undefined) return;
      const id = `${hit.windowNo}|${hit.key}`;
      const group = groups.get(id);
      if (group) group.asked++;
      else groups.set(id, { ...hit, asked: 1, n: 0 });
    });
    for (const g of groups.values()) g.n = g.asked + g.ahead;
    if (groups.size === 0) return served.map((value) => ({ ok: true, value: value! }));
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
    if (clean) {
      cleanedAt = now();
      for (const [key, lease] of leases) if (lease.endsAt <= cleanedAt) leases.delete(key);
    }
    // The statement added n hits to each row: this node owns the last n places of its total, the batch's
    // requests take the first of them in arrival order and the rest are kept for the next requests.
    const next = new Map<string, number>();
    for (const c of counted) {
      const id = `${c.window_no}|${c.key}`;
      const g = groups.get(id)!;
      const first = Number(c.hits) - g.n + 1;
      next.set(id, first);
      if (g.ahead > 0) leases.set(g.key, { windowNo: g.windowNo, endsAt: g.endsAt, next: first + g.asked, last: Number(c.hits) });
    }
    return batch.map((hit, i) => {
      if (served[i] !== undefined) return { ok: true, value: served[i]! };
      const id = `${hit.windowNo}|${hit.key}`;
      const place = next.get(id)!;
      next.set(id, place + 1);
      return { ok: true, value: place };
    });
  });

  class SharedStore implements FastifyRateLimitStore {
    constructor(
      _options?: FastifyRateLimitOptions,
      private readonly route = '',
    ) {}

    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      const at = now();
      const windowNo = Math.floor(at / timeWindow);
      const endsAt = (windowNo + 1) * timeWindow;
      const hit = { key: `${this.route}|${key}`, windowNo, endsAt, ahead: placesAhead(max) };
      const leased = fromLease(hit);
      if (leased !== undefined) return callback(null, { current: leased, ttl: endsAt - at });
      commit.submit(hit).then(
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
