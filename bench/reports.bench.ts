// A city month on PostgreSQL: `DATABASE_URL=postgres://... npx tsx bench/reports.bench.ts [cases]`.
//
// Creates a fresh database `onewindow_bench_reports` next to the one DATABASE_URL names, applies the
// migrations, seeds a hall of 20 departments x 3 windows (2 staff each), and generates one month of
// 1,000,000 cases (default) with a ticket and four queue events each, 100,000 consultation tickets and a
// rating for a third of the finished cases (src/reports/test-month.ts). Then it times the monthly
// bulletin (first read, which also scans the month for extended services, and later reads), its PDF
// and .xlsx, each part of the bulletin on its own, and the dashboard. Targets: bulletin under 2 s,
// dashboard under 0.2 s. `REUSE=1` times an already generated database again without regenerating it.
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { hashPassword } from '../src/auth/passwords.js';
import { halls } from '../src/org/tables.js';
import { fixedClock } from '../src/server/clock.js';
import { defaultConfig, type AppContext } from '../src/server/context.js';
import { bulletinPdf } from '../src/reports/pdf.js';
import { createReportsService } from '../src/reports/service.js';
import { bulletinXlsx } from '../src/reports/xlsx.js';
import { caseFigures, consultationsByWindow } from '../src/reports/case-figures.js';
import { rebuildDay } from '../src/reports/rollups.js';
import { ratingIndicators } from '../src/feedback/indicators.js';
import { monthBounds } from '../src/staff/hall.js';
import { generateMonth, seedReportHall } from '../src/reports/test-month.js';
import { benchDatabase, benchServerUrl } from './database.js';
import { timeRounds } from './timing.js';

const DB_NAME = 'onewindow_bench_reports';
const MONTH = '2025-09';
const CASES = Number(process.argv[2] ?? 1_000_000);

async function main() {
  const { url, reused: reuse } = await benchDatabase(benchServerUrl(), DB_NAME, { variable: 'REUSE' });
  const database = await openDatabase({ databaseUrl: url });
  await migrate(database);
  const db = database.db;
  let hallId: string;
  if (reuse) {
    hallId = (await database.query<{ id: string }>(`SELECT id FROM halls WHERE code = 'BENCHR'`))[0]!.id;
  } else {
    const [hall] = await db
      .insert(halls)
      .values({ code: 'BENCHR', name: '基准测试市政务服务中心', level: 'city', hours: { workday: [['09:00', '12:00'], ['13:00', '17:00']], weekend: [], ticketCutoffMinutes: 30 } })
      .returning({ id: halls.id });
    hallId = hall!.id;
    const generated = await seedReportHall(db, hallId, { departments: 20, windowsPerDepartment: 3, staffPerWindow: 2, passwordHash: await hashPassword('Bench2025!') });
    await timeRounds(`generate ${CASES.toLocaleString('en')} cases, tickets, events, ratings`, () => generateMonth(db, hallId, generated, MONTH, CASES));
  }
  // A database in steady state has been vacuumed: index-only scans need the visibility map.
  await database.query('VACUUM ANALYZE');
  const counts = await database.query<{ t: string; n: string }>(
    `SELECT 'cases' t, count(*) n FROM cases UNION ALL SELECT 'tickets', count(*) FROM tickets UNION ALL SELECT 'ticket_events', count(*) FROM ticket_events UNION ALL SELECT 'ratings', count(*) FROM ratings`,
  );
  console.log(counts.map((c) => `${c.t} ${Number(c.n).toLocaleString('en')}`).join(', '));

  const ctx: AppContext = { database, db, clock: fixedClock('2025-10-08T10:00:00+08:00'), config: { ...defaultConfig } };
  const reports = createReportsService(ctx);
  const h = await reports.staff.hallOf(hallId);
  const bounds = monthBounds(MONTH, h.zone);
  const now = ctx.clock.now();
  if (!reuse) {
    await timeRounds('one day built: roll-ups (cases + queue)', () => rebuildDay(db, h, `${MONTH}-10`, now), 3);
    await timeRounds('one day built: extended-service scan', () => reports.extended.scanDay(h, `${MONTH}-10`), 3);
    const { result: first } = await timeRounds('bulletin, first read (builds the 30 days)', () => reports.monthly([hallId], MONTH));
    console.log(`  accepted ${first.casesAccepted}, finished ${first.casesFinished}, on time ${first.onTimeRate}, satisfaction ${first.satisfaction}, extended ${first.extendedServices.count}`);
  }
  console.log('bulletin parts, days built:');
  await timeRounds('  case figures (roll-up)', () => caseFigures(db, h, bounds.from, bounds.to, now), 5);
  await timeRounds('  consultations per window (roll-up)', () => consultationsByWindow(db, h, bounds.from, bounds.to, now), 5);
  await timeRounds('  attendance tables', () => reports.staff.monthlyAttendance(hallId, MONTH), 5);
  await timeRounds('  extended services (scanned days)', () => reports.extended.between(hallId, bounds.from, bounds.to, h), 5);
  await timeRounds('  registers, inspections, gaps, awards', () => Promise.all([reports.staff.register(hallId, MONTH), reports.staff.inspections(hallId, MONTH), reports.staff.gaps.gaps(hallId, MONTH), reports.assessment.awards(hallId, MONTH)]), 5);
  await timeRounds('  ratingIndicators (src/feedback)', () => ratingIndicators(db, hallId, MONTH, now), 3);
  const { result: b } = await timeRounds('bulletin JSON, whole', () => reports.monthly([hallId], MONTH), 3);
  await timeRounds('  PDF from the bulletin', () => bulletinPdf(b), 3);
  await timeRounds('  .xlsx from the bulletin', () => bulletinXlsx(b), 3);
  await timeRounds('dashboard, one month (all six queries together)', () => reports.dashboard([hallId], `${MONTH}-01`, `${MONTH}-30`), 5);
  await timeRounds('dashboard, one week', () => reports.dashboard([hallId], `${MONTH}-08`, `${MONTH}-14`), 5);
  await timeRounds('dashboard, one day', () => reports.dashboard([hallId], `${MONTH}-10`, `${MONTH}-10`), 5);
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
