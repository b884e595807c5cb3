import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Clock } from '../server/clock.js';
import { timers } from './tables.js';

export interface TimerSpec {
  hallId: string;
  /** What fires: a registered handler name, e.g. 'case.light'. */
  kind: string;
  /** One timer per (kind, key): scheduling again moves it rather than adding a second. */
  key: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
}

/** Schedules (or moves) a timer in the caller's transaction. */
export async function scheduleTimer(tx: Db, spec: TimerSpec): Promise<void> {
  await tx
    .insert(timers)
    .values({ hallId: spec.hallId, kind: spec.kind, key: spec.key, dueAt: spec.dueAt, payload: spec.payload ?? {} })
    .onConflictDoUpdate({
      target: [timers.kind, timers.key],
      set: { dueAt: spec.dueAt, payload: spec.payload ?? {}, firedAt: null },
    });
}

export async function cancelTimer(tx: Db, kind: string, key: string): Promise<void> {
  await tx.delete(timers).where(and(eq(timers.kind, kind), eq(timers.key, key)));
}

export type TimerHandler = (tx: Db, timer: { hallId: string; key: string; dueAt: Date; payload: Record<string, unknown> }) => Promise<void>;

/**
 * Fires due timers. Each is claimed with FOR UPDATE SKIP LOCKED and handled in the same transaction that
 * marks it fired, so a timer's effects and its "fired" mark commit together, exactly once across nodes,
 * and one that was due while the server was down fires at the next run.
 */
export function createTimerRunner({ db, clock }: { db: Db; clock: Clock }, handlers: Record<string, TimerHandler>) {
  const kinds = Object.keys(handlers);
  async function fireOne(): Promise<boolean> {
    return db.transaction(async (tx) => {
      // Only kinds this node handles: a timer of an unknown kind waits for a node that knows it.
      const [row] = await tx
        .select()
        .from(timers)
        .where(and(isNull(timers.firedAt), lte(timers.dueAt, clock.now()), inArray(timers.kind, kinds)))
        .orderBy(asc(timers.dueAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return false;
      await handlers[row.kind]!(tx, { hallId: row.hallId, key: row.key, dueAt: row.dueAt, payload: row.payload });
      // A handler that moved its own timer (same kind and key) has scheduled the next firing: keep it.
      await tx.update(timers).set({ firedAt: clock.now() }).where(and(eq(timers.id, row.id), eq(timers.dueAt, row.dueAt)));
      return true;
    });
  }

  return {
    /** Fires every due timer; returns how many fired. */
    async runDue(limit = 1000): Promise<number> {
      if (kinds.length === 0) return 0;
      let fired = 0;
      while (fired < limit && (await fireOne())) fired++;
      return fired;
    },
  };
}
