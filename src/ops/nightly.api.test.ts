import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../audit/tables.js';
import { openDatabase } from '../db/client.js';
import { timers } from '../jobs/tables.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { testDatabaseUrl } from '../testing/test-db.js';
import { restoreDataDir, restorePostgres } from './backup.js';
import { BACKUP_TIMER, createNightlyBackup } from './nightly.js';

const root = mkdtempSync(join(tmpdir(), 'onewindow-nightly-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nightly backup', () => {
  let t: TestApp;
  let url: string | undefined;
  beforeAll(async () => {
    t = await createTestApp({ now: '2025-09-30T09:00:00+08:00' });
    url = await testDatabaseUrl();
  });
  afterAll(() => t.close());

  it('runs once a night on one node, keeps the newest N, and a backup restores with every row', async () => {
    const dir = join(root, 'backups');
    const schedule = { dir, keep: 2, atMinute: 2 * 60 + 30 };
    // Two nodes share the one schedule row.
    const nodes = [createNightlyBackup(t.database, t.clock, schedule, url), createNightlyBackup(t.database, t.clock, schedule, url)];
    await nodes[0]!.ensureScheduled();
    await nodes[1]!.ensureScheduled();
    const scheduled = await t.ctx.db.select().from(timers).where(and(eq(timers.kind, BACKUP_TIMER.kind), eq(timers.key, BACKUP_TIMER.key)));
    expect(scheduled.map((r) => r.dueAt.toISOString())).toEqual(['2025-09-30T18:30:00.000Z']);
    // Not due during the day.
    expect(await nodes[0]!.runIfDue()).toBeNull();

    const taken: string[] = [];
    for (const night of ['2025-10-01', '2025-10-02', '2025-10-03']) {
      t.clock.set(`${night}T02:31:00+08:00`);
      const files = (await Promise.all(nodes.map((n) => n.runIfDue()))).filter((f): f is string => f !== null);
      expect(files).toHaveLength(1);
      taken.push(files[0]!);
      // Nothing more tonight, from either node.
      expect(await nodes[1]!.runIfDue()).toBeNull();
    }
    const ext = t.database.kind === 'pglite' ? 'tar.gz' : 'dump';
    expect(taken.map((f) => f.slice(dir.length + 1))).toEqual([`onewindow-20251001-0231.${ext}`, `onewindow-20251002-0231.${ext}`, `onewindow-20251003-0231.${ext}`]);
    // Retention: the oldest is gone with its manifest.
    expect(existsSync(taken[0]!)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([
      `onewindow-20251002-0231.${ext}`,
      `onewindow-20251002-0231.${ext}.manifest.json`,
      `onewindow-20251003-0231.${ext}`,
      `onewindow-20251003-0231.${ext}.manifest.json`,
    ]);
    const audited = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'ops.backup'));
    expect(audited.map((a) => a.entityId).sort()).toEqual(taken);

    // The latest backup brings every row back (the manifest is checked on restore).
    if (t.database.kind === 'pglite') {
      const target = join(root, 'restored');
      const manifest = await restoreDataDir(taken[2]!, target);
      const restored = await openDatabase({ dataDir: target });
      try {
        const [row] = await restored.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
        expect(Number(row!.n)).toBe(manifest.counts.users);
        expect(manifest.counts.users).toBe(5);
      } finally {
        await restored.close();
      }
    } else {
      const target = new URL(url!);
      target.pathname = `/${target.pathname.slice(1)}_restored`;
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const name = target.pathname.slice(1);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const manifest = await restorePostgres(taken[2]!, target.toString());
        expect(manifest.counts.users).toBe(5);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
  }, 180_000);
});
