import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { formatDate, parseDate } from '../calendar/dates.js';
import { localDate } from '../calendar/zone.js';
import { PARALLEL_QUERY_WARNING } from './parallel-queries.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves once the server printed that it started; rejects if it exits first. */
  started: Promise<void>;
  exited: Promise<number>;
  output(): string;
}

/** A free TCP port on 127.0.0.1 (released again before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real command, as a hall's technician runs it: `onewindow serve` in its own process, on a PGlite
 * folder or (with DATABASE_URL in env) a PostgreSQL database.
 */
export function spawnServer(options: { port: number; dataDir?: string; demo?: boolean; env?: Record<string, string> }): ServerProcess {
  // --trace-deprecation: a pg warning the server prints carries where it was raised.
  const args = ['--trace-deprecation', '--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(options.port), '--host', '127.0.0.1'];
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  if (options.demo) args.push('--demo');
  const child = spawn(process.execPath, args, {
    // The demo hall without its weeks of activity: tests that spawn a server count on an empty line.
    env: { ...process.env, ONEWINDOW_ADMIN_PASSWORD: 'Admin12345', ONEWINDOW_DEMO_ACTIVITY: '0', LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let warned = false;
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => {
    output += d;
    // Raised again in this process, where the PostgreSQL lane's guard hears it (the server warns once).
    if (!warned && output.includes(PARALLEL_QUERY_WARNING)) {
      warned = true;
      process.emitWarning(`${PARALLEL_QUERY_WARNING} (in the server on port ${options.port}):\n${output.slice(output.indexOf(PARALLEL_QUERY_WARNING)).slice(0, 3000)}`, 'DeprecationWarning');
    }
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('已启动')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
  started.catch(() => {}); // a server expected to refuse never starts; its exit code is checked instead
  return { child, url: `http://127.0.0.1:${options.port}`, started, exited, output: () => output };
}

/**
 * A new empty PostgreSQL database beside the test server's (for servers started as processes, which
 * migrate it themselves); `drop` removes it.
 */
export async function scratchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('TEST_DATABASE_URL is required');
  const full = `onewindow_${name}_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${full} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${full}`);
  const url = new URL(server);
  url.pathname = `/${full}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${full} WITH (FORCE)`) };
}

/** Signs in through the API and returns the bearer token. */
export async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export type ApiCall = (method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Calls /api/v1 of a running server with JSON in and out (an empty answer reads as `{}`). */
export function apiOf(base: string): ApiCall {
  return async (method, path, body, token) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

/**
 * Opens the hall around the clock today and tomorrow (as working days, should either be a holiday), so tests
 * that take tickets today and book tomorrow pass whatever day and time CI runs them.
 */
export async function openAllDay(call: ApiCall, adminToken: string): Promise<void> {
  const res = await call('PUT', '/hall/hours', { workday: [['00:00', '23:59']], weekend: [['00:00', '23:59']], ticketCutoffMinutes: 0 }, adminToken);
  if (res.status !== 200) throw new Error(`hall hours: ${res.status} ${JSON.stringify(res.body)}`);
  const today = parseDate(localDate(Date.now()));
  for (const day of [today, today + 1]) {
    const opened = await call('PUT', `/calendar/days/${formatDate(day)}`, { workday: true, name: '测试开放' }, adminToken);
    if (opened.status !== 200) throw new Error(`calendar day: ${opened.status} ${JSON.stringify(opened.body)}`);
  }
}
