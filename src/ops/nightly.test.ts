import { describe, expect, it } from 'vitest';
import { backupScheduleFromEnv, nextBackupAt } from './nightly.js';

describe('nightly backup schedule', () => {
  it('is off without a folder and reads keep and time from the environment', () => {
    expect(backupScheduleFromEnv({})).toBeUndefined();
    expect(backupScheduleFromEnv({ ONEWINDOW_BACKUP_DIR: '/b' })).toEqual({ dir: '/b', keep: 14, atMinute: 150 });
    expect(backupScheduleFromEnv({ ONEWINDOW_BACKUP_DIR: '/b', ONEWINDOW_BACKUP_KEEP: '3', ONEWINDOW_BACKUP_AT: '23:05' })).toEqual({ dir: '/b', keep: 3, atMinute: 1385 });
    expect(() => backupScheduleFromEnv({ ONEWINDOW_BACKUP_DIR: '/b', ONEWINDOW_BACKUP_KEEP: '0' })).toThrow(/KEEP/);
    expect(() => backupScheduleFromEnv({ ONEWINDOW_BACKUP_DIR: '/b', ONEWINDOW_BACKUP_AT: '2:30' })).toThrow(/HH:MM/);
  });

  it('runs at the next local (Asia/Shanghai) time, whatever the server clock zone', () => {
    // 01:00 in the hall: tonight at 02:30 local.
    expect(nextBackupAt(new Date('2025-09-30T01:00:00+08:00'), 150).toISOString()).toBe('2025-09-29T18:30:00.000Z');
    // 02:30 exactly, or later: tomorrow night.
    expect(nextBackupAt(new Date('2025-09-30T02:30:00+08:00'), 150).toISOString()).toBe('2025-09-30T18:30:00.000Z');
    expect(nextBackupAt(new Date('2025-12-31T23:59:00+08:00'), 150).toISOString()).toBe('2025-12-31T18:30:00.000Z');
  });
});
