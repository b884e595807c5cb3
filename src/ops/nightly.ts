import { join } from 'node:path';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import { formatDate, parseDate } from '../calendar/dates.js';
import { fromLocal, toLocal } from '../calendar/zone.js';
import type { Database } from '../db/client.js';
import { timers } from '../jobs/tables.js';
import { rootHallId } from '../server/bootstrap.js';
import type { Clock } from '../server/clock.js';
import { backupPglite, backupPostgres, pruneBackups } from './backup.js';

/** The nightly backup: where, how many to keep, and at what local (Asia/Shanghai) time. */
export interface BackupSchedule {
  dir: string;
  keep: number;
  /** Minute of the local day, e.g. 150 for 02:30. */
  atMinute: number;
}

export const BACKUP_TIMER = { kind: 'ops.backup', key: 'nightly' };

/** ONEWINDOW_BACKUP_DIR turns nightly backups on; ONEWINDOW_BACKUP_KEEP (14) and ONEWINDOW_BACKUP_AT (02:30). */
export function backupScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): BackupSchedule | undefined {
  if (!env.ONEWINDOW_BACKUP_DIR) return undefined;
  const keep = Number(env.ONEWINDOW_BACKUP_KEEP ?? 14);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`ONEWINDOW_BACKUP_KEEP 应为正整数：${env.ONEWINDOW_BACKUP_KEEP}`);
  const at = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(env.ONEWINDOW_BACKUP_AT ?? '02:30');
  if (!at) throw new Error(`ONEWINDOW_BACKUP_AT 应为 HH:MM：${env.ONEWINDOW_BACKUP_AT}`);
  return { dir: env.ONEWINDOW_BACKUP_DIR, keep, atMinute: Number(at[1]) * 60 + Number(at[2]) };
}

/** The next time the local clock shows `atMinute`, strictly after `now`. */
export function nextBackupAt(now: Date, atMinute: number): Date {
  const today = toLocal(now.getTime()).date;
  const candidate = fromLocal(today, atMinute);
  return new Date(candidate > now.getTime() ? candidate : fromLocal(formatDate(parseDate(today) + 1), atMinute));
}

/**
 * Takes the nightly backup on exactly one node. The schedule is a row in `timers`: the node whose UPDATE
 * moves it to the next night has claimed tonight's backup (a second node's UPDATE waits for the row lock,
 * then finds it no longer due). The backup itself runs outside any transaction, as it must for pg_dump.
 */
export function createNightlyBackup(database: Database, clock: Clock, schedule: BackupSchedule, databaseUrl?: string) {
  if (!database.pglite && !databaseUrl) throw new Error('PostgreSQL 的夜间备份需要 DATABASE_URL（pg_dump 使用）');
  async function claim(): Promise<string | null> {
    const now = clock.now();
    const rows = await database.query<{ hall_id: string }>(
      `UPDATE timers SET due_at = $1, fired_at = NULL WHERE kind = $2 AND key = $3 AND due_at <= $4 RETURNING hall_id`,
      [nextBackupAt(now, schedule.atMinute).toISOString(), BACKUP_TIMER.kind, BACKUP_TIMER.key, now.toISOString()],
    );
    return rows[0]?.hall_id ?? null;
  }

  return {
    /** Puts tonight's backup on the schedule once (a restart or a second node leaves it as it is). */
    async ensureScheduled(): Promise<void> {
      const hallId = await rootHallId(database.db);
      await database.db
        .insert(timers)
        .values({ hallId, ...BACKUP_TIMER, dueAt: nextBackupAt(clock.now(), schedule.atMinute) })
        .onConflictDoNothing({ target: [timers.kind, timers.key] });
    },
    /** Takes the backup if it is due and this node claimed it; returns the file written. */
    async runIfDue(): Promise<string | null> {
      const hallId = await claim();
      if (!hallId) return null;
      const { date, minute } = toLocal(clock.now().getTime());
      const stamp = `${date.replace(/-/g, '')}-${String(Math.floor(minute / 60)).padStart(2, '0')}${String(Math.floor(minute % 60)).padStart(2, '0')}`;
      const file = join(schedule.dir, `onewindow-${stamp}.${database.pglite ? 'tar.gz' : 'dump'}`);
      const manifest = database.pglite
        ? await backupPglite(database.pglite, database, file)
        : await backupPostgres(databaseUrl!, file);
      const removed = pruneBackups(schedule.dir, schedule.keep);
      await database.db.transaction((tx) =>
        recordAudit(tx, SYSTEM_ACTOR, {
          hallId,
          action: 'ops.backup',
          entityType: 'backup',
          entityId: file,
          after: { rows: Object.values(manifest.counts).reduce((a, b) => a + b, 0), removed },
        }),
      );
      return file;
    },
  };
}
export type NightlyBackup = ReturnType<typeof createNightlyBackup>;
