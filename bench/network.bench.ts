// A city of 300 halls on one PostgreSQL: `DATABASE_URL=postgres://... npx tsx bench/network.bench.ts [cases]`.
//
// Creates a fresh database `onewindow_bench_network` next to the one DATABASE_URL names, applies the
// migrations and builds the network of issue 12: one city centre, 10 district centres, 90 township
// centres and 200 village stations, each with its departments, windows and staff. Then a year (2025) of
// cases, tickets, queue events and ratings, 2,400,000 cases by default (NETWORK_CASES or the argument),
// spread by weight: a district centre 8, a township 1.5, a station 0.3 (src/reports/test-month.ts).
// It times, in the same run, one district's monthly bulletin, dashboard and supervision board over its subtree (one
// district centre, 9 townships, 20 stations) against the baseline of the district centre alone, the
// yearly summary of the subtree, and the public "where is this item handled" over the 300 halls; and
// prints the plans of the queries a subtree adds (hall_id = any(...)). `REUSE=1` times an already
// generated database again. The load average is printed with the figures: the machine is shared.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { hashPassword } from '../src/auth/passwords.js';
import { halls } from '../src/org/tables.js';
import { subtreeIds } from '../src/org/network.js';
import { fixedClock } from '../src/server/clock.js';
import { defaultConfig, type AppContext } from '../src/server/context.js';
import { createReportsService } from '../src/reports/service.js';
import { createLevelsService } from '../src/catalog/levels.js';
import { hallCatalog, services } from '../src/catalog/tables.js';
import { generateMonth, seedReportHall, type GeneratedHall } from '../src/reports/test-month.js';
import type { AuthUser } from '../src/auth/service.js';
import { createCaseService } from '../src/cases/service.js';
import { benchDatabase, benchServerUrl } from './database.js';
import { loads, timeRounds } from './timing.js';

const DB_NAME = 'onewindow_bench_network';
const MONTH = '2025-09';
const CASES = Number(process.argv[2] ?? process.env.NETWORK_CASES ?? 2_400_000);
const WEIGHT = { city: 0, county: 8, township: 1.5, village: 0.3 } as const;
const HOURS = { workday: [['09:00', '12:00'], ['13:00', '17:00']] as [string, string][], weekend: [], ticketCutoffMinutes: 30 };

type Level = keyof typeof WEIGHT;
interface Built {
  id: string;
  code: string;
  level: Level;
}

/** The 301 halls: CITY; D01..D10; T0101..T1009 (9 per district); V010101.. (20 per district: 3 under each of the first two townships, 2 under the rest). */
async function buildNetwork(database: Database): Promise<Built[]> {
  const db = database.db;
  const out: Built[] = [];
  const add = async (parentId: string | null, level: Level, code: string, name: string, address: string) => {
    const [h] = await db.insert(halls).values({ parentId, level, code, name, address, hours: HOURS }).returning({ id: halls.id });
    out.push({ id: h!.id, code, level });
    return h!.id;
  };
  const city = await add(null, 'city', 'CITY', '基准市政务服务中心', '基准市人民路 1 号');
  for (let d = 1; d <= 10; d++) {
    const dd = String(d).padStart(2, '0');
    const district = await add(city, 'county', `D${dd}`, `第${d}区政务服务中心`, `基准市第${d}区中心路 1 号`);
    for (let t = 1; t <= 9; t++) {
      const tt = `${dd}${String(t).padStart(2, '0')}`;
      const township = await add(district, 'township', `T${tt}`, `第${d}区${t}号镇为民服务中心`, `基准市第${d}区${t}号镇正街 2 号`);
      for (let v = 1; v <= (t <= 2 ? 3 : 2); v++) await add(township, 'village', `V${tt}${String(v).padStart(2, '0')}`, `第${d}区${t}号镇${v}村便民服务站`, `基准市第${d}区${t}号镇${v}村村委会`);
    }
  }
  return out;
}

