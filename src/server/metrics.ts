import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.js';
import { unauthenticated } from './errors.js';

/** Latency buckets in seconds: a ticket is taken in tens of milliseconds, a report may take seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

/** Label values in the exposition format: backslash, quote and newline escaped. */
const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',')}}`;

/**
 * Request counts and latency by route and status, kept in memory per node (Prometheus scrapes every
 * node and sums), plus what the database says at scrape time: people waiting and open cases by light.
 */
export function createMetrics() {
  const requests = new Map<string, number>();
  const latency = new Map<string, Series>();
  return {
    observe(method: string, route: string, status: number, seconds: number) {
      const reqKey = JSON.stringify([method, route, String(status)]);
      requests.set(reqKey, (requests.get(reqKey) ?? 0) + 1);
      const latKey = JSON.stringify([method, route]);
      let s = latency.get(latKey);
      if (!s) latency.set(latKey, (s = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
      s.count++;
      s.sum += seconds;
      BUCKETS.forEach((b, i) => {
        if (seconds <= b) s.buckets[i]!++;
      });
    },
    render(gauges: string[]): string {
      const out = [
        '# HELP onewindow_http_requests_total HTTP requests answered, by route and status.',
        '# TYPE onewindow_http_requests_total counter',
      ];
      for (const [key, n] of requests) {
        const [method, route, status] = JSON.parse(key) as string[];
        out.push(`onewindow_http_requests_total${labels({ method: method!, route: route!, status: status! })} ${n}`);
      }
      out.push('# HELP onewindow_http_request_duration_seconds Time to answer, by route.', '# TYPE onewindow_http_request_duration_seconds histogram');
      for (const [key, s] of latency) {
        const [method, route] = JSON.parse(key) as string[];
        const base = { method: method!, route: route! };
        BUCKETS.forEach((b, i) => out.push(`onewindow_http_request_duration_seconds_bucket${labels({ ...base, le: String(b) })} ${s.buckets[i]}`));
        out.push(`onewindow_http_request_duration_seconds_bucket${labels({ ...base, le: '+Inf' })} ${s.count}`);
        out.push(`onewindow_http_request_duration_seconds_sum${labels(base)} ${s.sum}`);
        out.push(`onewindow_http_request_duration_seconds_count${labels(base)} ${s.count}`);
      }
      return [...out, ...gauges].join('\n') + '\n';
    },
  };
}

async function databaseGauges(database: Pick<Database, 'query'>): Promise<string[]> {
  const waiting = await database.query<{ hall: string; service: string; n: number }>(
    `SELECT h.code AS hall, s.code AS service, count(*)::int AS n
       FROM tickets t JOIN halls h ON h.id = t.hall_id JOIN services s ON s.id = t.service_id
      WHERE t.status = 'waiting' GROUP BY h.code, s.code ORDER BY 1, 2`,
  );
  const open = await database.query<{ hall: string; light: string; n: number }>(
    `SELECT h.code AS hall, c.light AS light, count(*)::int AS n
       FROM cases c JOIN halls h ON h.id = c.hall_id
      WHERE c.finished_at IS NULL AND c.light IS NOT NULL GROUP BY h.code, c.light ORDER BY 1, 2`,
  );
  return [
    '# HELP onewindow_queue_waiting People waiting in the queue, by hall and service.',
    '# TYPE onewindow_queue_waiting gauge',
    ...waiting.map((r) => `onewindow_queue_waiting${labels({ hall: r.hall, service: r.service })} ${Number(r.n)}`),
    '# HELP onewindow_cases_open Open cases by hall and light (green, reminder, yellow, red).',
    '# TYPE onewindow_cases_open gauge',
    ...open.map((r) => `onewindow_cases_open${labels({ hall: r.hall, light: r.light })} ${Number(r.n)}`),
  ];
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * GET /metrics in Prometheus text format. With a token configured the scraper must send it as a bearer
 * token: queue lengths and case counts are the hall's business.
 */
export function registerMetrics(app: FastifyInstance, database: Pick<Database, 'query'>, token: string | undefined): void {
  const metrics = createMetrics();
  app.addHook('onResponse', async (request, reply) => {
    // Unknown paths are one series, so a scanner cannot blow up the label space.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (request, reply) => {
    if (token && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`)) throw unauthenticated('需要监控令牌');
    const gauges = await databaseGauges(database);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render(gauges));
  });
}
