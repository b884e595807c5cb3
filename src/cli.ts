import { parseArgs } from 'node:util';
import { DataDirLockedError } from './db/lock.js';
import { startServer } from './server/start.js';

const HELP = `用法 / usage:
  onewindow serve [--port N] [--host H] [--data-dir DIR] [--demo]
  onewindow backup FILE [--data-dir DIR]     备份（PGlite 需先停止服务；PostgreSQL 用 pg_dump）
  onewindow restore FILE [--data-dir DIR]    恢复到新的空目录或空数据库，并按清单核对行数
  onewindow rotate-key [--dry-run] [--data-dir DIR]
                                             用当前数据密钥重新加密全部个人信息（可重复运行以续完；--dry-run 只计数）

环境变量 / environment:
  PORT, HOST, DATA_DIR (默认 ./data, PGlite), DATABASE_URL (使用 PostgreSQL), ONEWINDOW_ADMIN_PASSWORD, ONEWINDOW_DEMO_ACTIVITY=0 (演示大厅不生成业务记录),
  ONEWINDOW_DATA_KEY / _KEYS_OLD, ONEWINDOW_HASH_KEY (个人信息密钥),
  ONEWINDOW_BACKUP_DIR / _KEEP / _AT (夜间备份), ONEWINDOW_KIOSK_KEYS, ONEWINDOW_TRUST_PROXY …
  全部变量见 docs/operations.md`;

async function backupOrRestore(command: 'backup' | 'restore', rest: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    console.error(HELP);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
  const ops = await import('./ops/backup.js');
  try {
    const manifest =
      command === 'backup'
        ? databaseUrl
          ? await ops.backupPostgres(databaseUrl, file)
          : await ops.backupDataDir(dataDir, file)
        : databaseUrl
          ? await ops.restorePostgres(file, databaseUrl)
          : await ops.restoreDataDir(file, dataDir);
    const rows = Object.values(manifest.counts).reduce((a, b) => a + b, 0);
    console.log(command === 'backup' ? `已备份到 ${file}（${rows} 行）` : `已从 ${file} 恢复并核对 ${rows} 行`);
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
}

async function rotateKey(rest: string[]): Promise<number> {
  const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const { openDatabase } = await import('./db/client.js');
  const { migrate } = await import('./db/migrate.js');
  const { rotateKey: rotate } = await import('./ops/rotate.js');
  let database;
  try {
    database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? './data' });
    // The columns to re-seal are those of the current schema, as a starting server would leave it.
    await migrate(database);
    const run = await rotate(database.db, { dryRun: values['dry-run'] });
    for (const [column, n] of Object.entries(run.counts)) if (n > 0) console.log(`  ${column.padEnd(44)} ${n}`);
    if (run.dryRun) {
      console.log(`待重新加密 ${run.total} 个值${run.keyId ? `（用密钥 ${run.keyId}）` : '（用运行时新生成的密钥）'}；未作任何改动`);
    } else {
      console.log(`已用密钥 ${run.keyId} 重新加密 ${run.total} 个值，已记入审计日志`);
      if (run.retiredKeyIds.length > 0 && process.env.ONEWINDOW_DATA_KEY) {
        console.log(`现在可从 ONEWINDOW_DATA_KEYS_OLD 中删去密钥 ${run.retiredKeyIds.join('、')} 并重启各节点`);
      }
    }
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    await database?.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'backup' || command === 'restore') return backupOrRestore(command, rest);
  if (command === 'rotate-key') return rotateKey(rest);
  if (command !== 'serve') {
    console.log(HELP);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`端口不正确：${values.port ?? process.env.PORT}`);
    return 2;
  }
  let server;
  try {
    server = await startServer({
      port,
      host: values.host ?? process.env.HOST ?? '0.0.0.0',
      dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? './data',
      databaseUrl: process.env.DATABASE_URL || undefined,
      demo: values.demo ?? false,
      demoActivity: process.env.ONEWINDOW_DEMO_ACTIVITY !== '0',
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  console.log(`OneWindow 一窗通 已启动：${server.url}`);
  console.log(`  工作人员登录 ${server.url}/login   群众办事 ${server.url}/portal   接口文档 ${server.url}/api/docs`);
  const stop = async (signal: string) => {
    console.log(`收到 ${signal}，正在安全关闭…`);
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
