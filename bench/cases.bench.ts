// A year of a busy district hall on PostgreSQL: `DATABASE_URL=postgres://... npx tsx bench/cases.bench.ts`.
//
// Creates a fresh database `onewindow_bench_cases` next to the one DATABASE_URL names, applies the
// migrations and generates 900,000 cases (868,953 in a year at the district hall of seed 000) with two
// log rows each, in SQL with generate_series. One department has 10,000 open cases. Then, over real
// HTTP with 50 concurrent keep-alive clients in a child process (so the load generator neither shares
// the server's event loop nor counts in its CPU time, bench/load.ts), in the same run, each with its
// CPU µs per request of Node and of the PostgreSQL backends:
//   - ceiling: a bare Fastify GET route returning a constant progress answer;
//   - GET /health: the app's whole hook chain and one `SELECT 1`;
//   - GET /api/v1/public/cases/{n}: the public progress query, random case numbers;
//   - GET /api/v1/public/cases/{n}?idLast4=: the same with the detail (history from the log);
// and, one request at a time, the department board of the department with 10,000 open cases and the
// hall board. Targets (issue 7): progress query p99 under 20 ms at 50 clients; board under 200 ms.
// The production rate limits are on (scaled so the clients, one address, never reach them), on the
// shared PostgreSQL store (src/server/rate-store.ts); BENCH_RATE_LIMITS=0 runs without them.
import os from 'node:os';
import Fastify from 'fastify';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/server/app.js';
import { fixedClock } from '../src/server/clock.js';
import { defaultConfig, type AppContext } from '../src/server/context.js';
import { rateLimitsFromEnv } from '../src/server/rate-limits.js';
import { hashPassword } from '../src/auth/passwords.js';
import { users } from '../src/auth/tables.js';
import { departments, halls, services } from '../src/org/tables.js';
import { personalData } from '../src/cases/personal.js';
import { benchDatabase, benchServerUrl } from './database.js';
import { clientProcess, costCells, costProbe, type Cost } from './load.js';
import { ms, stats, time } from './timing.js';

const CASES = Number(process.env.BENCH_CASES ?? 900_000);
const OPEN_IN_DEPARTMENT = 10_000;
const DEPARTMENTS = 12;
const CLIENTS = 50;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const BOARD_RUNS = Number(process.env.BENCH_BOARD_RUNS ?? 50);
const NOW = '2025-12-31T10:00:00+08:00';
const PASSWORD = 'Bench-Passw0rd';
const DB_NAME = 'onewindow_bench_cases';
/** Distinct sealed ID numbers and phones the generated cases cycle through. */
const SEALED_POOL = 64;

const CLIENT = String.raw`
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
function get(base, path) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, base);
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}
process.on('message', async (task) => {
  try {
    let next = 0;
    const latencies = [];
    const statuses = {};
    const start = performance.now();
    await Promise.all(Array.from({ length: task.concurrency }, async () => {
      while (next < task.paths.length) {
        const path = task.paths[next++];
        const t0 = performance.now();
        const status = await get(task.base, path);
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] || 0) + 1;
      }
    }));
    process.send({ ok: true, result: { latencies, elapsedMs: performance.now() - start, statuses } });
  } catch (err) {
    process.send({ ok: false, error: String((err && err.stack) || err) });
  }
});
`;

interface LoadResult {
  latencies: number[];
  elapsedMs: number;
  statuses: Record<string, number>;
}
const clients = clientProcess(CLIENT);
const load = (base: string, paths: string[]) => clients.run<LoadResult>({ base, paths, concurrency: CLIENTS });

