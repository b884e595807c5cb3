import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { createTimerRunner, scheduleTimer } from './timers.js';
import { auditEvents } from '../audit/tables.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';

describe('timers', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T09:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const fired: string[] = [];
  const runner = () =>
    createTimerRunner({ db: t.ctx.db, clock: t.clock }, {
      'test.remind': async (tx, timer) => {
        fired.push(timer.key);
        await recordAudit(tx, SYSTEM_ACTOR, { hallId: timer.hallId, action: 'test.reminded', entityType: 'test', entityId: timer.key });
      },
    });

  it('fires a due timer once, even when two runners race, and not before it is due', async () => {
    fired.length = 0;
    await scheduleTimer(t.ctx.db, { hallId: t.hall.hallId, kind: 'test.remind', key: 'case-1', dueAt: new Date('2025-10-09T10:00:00+08:00') });
    expect(await runner().runDue()).toBe(0);
    t.clock.set('2025-10-09T10:00:01+08:00');
    const [a, b] = await Promise.all([runner().runDue(), runner().runDue()]);
    expect(a + b).toBe(1);
    expect(fired).toEqual(['case-1']);
    expect(await runner().runDue()).toBe(0);
    const rows = await t.ctx.db.select().from(auditEvents);
    expect(rows.filter((r) => r.action === 'test.reminded')).toHaveLength(1);
  });

  it('moves a timer when scheduled again instead of adding a second one', async () => {
    fired.length = 0;
    await scheduleTimer(t.ctx.db, { hallId: t.hall.hallId, kind: 'test.remind', key: 'case-2', dueAt: new Date('2025-10-09T10:00:00+08:00') });
    await scheduleTimer(t.ctx.db, { hallId: t.hall.hallId, kind: 'test.remind', key: 'case-2', dueAt: new Date('2025-10-10T10:00:00+08:00') });
    t.clock.set('2025-10-09T12:00:00+08:00');
    expect(await runner().runDue()).toBe(0);
    t.clock.set('2025-10-10T12:00:00+08:00');
    expect(await runner().runDue()).toBe(1);
  });
});
