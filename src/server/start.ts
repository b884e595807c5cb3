import { join, resolve } from 'node:path';
import { packageRoot } from '../db/paths.js';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { keyring } from '../shared/data-key.js';
import { seedDemoHall } from '../demo/seed.js';
import { seedDemoActivity } from '../demo/activity.js';
import { backupScheduleFromEnv, createNightlyBackup } from '../ops/nightly.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { buildApp, LOG_REDACT } from './app.js';
import { LOG_SERIALIZERS } from './logging.js';
import { ensureAdmin, isEmpty } from './bootstrap.js';
import { systemClock } from './clock.js';
import { defaultConfig, type AppConfig, type AppContext } from './context.js';
import { rateLimitsFromEnv } from './rate-limits.js';
import { timerHandlers } from './timer-handlers.js';
import { startWorkers } from './workers.js';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  demo: boolean;
  /** With `demo`, also a few weeks of queue, cases and ratings (`ONEWINDOW_DEMO_ACTIVITY=0`: the hall only). */
  demoActivity?: boolean;
}

export const WEB_ROOT = join(packageRoot(), 'dist', 'web');

/** The production settings from the environment (docs/operations.md lists every variable). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const trust = env.ONEWINDOW_TRUST_PROXY;
  const lag = Number(env.ONEWINDOW_MAX_TIMER_LAG_SECONDS ?? defaultConfig.maxTimerLagSeconds);
  if (!Number.isFinite(lag) || lag <= 0) throw new Error(`ONEWINDOW_MAX_TIMER_LAG_SECONDS 应为正数：${env.ONEWINDOW_MAX_TIMER_LAG_SECONDS}`);
  return {
    ...defaultConfig,
    webRoot: WEB_ROOT,
    rateLimits: rateLimitsFromEnv(env),
    trustProxy: trust === undefined || trust === '' ? defaultConfig.trustProxy : trust === 'true' ? true : trust === 'false' ? false : trust,
    maxTimerLagSeconds: lag,
    metricsToken: env.ONEWINDOW_METRICS_TOKEN || undefined,
  };
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(options: ServeOptions, log: (line: string) => void = console.log): Promise<RunningServer> {
  const database = await openDatabase(
    options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: resolve(options.dataDir) },
  );
  try {
    await migrate(database);
    // A wrong key setting stops the start here, not at the first visitor whose number must be sealed.
    await keyring(database.db);
    const ctx: AppContext = { database, db: database.db, clock: systemClock, config: configFromEnv() };
    if (options.demo && (await isEmpty(database.db))) {
      const { accounts } = await seedDemoHall(database.db);
      log(`已创建演示大厅“随县政务服务中心”。演示账号（密码均为 ${DEMO_PASSWORD}）：`);
      for (const a of accounts) log(`  ${a.username.padEnd(16)} ${a.displayName}（${a.roles.join(',')}）`);
      if (options.demoActivity !== false) log((await seedDemoActivity(ctx)).summary);
    }
    const adminPassword = await ensureAdmin(database.db);
    if (adminPassword) log(`已创建管理员 admin，初始密码（只显示这一次）：${adminPassword}`);
    const app = await buildApp(ctx, { logger: { level: process.env.LOG_LEVEL ?? 'info', redact: LOG_REDACT, serializers: LOG_SERIALIZERS } });
    await app.listen({ port: options.port, host: options.host });
    const schedule = backupScheduleFromEnv();
    const backup = schedule && createNightlyBackup(database, systemClock, schedule, options.databaseUrl);
    await backup?.ensureScheduled();
    const workers = startWorkers(ctx, timerHandlers(ctx), { log: app.log, backup });
    const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}`;
    return {
      app,
      database,
      url,
      async stop() {
        await workers.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