async function generate(database: Database) {
  const db = database.db;
  const [hall] = await db
    .insert(halls)
    .values({ code: 'BENCH', name: '基准测试区政务服务中心', level: 'county', hours: { workday: [['09:00', '12:00'], ['13:00', '17:00']], weekend: [], ticketCutoffMinutes: 30 } })
    .returning({ id: halls.id });
  const hallId = hall!.id;
  const depts = await db
    .insert(departments)
    .values(Array.from({ length: DEPARTMENTS }, (_, i) => ({ hallId, name: `部门${i + 1}`, sortOrder: i })))
    .returning({ id: departments.id });
  const svc = await db
    .insert(services)
    .values(
      depts.flatMap((d, i) =>
        Array.from({ length: 5 }, (_, j) => ({
          hallId,
          code: `B-${i}-${j}`,
          name: `基准事项${i + 1}-${j + 1}`,
          departmentId: d.id,
          kind: j === 0 ? ('immediate' as const) : ('promised' as const),
          legalLimitDays: 20,
          promisedLimitDays: j === 0 ? 0 : 5,
          queuePrefix: 'A',
        })),
      ),
    )
    .returning({ id: services.id, departmentId: services.departmentId, name: services.name });
  const passwordHash = await hashPassword(PASSWORD);
  await db.insert(users).values({ hallId, username: 'bench.leader', displayName: '基准负责人', passwordHash, roles: ['leader'], departmentId: depts[0]!.id });
  await db.insert(users).values({ hallId, username: 'bench.supervisor', displayName: '基准督查', passwordHash, roles: ['supervisor'], departmentId: null });

  // A year of cases, ~2,466 a day. Service s = i % 60 (department s / 5). Finished ones are delivered;
  // the last 40,000 are open, and department 1's last 10,000 too. Open cases' deadlines fall from two
  // days overdue to twelve days ahead of the benchmark's clock, with the lights to match.
  const perDay = Math.ceil(CASES / 365);
  const openAll = 40_000;
  const openDept = OPEN_IN_DEPARTMENT * DEPARTMENTS;
  const services60 = `(ARRAY[${svc.map((s) => `'${s.id}'::uuid`).join(',')}])`;
  const depts60 = `(ARRAY[${svc.map((s) => `'${s.departmentId}'::uuid`).join(',')}])`;
  const names60 = `(ARRAY[${svc.map((s) => `'${s.name}'`).join(',')}])`;
  // Numbers are sealed at rest (AES-256-GCM): SQL cannot seal, so cases take theirs from a pool sealed here.
  const pd = await personalData(database.db);
  const pool = (make: (k: number) => string) => `(ARRAY[${Array.from({ length: SEALED_POOL }, (_, k) => `'${pd.seal(make(k))}'`).join(',')}])`;
  const ids = pool((k) => `110105${19500101 + k}${String(k).padStart(3, '0')}X`);
  const phones = pool((k) => `138${String(k).padStart(8, '0')}`);
  const [genMs] = await time(() =>
    database.query(`
      INSERT INTO cases (hall_id, case_number, service_id, service_name, guide_version, department_id, kind, accepted_kind, status,
                         applicant_type, applicant_name, applicant_id_number_enc, applicant_phone_enc, materials, limit_days,
                         received_at, accepted_at, deadline_at, deadline_date, light, finished_at, delivered_at, version)
      SELECT '${hallId}', c.number, ${services60}[c.s + 1], ${names60}[c.s + 1], 1, ${depts60}[c.s + 1], 'promised', 'promised',
             CASE WHEN c.open THEN 'accepted' ELSE 'delivered' END,
             'person', '张' || (c.i % 1000), ${ids}[c.i % ${SEALED_POOL} + 1], ${phones}[c.i % ${SEALED_POOL} + 1], '[{"id":"form","name":"申请表","required":true,"condition":"","received":true}]', 5,
             c.received, c.received, c.deadline, (c.deadline AT TIME ZONE 'Asia/Shanghai')::date,
             CASE WHEN NOT c.open THEN 'green'
                  WHEN c.deadline < timestamptz '${NOW}' THEN 'red'
                  WHEN c.deadline < timestamptz '${NOW}' + interval '1 day' THEN 'yellow'
                  WHEN c.deadline < timestamptz '${NOW}' + interval '2 days' THEN 'reminder' ELSE 'green' END,
             CASE WHEN c.open THEN NULL ELSE c.received + interval '3 days' END,
             CASE WHEN c.open THEN NULL ELSE c.received + interval '4 days' END,
             2
      FROM (
        SELECT g.i, g.i % 60 AS s,
               'BENCH-' || to_char(date '2025-01-01' + (g.i / ${perDay}), 'YYYYMMDD') || '-' || lpad((g.i % ${perDay} + 1)::text, 5, '0') AS number,
               timestamptz '2025-01-01T09:00:00+08:00' + (g.i / ${perDay}) * interval '1 day' + (g.i % ${perDay}) * interval '10 seconds' AS received,
               (g.i >= ${CASES - openAll} OR (g.i % 60 < 5 AND g.i >= ${CASES - openDept})) AS open,
               timestamptz '${NOW}' + ((g.i::bigint * 7919) % 20160 - 2880) * interval '1 minute' AS deadline
        FROM generate_series(0, ${CASES - 1}) AS g(i)
      ) c`),
  );
  // The log: received and accepted for every case; finished ones completed and delivered.
  const [logMs] = await time(() =>
    database.query(`
      INSERT INTO case_actions (hall_id, case_id, seq, action, status_after, actor_name, facts, at)
      SELECT c.hall_id, c.id, a.seq, a.action, a.status, '基准人员',
             CASE WHEN a.seq = 1 THEN '{"acceptedKind":"promised","limitDays":5,"required":["form"],"received":["form"],"tasks":[]}'::jsonb ELSE '{}'::jsonb END,
             c.received_at + a.seq * interval '1 minute'
      FROM cases c
      CROSS JOIN LATERAL (VALUES (1, 'receive', 'received'), (2, 'accept', 'accepted')) AS a(seq, action, status)`),
  );
  // As autovacuum would have done over a year: statistics and the visibility map (index-only counts).
  await database.query('VACUUM ANALYZE');
  return { departmentIds: depts.map((d) => d.id), genMs, logMs };
}

