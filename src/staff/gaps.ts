// AB backup (AB角): the A and B of each post, and the check that records a gap when a post that should
// be open stands empty, alerting the managers once per gap. The check runs in the transaction of every
// sign-in, sign-out and going-out, and on a timer that reschedules itself while the hall is open.
import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { users, userWindows } from '../auth/tables.js';
import { createCalendarService, readCalendar } from '../calendar/service.js';
import { formatInstant, nextOpening } from '../calendar/index.js';
import { scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { enqueueNotice } from '../notify/outbox.js';
import { coverageOf, gapStep, type OnPost } from './backup.js';
import { daySessions, loadHall, monthBounds, today, type HallContext } from './hall.js';
import { abGaps, attendanceEvents, goingOuts, windowBackups } from './tables.js';

export const AB_CHECK_TIMER = 'staff.ab_check';
const MINUTE = 60_000;

export const GAP_REASON_LABELS = { nobody_signed_in: '无人签到在岗', out_without_cover: '人员外出无B角补位' } as const;

/** Who is signed in right now (last punch of today is a sign-in), and where. */
async function signedInNow(tx: Db, hallId: string, date: string): Promise<OnPost[]> {
  const rows = await tx
    .selectDistinctOn([attendanceEvents.userId], { userId: attendanceEvents.userId, windowId: attendanceEvents.windowId, type: attendanceEvents.type })
    .from(attendanceEvents)
    .where(and(eq(attendanceEvents.hallId, hallId), eq(attendanceEvents.localDate, date)))
    .orderBy(attendanceEvents.userId, sql`${attendanceEvents.id} desc`);
  return rows.filter((r) => r.type === 'sign_in').map((r) => ({ userId: r.userId, windowId: r.windowId }));
}

export function createGapService(ctx: AppContext) {
  const { db, clock } = ctx;
  const calendars = createCalendarService(ctx);

  /** One check timer per hall: the handler moves its own row to the next check (the runner keeps it). */
  async function scheduleNext(tx: Db, h: HallContext, now: Date) {
    const posts = await tx.select({ windowId: windowBackups.windowId }).from(windowBackups).where(eq(windowBackups.hallId, h.hallId));
    if (posts.length === 0) return;
    const openNow = posts.some(({ windowId }) => daySessions(h, today(h, now), windowId).some((s) => s.from <= now.getTime() && now.getTime() < s.to));
    let due: number | null = now.getTime() + h.settings.abCheckMinutes * MINUTE;
    if (!openNow) {
      const openings = posts.map(({ windowId }) => nextOpening(h.calendar, h.windowHours.get(windowId) ?? h.hours, now.getTime(), h.zone)).filter((t): t is number => t !== null);
      due = openings.length ? Math.min(...openings) + h.settings.abGraceMinutes * MINUTE : null;
    }
    if (due === null) return;
    await scheduleTimer(tx, { hallId: h.hallId, kind: AB_CHECK_TIMER, key: h.hallId, dueAt: new Date(due) });
  }

  const service = {
    /** Windows where the person is A or B. */
    async postsOf(hallId: string, userId: string): Promise<string[]> {
      const rows = await db
        .select({ windowId: windowBackups.windowId })
        .from(windowBackups)
        .where(and(eq(windowBackups.hallId, hallId), or(eq(windowBackups.aUserId, userId), eq(windowBackups.bUserId, userId))));
      return rows.map((r) => r.windowId);
    },

    /** The other half of a person's AB pair at a window (their B when they are A). */
    async backupOf(windowId: string, userId: string): Promise<string | null> {
      const [row] = await db.select().from(windowBackups).where(eq(windowBackups.windowId, windowId));
      if (!row) return null;
      return row.aUserId === userId ? row.bUserId : row.aUserId;
    },

    async list(hallId: string) {
      const h = await loadHall(db, hallId, calendars.calendarFor);
      const now = clock.now();
      const rows = await db.select().from(windowBackups).where(eq(windowBackups.hallId, hallId));
      const ids = [...new Set(rows.flatMap((r) => [r.aUserId, r.bUserId]))];
      const names = ids.length ? await db.select({ id: users.id, name: users.displayName, username: users.username }).from(users).where(inArray(users.id, ids)) : [];
      const nameOf = new Map(names.map((n) => [n.id, n.name || n.username]));
      const open = await db.select().from(abGaps).where(and(eq(abGaps.hallId, hallId), isNull(abGaps.closedAt)));
      const onPost = await signedInNow(db, hallId, today(h, now));
      const outs = await db.select().from(goingOuts).where(and(eq(goingOuts.hallId, hallId), isNull(goingOuts.returnedAt)));
      return h.windows.map((w) => {
        const r = rows.find((x) => x.windowId === w.id);
        const gap = open.find((g) => g.windowId === w.id);
        return {
          windowId: w.id,
          windowName: w.name,
          departmentId: w.departmentId,
          aUserId: r?.aUserId ?? null,
          aName: r ? (nameOf.get(r.aUserId) ?? '') : null,
          bUserId: r?.bUserId ?? null,
          bName: r ? (nameOf.get(r.bUserId) ?? '') : null,
          onPost: onPost.filter((p) => p.windowId === w.id).length,
          coverage: coverageOf(w.id, onPost, outs),
          openGap: gap ? { id: gap.id, reason: gap.reason, openedAt: formatInstant(gap.openedAt.getTime(), h.zone) } : null,
        };
      });
    },

    async set(actor: Actor, hallId: string, windowId: string, input: { aUserId: string; bUserId: string }) {
      const h = await loadHall(db, hallId, calendars.calendarFor);
      if (!h.windows.some((w) => w.id === windowId)) throw notFound('窗口');
      const people = await db.select({ id: users.id }).from(users).where(and(eq(users.hallId, hallId), inArray(users.id, [input.aUserId, input.bUserId])));
      if (people.length !== 2) throw validationFailed('所选人员不存在', { aUserId: input.aUserId, bUserId: input.bUserId });
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [before] = await tx.select().from(windowBackups).where(eq(windowBackups.windowId, windowId));
        await tx
          .insert(windowBackups)
          .values({ windowId, hallId, ...input, updatedAt: now })
          .onConflictDoUpdate({ target: windowBackups.windowId, set: { ...input, updatedAt: now } });
        // The A works at the window: make sure the post is theirs to sign in at.
        await tx.insert(userWindows).values({ userId: input.aUserId, windowId }).onConflictDoNothing();
        await recordAudit(tx, actor, { hallId, action: 'backup.set', entityType: 'window', entityId: windowId, before: before ?? null, after: input });
        await scheduleNext(tx, h, now);
        return { windowId, ...input };
      });
    },

    async remove(actor: Actor, hallId: string, windowId: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx.delete(windowBackups).where(and(eq(windowBackups.windowId, windowId), eq(windowBackups.hallId, hallId))).returning();
        if (!row) throw notFound('AB角设置');
        await tx.update(abGaps).set({ closedAt: clock.now() }).where(and(eq(abGaps.windowId, windowId), isNull(abGaps.closedAt)));
        await recordAudit(tx, actor, { hallId, action: 'backup.removed', entityType: 'window', entityId: windowId, before: row });
      });
    },

    /**
     * Checks every post of the hall at `now`: opens a gap (and alerts each manager once) for a post that
     * has stood empty past the grace time, closes gaps that are covered again or whose session ended.
     */
    async checkHall(tx: Db, h: HallContext, now: Date) {
      const posts = await tx.select().from(windowBackups).where(eq(windowBackups.hallId, h.hallId));
      if (posts.length === 0) return { opened: 0, closed: 0 };
      const date = today(h, now);
      const t = now.getTime();
      // One after another: the transaction's one connection cannot run queries at once.
      const onPost = await signedInNow(tx, h.hallId, date);
      const outs = await tx.select().from(goingOuts).where(and(eq(goingOuts.hallId, h.hallId), isNull(goingOuts.returnedAt)));
      const open = await tx.select().from(abGaps).where(and(eq(abGaps.hallId, h.hallId), isNull(abGaps.closedAt))).for('update');
      const lefts = await tx
        .select({ windowId: attendanceEvents.windowId, at: sql<Date>`max(${attendanceEvents.at})`.mapWith((v: string | Date) => new Date(v)) })
        .from(attendanceEvents)
        .where(and(eq(attendanceEvents.hallId, h.hallId), eq(attendanceEvents.localDate, date), eq(attendanceEvents.type, 'sign_out')))
        .groupBy(attendanceEvents.windowId);
      let opened = 0;
      let closed = 0;
      const managers = await tx.select({ id: users.id }).from(users).where(and(eq(users.hallId, h.hallId), eq(users.active, true), sql`'manager' = any(${users.roles})`));
      for (const post of posts) {
        const win = h.windows.find((w) => w.id === post.windowId);
        if (!win) continue;
        const sessions = win.status === 'closed' ? [] : daySessions(h, date, post.windowId);
        const session = sessions.find((s) => s.from <= t && t < s.to) ?? null;
        const gap = open.find((g) => g.windowId === post.windowId) ?? null;
        const outFrom = outs.filter((o) => o.windowId === post.windowId).map((o) => o.outAt.getTime());
        const leftAt = [lefts.find((l) => l.windowId === post.windowId)?.at.getTime(), ...outFrom].filter((x): x is number => typeof x === 'number');
        const gapSession = gap ? daySessions(h, gap.localDate, post.windowId).find((s) => s.from <= gap.openedAt.getTime() && gap.openedAt.getTime() < s.to) : undefined;
        const step = gapStep({
          now: t,
          session,
          coverage: coverageOf(post.windowId, onPost, outs),
          lastLeftAt: leftAt.length ? Math.max(...leftAt) : null,
          openGap: gap ? { openedAt: gap.openedAt.getTime() } : null,
          openGapSessionEnd: gapSession?.to ?? null,
          graceMs: h.settings.abGraceMinutes * MINUTE,
        });
        if (step.action === 'close') {
          await tx.update(abGaps).set({ closedAt: new Date(step.closedAt) }).where(eq(abGaps.id, gap!.id));
          closed++;
        } else if (step.action === 'open') {
          const [row] = await tx
            .insert(abGaps)
            .values({ hallId: h.hallId, windowId: post.windowId, reason: step.reason, openedAt: new Date(step.openedAt), localDate: date })
            .onConflictDoNothing()
            .returning({ id: abGaps.id });
          if (!row) continue; // another node opened it first
          opened++;
          const since = formatInstant(step.openedAt, h.zone).slice(11, 16);
          for (const m of managers) {
            await enqueueNotice(tx, {
              hallId: h.hallId,
              channel: 'staff',
              recipient: m.id,
              template: 'ab_gap',
              body: `${win.name}自 ${since} 起${GAP_REASON_LABELS[step.reason]}，请安排B角到岗。`,
              params: { gapId: row.id, windowId: post.windowId, reason: step.reason },
              dedupeKey: `ab_gap:${row.id}:${m.id}`,
              at: now,
            });
          }
        }
      }
      return { opened, closed };
    },

    /** Timer handler: check the hall, then schedule the next check. */
    timerHandler(): TimerHandler {
      return async (tx, timer) => {
        const h = await loadHall(tx, timer.hallId, (id) => readCalendar(tx, id));
        const now = clock.now();
        await service.checkHall(tx, h, now);
        await scheduleNext(tx, h, now);
      };
    },

    /** Gaps of a month, newest first, with their length. */
    async gaps(hallId: string, month: string) {
      const h = await loadHall(db, hallId, calendars.calendarFor);
      const b = monthBounds(month, h.zone);
      const rows = await db
        .select()
        .from(abGaps)
        .where(and(eq(abGaps.hallId, hallId), gte(abGaps.localDate, b.from), lte(abGaps.localDate, b.to)))
        .orderBy(asc(abGaps.openedAt));
      const now = clock.now().getTime();
      return rows.map((g) => ({
        id: g.id,
        windowId: g.windowId,
        windowName: h.windows.find((w) => w.id === g.windowId)?.name ?? '',
        reason: g.reason,
        reasonLabel: GAP_REASON_LABELS[g.reason],
        openedAt: formatInstant(g.openedAt.getTime(), h.zone),
        closedAt: g.closedAt ? formatInstant(g.closedAt.getTime(), h.zone) : null,
        minutes: Math.round(((g.closedAt?.getTime() ?? now) - g.openedAt.getTime()) / MINUTE),
      }));
    },
  };
  return service;
}
export type GapService = ReturnType<typeof createGapService>;

/** The staff capability's timers: the AB check. */
export const staffTimerHandlers = (ctx: AppContext): Record<string, TimerHandler> => ({ [AB_CHECK_TIMER]: createGapService(ctx).timerHandler() });
