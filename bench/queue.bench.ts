// Queue throughput and screen fan-out over real HTTP: `npx tsx bench/queue.bench.ts`.
//
// The server runs in this process; the clients run in a child process (plain JS, Node's http with
// keep-alive), so the load generator neither steals the server's event loop nor counts in its CPU time
// (bench/load.ts: CPU µs per request of Node and of the PostgreSQL backends). Measured in one run:
//   - ceiling: a bare Fastify POST route returning a constant ticket, same client, same machine;
//   - take-ticket: POST /api/v1/tickets, 50 concurrent clients;
//   - call-next: 50 windows each calling and completing in a loop over one shared line (latency of the
//     call only; throughput counts calls);
//   - fan-out: 500 SSE screens connected, time from sending call-next to each screen's `call` event.
// On PGlite always, and on PostgreSQL when DATABASE_URL is set (a fresh database is created in it).
// Sizes: BENCH_TAKES (default 4000) and BENCH_CALLS (default 2000); BENCH_PGLITE=0 runs PostgreSQL only.
// The production rate limits are on (scaled so the 50 clients, one address, never reach them), on
// PostgreSQL in the shared store (src/server/rate-store.ts); BENCH_RATE_LIMITS=0 runs without them.
import os from 'node:os';
import Fastify from 'fastify';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/server/app.js';
import { fixedClock } from '../src/server/clock.js';
import { defaultConfig, type AppContext } from '../src/server/context.js';
import { rateLimitsFromEnv } from '../src/server/rate-limits.js';
import { hashPassword } from '../src/auth/passwords.js';
import { users, userWindows } from '../src/auth/tables.js';
import { departments, halls, services, windows, windowServices } from '../src/org/tables.js';
import { freshDatabase } from '../src/testing/fresh-database.js';
import { clientProcess, costCells, costProbe, type Cost } from './load.js';
import { percentile } from './timing.js';

const CLIENTS = 50;
const TAKES = Number(process.env.BENCH_TAKES ?? 4000);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const SCREENS = 500;
const SERVICES = 10;
const FANOUT_ROUNDS = 20;
const PASSWORD = 'Bench-Passw0rd';

// The client side, as plain CommonJS for the child process.
const CLIENT = String.raw`
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function request(base, method, path, body, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, base);
    const data = body === undefined ? undefined : JSON.stringify(body);
    const h = Object.assign({}, headers || {});
    if (data !== undefined) { h['content-type'] = 'application/json'; h['content-length'] = Buffer.byteLength(data); }
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

async function load(task) {
  let next = 0;
  const latencies = [];
  const statuses = {};
  const start = performance.now();
  async function client(i) {
    const me = task.clients ? task.clients[i] : null;
    for (;;) {
      if (next >= task.count) return;
      next++;
      const t0 = performance.now();
      const path = me ? '/api/v1/windows/' + me.windowId + '/call-next' : task.path;
      const body = me ? {} : task.bodies[next % task.bodies.length];
      const res = await request(task.base, 'POST', path, body, me ? { authorization: 'Bearer ' + me.token } : {});
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] || 0) + 1;
      if (me && res.status === 200) {
        const id = JSON.parse(res.body).id;
        await request(task.base, 'POST', '/api/v1/tickets/' + id + '/complete', {}, { authorization: 'Bearer ' + me.token });
      }
      if (me && res.status === 204) return;
    }
  }
  await Promise.all(Array.from({ length: task.concurrency }, (_, i) => client(i)));
  return { latencies, elapsedMs: performance.now() - start, statuses };
}

function openScreen(url, onCall) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      let ready = false;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: state') && !ready) { ready = true; resolve(req); }
          if (block.startsWith('event: call')) onCall(performance.now(), block);
        }
      });
    });
    req.on('error', reject);
  });
}

async function fanout(task) {
  let round = null;
  const screens = [];
  for (let i = 0; i < task.screens; i++) {
    screens.push(await openScreen(task.base + '/api/v1/display/stream', (at) => {
      if (!round) return;
      round.arrivals.push(at - round.t0);
      if (round.arrivals.length === task.screens) round.done();
    }));
  }
  const rounds = [];
  const calls = [];
  for (let r = 0; r < task.rounds; r++) {
    const arrivals = [];
    const finished = new Promise((done) => { round = { t0: performance.now(), arrivals, done }; });
    const res = await request(task.base, 'POST', '/api/v1/windows/' + task.windowId + '/call-next', {}, { authorization: 'Bearer ' + task.token });
    calls.push(performance.now() - round.t0);
    if (res.status !== 200) throw new Error('call-next ' + res.status + ' ' + res.body);
    await Promise.race([finished, new Promise((r) => setTimeout(r, 5000))]);
    round = null;
    rounds.push(arrivals);
    await request(task.base, 'POST', '/api/v1/tickets/' + JSON.parse(res.body).id + '/complete', {}, { authorization: 'Bearer ' + task.token });
  }
  for (const s of screens) s.destroy();
  return { rounds, calls };
}

process.on('message', async (task) => {
  try {
    const result = task.kind === 'fanout' ? await fanout(task) : await load(task);
    process.send({ ok: true, result });
  } catch (err) {
    process.send({ ok: false, error: String(err && err.stack || err) });
  }
});
`;