async function existing(database: Database) {
  const depts = await database.query<{ id: string }>(`SELECT id FROM departments ORDER BY sort_order`);
  return { departmentIds: depts.map((d) => d.id), genMs: 0, logMs: 0 };
}

async function main() {
  // Reused only when it holds the cases this run asks for.
  const target = await benchDatabase(benchServerUrl(), DB_NAME, {
    variable: 'BENCH_REUSE',
    usable: async (probe) => (await probe.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`)).rows[0]?.n === CASES,
  });
  const database = await openDatabase({ databaseUrl: target.url });
  const db = database.db;
  await migrate(database);
  const { departmentIds, genMs, logMs } = target.reused ? await existing(database) : await generate(database);

  const [{ open: openTotal }] = (await database.query<{ open: string }>('SELECT count(*) AS open FROM cases WHERE finished_at IS NULL')) as [{ open: string }];
  const [{ open: openDept0 }] = (await database.query<{ open: string }>(`SELECT count(*) AS open FROM cases WHERE finished_at IS NULL AND department_id = '${departmentIds[0]!}'`)) as [
    { open: string },
  ];

  const rateLimits = process.env.BENCH_RATE_LIMITS === '0' ? undefined : rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: '1000000' });
  const ctx: AppContext = { database, db, clock: fixedClock(NOW), config: { ...defaultConfig, rateLimits } };
  const app = await buildApp(ctx);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const bare = Fastify();
  const constant = { caseNumber: 'BENCH-20251231-00001', serviceName: '基准事项1-2', department: '部门1', applicant: { type: 'person', name: '张*' }, acceptedAt: NOW, status: 'accepted', deadline: NOW };
  bare.get('/constant', async () => constant);
  const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });

  const pd = await personalData(db);
  const numbers = (await database.query<{ n: string; e: string }>(`SELECT case_number AS n, applicant_id_number_enc AS e FROM cases TABLESAMPLE SYSTEM (1) LIMIT 5000`)).map(
    (r) => [r.n, pd.open(r.e)!.slice(-4)] as const,
  );
  const pick = (i: number) => numbers[(i * 2654435761) % numbers.length]!;
  const progressPaths = Array.from({ length: REQUESTS }, (_, i) => `/api/v1/public/cases/${pick(i)[0]}`);
  const detailPaths = Array.from({ length: REQUESTS }, (_, i) => `/api/v1/public/cases/${pick(i)[0]}?idLast4=${pick(i)[1]}`);
  const barePaths = Array.from({ length: REQUESTS }, () => '/constant');
  const healthPaths = Array.from({ length: REQUESTS }, () => '/health');
  const costs = new Map<LoadResult, Cost>();
  const measured = async (at: string, paths: string[]) => {
    const probe = await costProbe(database);
    const result = await load(at, paths);
    costs.set(result, await probe.per(paths.length));
    return result;
  };
  const loads = [`start ${os.loadavg()[0]!.toFixed(1)}`];

  // Warm-up: connections, plans, JIT, and the pages a busy hall keeps in memory. A whole run of progress
  // queries: a server answers them all day, and the first thousands (the JIT at work) measured slower.
  await load(base, progressPaths);
  await load(base, detailPaths.slice(0, 5000));
  await load(bareBase, barePaths.slice(0, 2000));
  await load(base, healthPaths.slice(0, 2000));
  const bareRun = await measured(bareBase, barePaths);
  const healthRun = await measured(base, healthPaths);
  const progressRun = await measured(base, progressPaths);
  const detailRun = await measured(base, detailPaths);
  const bareRun2 = await measured(bareBase, barePaths);
  loads.push(`end ${os.loadavg()[0]!.toFixed(1)}`);

  const login = async (username: string) =>
    (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } })).json().token as string;
  const leader = await login('bench.leader');
  const supervisor = await login('bench.supervisor');
  const board = async (token: string, scope: string) => {
    const res = await fetch(`${base}/api/v1/cases/board?scope=${scope}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`board ${res.status}: ${await res.text()}`);
    return (await res.json()) as { counts: { total: number }; cases: unknown[] };
  };
  const boardSamples: number[] = [];
  const hallSamples: number[] = [];
  let boardCounts = 0;
  let boardRows = 0;
  for (let i = 0; i < BOARD_RUNS + 5; i++) {
    const [a, d] = await time(() => board(leader, 'department'));
    const [b] = await time(() => board(supervisor, 'hall'));
    if (i < 5) continue;
    boardSamples.push(a);
    hallSamples.push(b);
    boardCounts = d.counts.total;
    boardRows = d.cases.length;
  }

  const rate = (r: LoadResult) => ((r.latencies.length / r.elapsedMs) * 1000).toFixed(0).padStart(6);
  const row = (label: string, r: LoadResult) => {
    const s = stats(r.latencies);
    return `| ${label} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${rate(r)} | ${costCells(costs.get(r)!)} |`;
  };
  const p = stats(progressRun.latencies);
  const bs = stats(boardSamples);
  const hs = stats(hallSamples);
  const lines = [
    `cases: ${CASES.toLocaleString('en')} cases, ${openTotal} open (${openDept0} in the board's department), PostgreSQL, Node ${process.version}, pool ${process.env.DB_POOL_SIZE ?? 10}`,
    target.reused ? 'generation: reused the database of a previous run (BENCH_REUSE=1)' : `generation: cases ${(genMs / 1000).toFixed(1)} s, log ${(logMs / 1000).toFixed(1)} s`,
    '',
    `${CLIENTS} concurrent clients over HTTP, ${REQUESTS} requests each run, rate limits ${rateLimits ? 'on' : 'off'}, load average (1 min) ${loads.join(', ')}`,
    '| what | p50 ms | p99 ms | max ms | req/s | Node CPU µs/req | PG CPU µs/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('baseline: bare Fastify route, constant answer (before)', bareRun),
    row('GET /health (hook chain and SELECT 1)', healthRun),
    row('GET /public/cases/{n} (progress query)', progressRun),
    row('GET /public/cases/{n}?idLast4= (with detail and history)', detailRun),
    row('baseline: bare Fastify route, constant answer (after)', bareRun2),
    `statuses: progress ${JSON.stringify(progressRun.statuses)}, detail ${JSON.stringify(detailRun.statuses)}`,
    '',
    `boards, one request at a time, ${BOARD_RUNS} runs`,
    '| what | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: |',
    `| GET /cases/board?scope=department (${boardCounts} open, first ${boardRows} rows) | ${ms(bs.p50)} | ${ms(bs.p99)} | ${ms(bs.max)} |`,
    `| GET /cases/board?scope=hall (${DEPARTMENTS} departments) | ${ms(hs.p50)} | ${ms(hs.p99)} | ${ms(hs.max)} |`,
    '',
    p.p99 < 20 ? 'PASS: progress query p99 under 20 ms' : 'FAIL: progress query p99 is 20 ms or more',
    bs.p99 < 200 ? 'PASS: department board under 200 ms' : 'FAIL: department board 200 ms or more',
  ];
  console.log(lines.join('\n'));
  await app.close();
  await bare.close();
  await database.close();
  clients.close();
  if (p.p99 >= 20 || bs.p99 >= 200) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
