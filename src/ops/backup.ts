import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from '../db/lock.js';
import { openDatabase, type Database } from '../db/client.js';
import { rowCounts } from '../db/counts.js';

/**
 * Backups in each database's own format: PGlite's dump of its data folder (a tar.gz), or pg_dump's custom
 * format for PostgreSQL. Beside each file a manifest records every table's row count, so a restore can
 * prove it brought everything back.
 */
export interface Manifest {
  kind: 'pglite' | 'postgres';
  createdAt: string;
  counts: Record<string, number>;
}

const manifestPath = (file: string) => `${file}.manifest.json`;

export async function backupPglite(client: PGlite, database: Pick<Database, 'query'>, file: string): Promise<Manifest> {
  // Counts and dump must describe one moment. A running server may write between the two, so the counts
  // are taken again after the dump and the dump is retaken until they agree.
  let counts = await rowCounts(database);
  let blob = await client.dumpDataDir('gzip');
  for (let attempt = 0; ; attempt++) {
    const after = await rowCounts(database);
    if (JSON.stringify(after) === JSON.stringify(counts)) break;
    if (attempt === 5) throw new Error('备份期间数据一直在变化，请在空闲时重试');
    counts = after;
    blob = await client.dumpDataDir('gzip');
  }
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  const manifest: Manifest = { kind: 'pglite', createdAt: new Date().toISOString(), counts };
  writeFileSync(manifestPath(file), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Backs up a stopped hall's PGlite folder (the running server holds its lock; it backs itself up nightly). */
export async function backupDataDir(dataDir: string, file: string): Promise<Manifest> {
  const release = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(join(dataDir, 'pglite'));
    try {
      return await backupPglite(client, wrap(client), file);
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
}

export async function restoreDataDir(file: string, dataDir: string): Promise<Manifest> {
  const manifest = readManifest(file);
  if (manifest.kind !== 'pglite') throw new Error('这是 PostgreSQL 的备份，请设置 DATABASE_URL 后恢复');
  if (existsSync(join(dataDir, 'pglite')) && readdirSync(join(dataDir, 'pglite')).length > 0) {
    throw new Error(`数据目录 ${dataDir} 不是空的：恢复只写入新的空目录，以免覆盖现有数据`);
  }
  const release = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(join(dataDir, 'pglite'), { loadDataDir: new Blob([readFileSync(file)]) });
    try {
      await verify(wrap(client), manifest);
    } finally {
      await client.close();
    }
  } catch (err) {
    rmSync(join(dataDir, 'pglite'), { recursive: true, force: true });
    throw err;
  } finally {
    release();
  }
  return manifest;
}

export async function backupPostgres(databaseUrl: string, file: string): Promise<Manifest> {
  const database = await openDatabase({ databaseUrl });
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    const counts = await rowCounts(database);
    run('pg_dump', ['--format=custom', '--no-owner', '--file', file, databaseUrl]);
    const manifest: Manifest = { kind: 'postgres', createdAt: new Date().toISOString(), counts };
    writeFileSync(manifestPath(file), JSON.stringify(manifest, null, 2));
    return manifest;
  } finally {
    await database.close();
  }
}

export async function restorePostgres(file: string, databaseUrl: string): Promise<Manifest> {
  const manifest = readManifest(file);
  if (manifest.kind !== 'postgres') throw new Error('这是 PGlite 的备份，请用 --data-dir 恢复到新目录');
  const database = await openDatabase({ databaseUrl });
  try {
    const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    if (Number(row?.n) > 0) throw new Error('目标数据库不是空的：请恢复到新建的空数据库');
    run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', databaseUrl, file]);
    await verify(database, manifest);
    return manifest;
  } finally {
    await database.close();
  }
}

function readManifest(file: string): Manifest {
  if (!existsSync(file)) throw new Error(`备份文件不存在：${file}`);
  if (!existsSync(manifestPath(file))) throw new Error(`缺少清单文件 ${manifestPath(file)}，无法校验备份`);
  return JSON.parse(readFileSync(manifestPath(file), 'utf8')) as Manifest;
}

async function verify(database: Pick<Database, 'query'>, manifest: Manifest): Promise<void> {
  const counts = await rowCounts(database);
  const wrong = Object.entries(manifest.counts).filter(([table, n]) => counts[table] !== n);
  if (wrong.length) {
    throw new Error(`恢复后的数据与备份清单不一致：${wrong.map(([t, n]) => `${t} 应为 ${n} 行，实为 ${counts[t] ?? 0} 行`).join('；')}`);
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.error) throw new Error(`找不到 ${command}：请安装 PostgreSQL 客户端工具（postgresql-client）`);
  if (result.status !== 0) throw new Error(`${command} 失败：${result.stderr.trim()}`);
}

function wrap(client: PGlite): Pick<Database, 'query'> {
  return { query: async <T,>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows };
}

/** Keeps the newest `keep` backups in a folder (nightly backups' retention). */
export function pruneBackups(dir: string, keep: number): string[] {
  const files = readdirSync(dir)
    .filter((f) => /^onewindow-.*\.(tar\.gz|dump)$/.test(f))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  const removed = files.slice(keep).map(({ f }) => f);
  for (const f of removed) {
    rmSync(join(dir, f), { force: true });
    rmSync(join(dir, manifestPath(f)), { force: true });
  }
  return removed;
}