const clients = clientProcess(CLIENT);
const run = <T,>(task: Record<string, unknown>) => clients.run<T>(task);

interface LoadResult {
  latencies: number[];
  elapsedMs: number;
  statuses: Record<string, number>;
}

interface Row {
  what: string;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  cost: Cost;
}
const summarize = (what: string, r: LoadResult, cost: Cost): Row => {
  const s = [...r.latencies].sort((a, b) => a - b);
  return { what, perSecond: (r.latencies.length / r.elapsedMs) * 1000, p50: percentile(s, 50), p99: percentile(s, 99), statuses: r.statuses, cost };
};

/** One measured load, with the CPU it cost (call-next counts its complete as part of the call). */
async function measured(task: Record<string, unknown>, database?: Database): Promise<[LoadResult, Cost]> {
  const probe = await costProbe(database);
  const result = await run<LoadResult>(task);
  return [result, await probe.per(result.latencies.length)];
}

async function ceiling(): Promise<Row> {
  const bare = Fastify();
  const ticket = { id: '00000000-0000-4000-8000-000000000000', number: 'T001', serviceCode: 'T-001', status: 'waiting', ahead: 0, issuedAt: '2025-09-30T09:00:00+08:00' };
  bare.post('/api/v1/tickets', async (_req, reply) => reply.code(201).send(ticket));
  const base = await bare.listen({ host: '127.0.0.1', port: 0 });
  const bodies = [{ serviceCode: 'S-0', channel: 'kiosk' }];
  await run({ kind: 'load', base, path: '/api/v1/tickets', bodies, count: 2000, concurrency: CLIENTS });
  const [result, cost] = await measured({ kind: 'load', base, path: '/api/v1/tickets', bodies, count: TAKES * 2, concurrency: CLIENTS });
  await bare.close();
  return summarize('ceiling: bare Fastify POST returning a constant', result, cost);
}

async function seed(database: Database, staffCount: number) {
  const db = database.db;
  const [hall] = await db
    .insert(halls)
    .values({ code: 'BENCH', name: '基准测试中心', level: 'county', hours: { workday: [['00:00', '24:00']], weekend: [['00:00', '24:00']], ticketCutoffMinutes: 0 } })
    .returning({ id: halls.id });
  const hallId = hall!.id;
  const [dept] = await db.insert(departments).values({ hallId, name: '测试局' }).returning({ id: departments.id });
  const serviceRows = await db
    .insert(services)
    .values(
      Array.from({ length: SERVICES }, (_, i) => ({
        hallId,
        code: `S-${i}`,
        name: `事项${i}`,
        departmentId: dept!.id,
        kind: 'immediate' as const,
        legalLimitDays: 0,
        promisedLimitDays: 0,
        queuePrefix: String.fromCharCode(65 + i),
      })),
    )
    .returning({ id: services.id });
  const passwordHash = await hashPassword(PASSWORD);
  const staff: { windowId: string; username: string }[] = [];
  for (let i = 1; i <= staffCount; i++) {
    const [win] = await db.insert(windows).values({ hallId, name: `${i}号窗口`, number: i, departmentId: dept!.id }).returning({ id: windows.id });
    await db.insert(windowServices).values(serviceRows.map((svc) => ({ windowId: win!.id, serviceId: svc.id })));
    const [user] = await db
      .insert(users)
      .values({ hallId, username: `staff${i}`, displayName: `窗口${i}`, passwordHash, roles: ['staff'], departmentId: dept!.id })
      .returning({ id: users.id });
    await db.insert(userWindows).values({ userId: user!.id, windowId: win!.id });
    staff.push({ windowId: win!.id, username: `staff${i}` });
  }
  return { hallId, staff };
}

interface Fanout {
  rounds: number[][];
  /** Time to the call-next response itself, per round. */
  calls: number[];
}

