import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';
import { lockDataDir } from './lock.js';

export type Schema = typeof schema;
/** A Drizzle handle: the database itself or an open transaction (both run the same queries). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** The embedded client (PGlite only): a running server takes its nightly backup from it. */
  readonly pglite?: PGlite;
  /** Runs plain SQL (migrations, maintenance); parameters as $1, $2. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Postgres LISTEN: notifications sent with pg_notify reach every app node on the same database. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Runs fn on one connection (session-level advisory locks need that). */
  withSession<T>(fn: (query: Database['query']) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PGlite data folder; undefined means in memory (tests). */
  dataDir?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? join(dataDir, 'pglite') : undefined);
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const query = async <T,>(sql: string, params: unknown[] = []): Promise<T[]> => {
    if (params.length === 0) {
      const results = await client.exec(sql);
      return (results.at(-1)?.rows ?? []) as T[];
    }
    return (await client.query<T>(sql, params)).rows;
  };
  return {
    kind: 'pglite',
    db,
    pglite: client,
    query,
    withSession: (fn) => fn(query),
    listen: (channel, onPayload) => client.listen(channel, onPayload).then((stop) => () => stop()),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DB_POOL_SIZE ?? 10) });
  // Fail at start, not at the first request, when the database is unreachable.
  const probe = await pool.connect();
  probe.release();
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let closing = false;
  // One listening connection per node. If it drops (database restart, network), it is opened again and
  // re-LISTENs every channel, so live screens on this node do not silently stop.
  let listener: Promise<pg.Client> | undefined;
  const connectListener = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    const reconnect = () => {
      if (closing) return;
      listener = undefined;
      setTimeout(() => {
        if (!closing && !listener) listener = connectListener().catch((err) => (reconnect(), Promise.reject(err)));
        listener?.catch(() => {});
      }, 1000).unref();
    };
    client.on('error', () => reconnect());
    client.on('end', () => reconnect());
    client.on('notification', (msg) => {
      for (const handler of handlers.get(msg.channel) ?? []) handler(msg.payload ?? '');
    });
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN ${quoteChannel(channel)}`);
    return client;
  };
  return {
    kind: 'postgres',
    db,
    query: (sql, params) => runOn(pool, sql, params),
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn((sql, params) => runOn(client, sql, params));
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        if (listener) await listener.then((client) => client.query(`LISTEN ${quoteChannel(channel)}`));
      }
      set.add(onPayload);
      listener ??= connectListener();
      await listener;
      return async () => {
        set.delete(onPayload);
      };
    },
    async close() {
      closing = true;
      await listener?.then((client) => client.end()).catch(() => {});
      await pool.end();
    },
  };
}

async function runOn<T>(on: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []): Promise<T[]> {
  // Without parameters pg uses the simple protocol, which allows several statements (migrations).
  const result = params.length ? await on.query(sql, params) : await on.query(sql);
  const last = (Array.isArray(result) ? result.at(-1) : result) as pg.QueryResult | undefined;
  return (last?.rows ?? []) as T[];
}

const quoteChannel = (channel: string) => `"${channel.replace(/"/g, '')}"`;
