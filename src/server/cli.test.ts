import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the real command, as a hall's technician would, on a real data folder.
const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-cli-'));

function serve(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir], {
    env: { ...process.env, ONEWINDOW_ADMIN_PASSWORD: 'Admin12345', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('已启动')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
  started.catch(() => {}); // a server expected to refuse never starts; its exit code is checked instead
  return { child, started, exited, output: () => output };
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('onewindow serve', () => {
  it('serves health, refuses a second server on the same data folder, and shuts down cleanly', async () => {
    const first = serve(39171);
    await first.started;
    expect(await (await fetch('http://127.0.0.1:39171/health')).json()).toEqual({ status: 'ok' });

    const second = serve(39172);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('正被另一个 OneWindow 进程');

    // The first server is unharmed and still answers, with its admin able to sign in.
    const login = await fetch('http://127.0.0.1:39171/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Admin12345' }),
    });
    expect(login.status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // After a clean stop the folder is free again and the data is still there.
    const third = serve(39173);
    await third.started;
    const again = await fetch('http://127.0.0.1:39173/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Admin12345' }),
    });
    expect(again.status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 180_000);
});
