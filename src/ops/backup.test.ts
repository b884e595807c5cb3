import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { rowCounts } from '../db/counts.js';
import { migrate } from '../db/migrate.js';
import { seedDemoHall } from '../demo/seed.js';
import { backupDataDir, restoreDataDir } from './backup.js';

const root = mkdtempSync(join(tmpdir(), 'onewindow-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('backup and restore of a PGlite hall', () => {
  it('restores the demo hall into an empty folder with identical row counts, and refuses a non-empty one', async () => {
    const source = join(root, 'hall');
    const db = await openDatabase({ dataDir: source });
    await migrate(db);
    await seedDemoHall(db.db);
    const before = await rowCounts(db);
    await db.close();
    expect(before.users).toBeGreaterThan(10);

    const file = join(root, 'onewindow-test.tar.gz');
    await backupDataDir(source, file);
    const target = join(root, 'restored');
    await restoreDataDir(file, target);

    const restored = await openDatabase({ dataDir: target });
    expect(await rowCounts(restored)).toEqual(before);
    await restored.close();

    await expect(restoreDataDir(file, target)).rejects.toThrow(/不是空的/);
  }, 180_000);

  it('refuses to back up a folder a running server holds', async () => {
    const dir = join(root, 'busy');
    const db = await openDatabase({ dataDir: dir });
    try {
      await expect(backupDataDir(dir, join(root, 'x.tar.gz'))).rejects.toThrow(/正被另一个 OneWindow 进程/);
    } finally {
      await db.close();
    }
  }, 180_000);
});
