import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { login, spawnServer } from '../testing/server-process.js';

// Runs the real command, as a hall's technician would, on a real data folder.
const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-cli-'));

function serve(port: number) {
  const server = spawnServer({ port, dataDir });
  children.push(server.child);
  return server;
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('onewindow serve', () => {
  it('serves health, refuses a second server on the same data folder, and shuts down cleanly', async () => {
    const first = serve(39171);
    await first.started;
    const health = await fetch('http://127.0.0.1:39171/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { database: 'ok', timerLagSeconds: 0 } });

    const second = serve(39172);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('正被另一个 OneWindow 进程');

    // The first server is unharmed and still answers, with its admin able to sign in.
    expect(await login(first.url, 'admin', 'Admin12345')).toBeTruthy();

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // After a clean stop the folder is free again and the data is still there.
    const third = serve(39173);
    await third.started;
    expect(await login(third.url, 'admin', 'Admin12345')).toBeTruthy();
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 180_000);

  it('refuses to start with a key setting that cannot work, saying which', async () => {
    const badKey = spawnServer({ port: 39174, dataDir, env: { ONEWINDOW_DATA_KEY: 'too-short' } });
    children.push(badKey.child);
    expect(await badKey.exited).toBe(1);
    expect(badKey.output()).toContain('数据密钥须为 32 字节');
    const key = Buffer.alloc(32, 7).toString('base64');
    const oldWithoutHash = spawnServer({ port: 39175, dataDir, env: { ONEWINDOW_DATA_KEY: key, ONEWINDOW_DATA_KEYS_OLD: Buffer.alloc(32, 8).toString('base64') } });
    children.push(oldWithoutHash.child);
    expect(await oldWithoutHash.exited).toBe(1);
    expect(oldWithoutHash.output()).toContain('ONEWINDOW_HASH_KEY');
  }, 180_000);
});
