// What the HTTP benches share: the load generator in its own process, and the CPU cost of a run.
//
// The clients run in a child process (not a worker thread), so the server process's CPU time
// (process.cpuUsage) is the server's alone. PostgreSQL's is read from /proc/<pid>/stat of the backends
// connected to the bench's database (client backends only: the WAL writer and checkpointer are shared
// with the machine's other databases). On a machine shared with other work, CPU time per request is the
// figure that does not move with the load; throughput and latency do.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Database } from '../src/db/client.js';

/**
 * Starts `code` (plain CommonJS that answers `process.on('message')` tasks with
 * `process.send({ ok, result | error })`) in a child process; `run` sends one task at a time.
 */
export function clientProcess(code: string) {
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.unref();
  child.channel?.unref();
  return {
    run<T>(task: Record<string, unknown>): Promise<T> {
      return new Promise((resolve, reject) => {
        child.channel?.ref();
        child.once('message', (msg: { ok: boolean; result: T; error: string }) => {
          child.channel?.unref();
          return msg.ok ? resolve(msg.result) : reject(new Error(msg.error));
        });
        child.send(task);
      });
    },
    close: () => void child.kill(),
  };
}

const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of a process in µs (0 once it has gone). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

async function backends(database: Database | undefined): Promise<Map<number, number>> {
  if (database?.kind !== 'postgres') return new Map();
  const rows = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  return new Map(rows.map((r) => [r.pid, cpuOf(r.pid)]));
}

export interface Cost {
  /** CPU µs per request of the server process (Node, all its threads). */
  node: number;
  /** CPU µs per request of the PostgreSQL backends serving the bench's database (NaN on PGlite: it runs inside Node). */
  pg: number;
}

/** Starts counting CPU time; `per(n)` gives the cost per request of the n requests made since. */
export async function costProbe(database?: Database) {
  const pgBefore = await backends(database);
  const nodeBefore = process.cpuUsage();
  return {
    async per(requests: number): Promise<Cost> {
      const node = process.cpuUsage(nodeBefore);
      const pgAfter = await backends(database);
      let pg = 0;
      for (const [pid, after] of pgAfter) pg += after - (pgBefore.get(pid) ?? 0);
      return { node: (node.user + node.system) / requests, pg: database?.kind === 'postgres' ? pg / requests : NaN };
    },
  };
}

export const costCells = (c: Cost) => `${c.node.toFixed(0)} | ${Number.isNaN(c.pg) ? '—' : c.pg.toFixed(0)}`;