async function measure(label: string, database: Database): Promise<{ rows: Row[]; fanout: Fanout }> {
  await migrate(database);
  const { staff } = await seed(database, CLIENTS + 1);
  const rateLimits = process.env.BENCH_RATE_LIMITS === '0' ? undefined : rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: '1000000' });
  // The warm-up takes its tickets a day later than the measured runs, so they start with empty lines.
  const clock = fixedClock('2025-09-30T09:00:00+08:00');
  const ctx: AppContext = { database, db: database.db, clock, config: { ...defaultConfig, rateLimits } };
  const app = await buildApp(ctx);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const clients = [];
  for (const s of staff) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: s.username, password: PASSWORD } });
    clients.push({ windowId: s.windowId, token: res.json().token as string });
  }
  // Visitors spread over the hall's services, as in a real hall; every window takes all of them.
  const bodies = Array.from({ length: SERVICES }, (_, i) => ({ serviceCode: `S-${i}`, channel: 'kiosk' }));
  // Warm-up: connections, plans and the JIT (the first thousand tickets measured markedly slower).
  await run({ kind: 'load', base, path: '/api/v1/tickets', bodies, count: 2000, concurrency: CLIENTS });
  clock.set('2025-09-29T09:00:00+08:00');
  // A hall's database has statistics (autovacuum analyzes its tables); this one was created a moment ago.
  // Without them the planner counts a line by scanning the whole day's waiting tickets.
  if (database.kind === 'postgres') await database.query('ANALYZE');
  const take = await measured({ kind: 'load', base, path: '/api/v1/tickets', bodies, count: TAKES, concurrency: CLIENTS }, database);
  const callers = clients.slice(0, CLIENTS);
  const call = await measured({ kind: 'load', base, clients: callers, count: CALLS, concurrency: CLIENTS }, database);
  const screenWindow = clients[CLIENTS]!;
  const fan = await run<Fanout>({ kind: 'fanout', base, screens: SCREENS, rounds: FANOUT_ROUNDS, ...screenWindow });
  await app.close();
  return { rows: [summarize(`${label}: POST /tickets (take a ticket)`, ...take), summarize(`${label}: POST /windows/{id}/call-next`, ...call)], fanout: fan };
}

async function postgres(url: string): Promise<Database> {
  return openDatabase({ databaseUrl: await freshDatabase(url, 'onewindow_bench_queue') });
}

const f = (n: number) => n.toFixed(2).padStart(8);

/** The machine's 1-minute load average: the VM is shared, so every figure is read beside it. */
const load = () => os.loadavg()[0]!.toFixed(1);

async function main() {
  const loads = [`start ${load()}`];
  const top = await ceiling();
  loads.push(`after the ceiling ${load()}`);
  const rows: Row[] = [top];
  const fanouts: [string, Fanout][] = [];
  // BENCH_PGLITE=0 leaves the PGlite lane out (its call-next alone takes minutes) for a PostgreSQL-only run.
  const lanes: [string, () => Promise<Database>][] = process.env.BENCH_PGLITE === '0' ? [] : [['PGlite', () => openDatabase({})]];
  if (process.env.DATABASE_URL) lanes.push(['PostgreSQL', () => postgres(process.env.DATABASE_URL!)]);
  for (const [label, open] of lanes) {
    const database = await open();
    try {
      const result = await measure(label, database);
      rows.push(...result.rows);
      fanouts.push([label, result.fanout]);
      loads.push(`after ${label} ${load()}`);
    } finally {
      await database.close();
    }
  }
  const lines = [
    `queue over HTTP, ${CLIENTS} concurrent clients in a child process, rate limits ${process.env.BENCH_RATE_LIMITS === '0' ? 'off' : 'on'}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), Node ${process.version}`,
    `take-ticket ${TAKES} requests over ${SERVICES} services, call-next ${CALLS} calls by ${CLIENTS} windows taking all of them (each call followed by complete), fan-out ${SCREENS} screens x ${FANOUT_ROUNDS} calls`,
    `load average (1 min): ${loads.join(', ')}`,
    '',
    'CPU per request: µs of the server process (Node) and of the PostgreSQL backends; call-next includes its complete.',
    '',
    '| what | req/s | % of ceiling | p50 ms | p99 ms | Node CPU µs/req | PG CPU µs/req | statuses |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.perSecond.toFixed(0)} | ${((r.perSecond / top.perSecond) * 100).toFixed(1)}% | ${f(r.p50)} | ${f(r.p99)} | ${costCells(r.cost)} | ${Object.entries(r.statuses).map(([k, v]) => `${k}x${v}`).join(' ')} |`,
    ),
    '',
    'Fan-out: time from sending call-next to each screen receiving its `call` event (so it includes the call itself).',
    '',
    '| fan-out of a call | screens reached | p50 ms | p99 ms | max ms | rounds all within 200 ms | call-next response p50 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...fanouts.map(([label, { rounds, calls }]) => {
      const all = rounds.flat().sort((a, b) => a - b);
      const within = rounds.filter((r) => r.length === SCREENS && Math.max(...r) <= 200).length;
      const reached = Math.min(...rounds.map((r) => r.length));
      const callP50 = percentile([...calls].sort((a, b) => a - b), 50);
      return `| ${label}: ${SCREENS} SSE screens | ${reached} of ${SCREENS} | ${f(percentile(all, 50))} | ${f(percentile(all, 99))} | ${f(all.at(-1) ?? NaN)} | ${within} of ${rounds.length} | ${f(callP50)} |`;
    }),
  ];
  console.log(lines.join('\n'));
  clients.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