async function main() {
  const { url, reused: reuse } = await benchDatabase(benchServerUrl(), DB_NAME, { variable: 'REUSE' });
  const database = await openDatabase({ databaseUrl: url });
  await migrate(database);
  const db = database.db;
  console.log(`load average at start ${loads()}`);
  let network: Built[];
  if (reuse) {
    network = await database.query<Built>(`SELECT id, code, level FROM halls ORDER BY code`);
  } else {
    network = await buildNetwork(database);
    const passwordHash = await hashPassword('Bench2025!');
    const generated = new Map<string, GeneratedHall>();
    await timeRounds(`seed ${network.length} halls: departments, windows, staff`, async () => {
      for (const [i, h] of network.entries()) {
        const size = h.level === 'county' || h.level === 'city' ? { departments: 3, windowsPerDepartment: 2 } : { departments: 1, windowsPerDepartment: h.level === 'township' ? 2 : 1 };
        // Window numbers name the staff accounts (gen<number>_0), which are unique across the network.
        generated.set(h.id, await seedReportHall(db, h.id, { ...size, staffPerWindow: 1, passwordHash, firstWindowNumber: 101 + i * 10 }));
      }
    });
    const units = network.reduce((a, h) => a + WEIGHT[h.level], 0);
    const perUnit = CASES / units / 12;
    await timeRounds(`generate a year: ${CASES.toLocaleString('en')} cases with tickets, events, ratings`, async () => {
      for (let m = 1; m <= 12; m++) {
        const month = `2025-${String(m).padStart(2, '0')}`;
        for (const h of network) {
          const n = Math.round(perUnit * WEIGHT[h.level]);
          if (n > 0) await generateMonth(db, h.id, generated.get(h.id)!, month, n);
        }
        console.log(`  ${month} generated   load ${loads()}`);
      }
    });
    // One item of the district centre D01 taken in by every station and decided by the townships.
    const d01 = network.find((h) => h.code === 'D01')!;
    const [item] = await db.select({ id: services.id }).from(services).where(sql`${services.hallId} = ${d01.id}`).limit(1);
    const under = new Set(await subtreeIds(db, [d01.id]));
    await db.insert(hallCatalog).values(
      network.filter((h) => under.has(h.id) && h.id !== d01.id).map((h) => ({ hallId: h.id, serviceId: item!.id, mode: h.level === 'township' ? ('decide' as const) : ('forward' as const) })),
    );
  }
  // A database in steady state has been vacuumed: index-only scans need the visibility map.
  await database.query('VACUUM ANALYZE');
  const counts = await database.query<{ t: string; n: string }>(
    `SELECT 'halls' t, count(*) n FROM halls UNION ALL SELECT 'cases', count(*) FROM cases UNION ALL SELECT 'tickets', count(*) FROM tickets UNION ALL SELECT 'ticket_events', count(*) FROM ticket_events UNION ALL SELECT 'ratings', count(*) FROM ratings`,
  );
  console.log(counts.map((c) => `${c.t} ${Number(c.n).toLocaleString('en')}`).join(', '));

  const ctx: AppContext = { database, db, clock: fixedClock('2026-01-08T10:00:00+08:00'), config: { ...defaultConfig } };
  const reports = createReportsService(ctx);
  const d01 = network.find((h) => h.code === 'D01')!;
  const subtree = await subtreeIds(db, [d01.id]);
  const township = network.find((h) => h.code === 'T0101')!;
  console.log(`district D01: ${subtree.length} halls in its subtree`);

  console.log('monthly bulletin (2025-09):');
  const firstOne = await timeRounds('  district centre alone, first read (builds its days)', () => reports.monthly([d01.id], MONTH));
  const firstAll = await timeRounds('  district subtree, first read (builds the other halls’ days)', () => reports.monthly(subtree, MONTH));
  console.log(`    subtree accepted ${firstAll.result.casesAccepted} (centre alone ${firstOne.result.casesAccepted}), on time ${firstAll.result.onTimeRate}, satisfaction ${firstAll.result.satisfaction}`);
  const base = await timeRounds('  baseline: district centre alone, days built', () => reports.monthly([d01.id], MONTH), 5);
  const town = await timeRounds('  one township centre alone, days built', () => reports.monthly([township.id], MONTH), 5);
  const whole = await timeRounds(`  district subtree (${subtree.length} halls), days built`, () => reports.monthly(subtree, MONTH), 3);
  console.log(`    ratio subtree / centre alone ${(whole.median / base.median).toFixed(1)}x; per hall of the subtree ${(whole.median / subtree.length).toFixed(0)} ms (township alone ${town.median.toFixed(0)} ms)`);

  console.log('dashboard (2025-09, one month):');
  const dBase = await timeRounds('  baseline: district centre alone', () => reports.dashboard([d01.id], `${MONTH}-01`, `${MONTH}-30`), 5);
  const dWhole = await timeRounds(`  district subtree (${subtree.length} halls)`, () => reports.dashboard(subtree, `${MONTH}-01`, `${MONTH}-30`), 5);
  console.log(`    ratio subtree / centre alone ${(dWhole.median / dBase.median).toFixed(1)}x`);

  console.log('supervision board (open cases by light, overdue first), as the district supervisor:');
  const cases = createCaseService(ctx);
  const supervisor: AuthUser = { id: randomUUID(), username: 'bench', displayName: '基准督查', roles: ['supervisor'], hallId: d01.id, departmentId: null, windowIds: [] };
  const bBase = await timeRounds('  baseline: district centre alone', () => cases.board(supervisor, 'hall', undefined), 5);
  const bWhole = await timeRounds(`  district subtree (${subtree.length} halls)`, () => cases.board(supervisor, 'hall', undefined, { subtree: true }), 5);
  console.log(`    open ${bWhole.result.counts.total} in the subtree (centre alone ${bBase.result.counts.total}); ratio ${(bWhole.median / bBase.median).toFixed(1)}x`);

  console.log('yearly summary (2025):');
  const yBase = await timeRounds('  baseline: district centre alone (builds its year)', () => reports.yearly([d01.id], 2025));
  const yWhole = await timeRounds(`  district subtree (${subtree.length} halls, builds their year)`, () => reports.yearly(subtree, 2025));
  await timeRounds('  district subtree again, days built', () => reports.yearly(subtree, 2025), 3);
  console.log(`    subtree accepted ${yWhole.result.casesAccepted} (centre alone ${yBase.result.casesAccepted})`);

  console.log('public: where an item is handled, nearest hall (300 halls):');
  const levels = createLevelsService(ctx);
  const [item] = await db.select({ code: services.code }).from(services).where(sql`${services.hallId} = ${d01.id}`).limit(1);
  await db.execute(sql`update services set current_guide_version = 1 where hall_id = ${d01.id} and code = ${item!.code}`);
  await timeRounds('  places by chosen village', () => levels.places(d01.id, item!.code, { near: 'V010901' }), 20);
  await timeRounds('  places by typed address', () => levels.places(d01.id, item!.code, { address: '基准市第1区9号镇1村3组' }), 20);

  console.log('plans of the subtree queries:');
  const ids = `'{${subtree.join(',')}}'::uuid[]`;
  for (const [label, query] of [
    ['open cases by light (dashboard, board)', `select department_id, light, count(*) from cases where hall_id = any(${ids}) and finished_at is null and light in ('red', 'yellow', 'reminder') group by 1, 2`],
    ['ratings by day (dashboard)', `select department_id, grade, sum(n) from report_rating_days where hall_id = any(${ids}) and local_date between '2025-09-01' and '2025-09-30' group by 1, 2`],
    ['case roll-up days (bulletin, per hall)', `select * from report_case_days where hall_id = '${township.id}' and local_date between '2025-09-01' and '2025-09-30'`],
    ['cases accepted in a month (a day built, per hall)', `select count(*) from cases where hall_id = '${township.id}' and accepted_at >= '2025-09-10' and accepted_at < '2025-09-11'`],
  ] as const) {
    const plan = await database.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`);
    console.log(`  ${label}:`);
    for (const row of plan) console.log(`    ${row['QUERY PLAN']}`);
  }
  console.log(`load average at end ${loads()}`);
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
