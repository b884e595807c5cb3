import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openDatabase, type Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { seedDemoHall } from '../demo/seed.js';
import { buildApp } from '../server/app.js';
import { ensureAdmin } from '../server/bootstrap.js';
import { systemClock } from '../server/clock.js';
import { defaultConfig } from '../server/context.js';
import { WEB_ROOT } from '../server/start.js';

const ROOT = join(WEB_ROOT, '..', '..');
const CHROMIUM = '/usr/bin/chromium';

export const DESKTOP = { width: 1366, height: 768 };
export const TABLET = { width: 1024, height: 768 };
/** A common phone (iPhone 12-15 class), in CSS pixels. */
export const PHONE = { width: 390, height: 844 };

export interface BrowserHarness {
  /** Where the server listens, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  app: FastifyInstance;
  /** The server's database, for reading what no page shows (the SMS outbox). */
  database: Database;
  /** Uncaught exceptions thrown in any page: a test can require none. */
  pageErrors: string[];
  /** A fresh page with its own storage (no login, no saved language or elder mode). */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Signs in through the login page and waits for the staff home. Demo users share DEMO_PASSWORD. */
  loginAs(page: Page, username: string, password?: string): Promise<void>;
  /** A full-page screenshot, creating the folder. */
  screenshot(page: Page, path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real server on a free port of 127.0.0.1, with the demo hall in an in-memory database (admin's
 * password is DEMO_PASSWORD too), serving the built web app, and Debian's chromium driven by
 * playwright-core. One per test file: start it in beforeAll, close it in afterAll.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need ${CHROMIUM}: apt-get install -y chromium (or set SKIP_BROWSER_TESTS=1)`);
  ensureWebBuild();
  const database = await openDatabase({});
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  try {
    await migrate(database);
    await seedDemoHall(database.db);
    await ensureAdmin(database.db, DEMO_PASSWORD);
    app = await buildApp({ database, db: database.db, clock: systemClock, config: { ...defaultConfig, webRoot: WEB_ROOT } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    return harness(`http://127.0.0.1:${port}`, app, database, browser);
  } catch (err) {
    await browser?.close();
    await app?.close();
    await database.close();
    throw err;
  }
}

function harness(url: string, app: FastifyInstance, database: Database, browser: Browser): BrowserHarness {
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    url,
    app,
    database,
    pageErrors,
    async newPage(viewport = DESKTOP) {
      const phone = viewport.width < 600;
      // The hall's language and clock, whatever the machine running the tests uses.
      const context = await browser.newContext({
        viewport,
        baseURL: url,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        isMobile: phone,
        hasTouch: phone,
        deviceScaleFactor: phone ? 2 : 1,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
      return page;
    },
    async loginAs(page, username, password = DEMO_PASSWORD) {
      await page.goto('/login');
      await page.locator('input[name=username]').fill(username);
      await page.locator('input[name=password]').fill(password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/staff/);
    },
    async screenshot(page, path) {
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: true });
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await app.close();
      await database.close();
    },
  };
}

/**
 * Builds the web app when dist/web is missing or older than its sources (web/, and the shared schemas
 * under src/ it imports), so `npm test` works after `npm ci` and never drives yesterday's pages.
 */
export function ensureWebBuild(): void {
  const index = join(WEB_ROOT, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = [...files(join(ROOT, 'web')), ...files(join(ROOT, 'src')).filter((f) => /[\\/](schemas|roles)\.ts$/.test(f))];
  if (builtAt > 0 && sources.every((f) => statSync(f).mtimeMs <= builtAt)) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}
