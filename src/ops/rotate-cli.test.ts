import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { dataKeyOf, encrypt, newKey } from '../shared/crypto.js';

// The real command on a real data folder, as the technician runs it from docs/operations.md.
const root = mkdtempSync(join(tmpdir(), 'onewindow-rotate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function rotateKeyCommand(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'rotate-key', ...args], {
    env: { ...process.env, ONEWINDOW_DATA_KEY: '', ONEWINDOW_DATA_KEYS_OLD: '', ONEWINDOW_HASH_KEY: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, output })));
}

describe('onewindow rotate-key', () => {
  it('counts, re-seals and audits on a stopped PGlite hall, and refuses a folder a server holds', async () => {
    const dir = join(root, 'hall');
    const [key1, key2] = [newKey(), newKey()];
    const db = await openDatabase({ dataDir: dir });
    await migrate(db);
    const [hall] = await db.query<{ id: string }>(`INSERT INTO halls (level, code, name) VALUES ('county', 'SX', '随县') RETURNING id`);
    await db.query(`INSERT INTO notifications (hall_id, channel, recipient, template, body) VALUES ($1, 'sms', $2, 'queue.near_front', '前面还有 1 人')`, [
      hall!.id,
      encrypt(dataKeyOf(key1), '13700001111'),
    ]);
    const env = { ONEWINDOW_DATA_KEY: key2, ONEWINDOW_DATA_KEYS_OLD: key1, ONEWINDOW_HASH_KEY: key1 };

    // A server (here: this process) holds the folder.
    const held = await rotateKeyCommand(['--data-dir', dir], env);
    expect(held.code).toBe(1);
    expect(held.output).toContain('正被另一个 OneWindow 进程');
    await db.close();

    const dry = await rotateKeyCommand(['--data-dir', dir, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/notifications\.recipient\s+1/);
    expect(dry.output).toContain('未作任何改动');

    const run = await rotateKeyCommand(['--data-dir', dir], env);
    expect(run.code).toBe(0);
    expect(run.output).toContain(`已用密钥 ${dataKeyOf(key2).id} 重新加密 1 个值`);
    expect(run.output).toContain(`删去密钥 ${dataKeyOf(key1).id}`);

    const after = await openDatabase({ dataDir: dir });
    try {
      const [sms] = await after.query<{ recipient: string }>(`SELECT recipient FROM notifications`);
      expect(sms!.recipient.startsWith(`v2.${dataKeyOf(key2).id}.`)).toBe(true);
      const audit = await after.query<{ after: { total: number } }>(`SELECT after FROM audit_events WHERE action = 'ops.rotate_key'`);
      expect(audit.map((a) => a.after.total)).toEqual([1]);
    } finally {
      await after.close();
    }
  }, 300_000);
});
