// The suggestion box (意见箱) and comment book (意见簿) ledger: the box is opened every working day and each
// opening is recorded, even an empty one, so a missed day shows; each entry is answered within 3 working
// days and fixed within 7 of its receipt (hall settings).
import { and, asc, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { z } from 'zod';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { cancelTimer, scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { fromLocal, localDate } from '../calendar/index.js';
import { departments } from '../org/tables.js';
import { maskName } from '../shared/identity.js';
import { personalData, type PersonalData } from '../cases/personal.js';
import { deadlineAfter, iso, isUniqueViolation, lightOf, nextNumber, notifyRoles, shownPhone, textCitizen, type HallTime, type HallTimes } from './common.js';
import { SUGGESTION_SOURCE_LABELS, type OpeningInput, type SuggestionAnswer, type SuggestionFix, type SuggestionInput } from './schemas.js';
import { suggestionOpenings, suggestions, type SuggestionRow } from './tables.js';

export const SUGGESTION_TIMER = 'feedback.suggestion';

export function createSuggestionService(ctx: AppContext, times: HallTimes) {
  const { db, clock } = ctx;
  const clearFor = (user: AuthUser | null) => Boolean(user?.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor'));

  function view(s: SuggestionRow, time: HallTime, pd: PersonalData, clear: boolean, departmentName: string | null = null) {
    const now = clock.now();
    // The light follows whichever limit is running: the answer's, then the fix's.
    const running = s.status === 'open' ? s.answerDueAt : s.status === 'answered' ? s.fixDueAt : null;
    return {
      id: s.id,
      number: s.number,
      source: s.source,
      sourceLabel: SUGGESTION_SOURCE_LABELS[s.source],
      receivedOn: s.receivedOn,
      content: s.content,
      contactName: s.contactName ? (clear ? s.contactName : maskName(s.contactName)) : null,
      contactPhone: shownPhone(pd.open(s.contactPhoneEnc, s.contactPhone), clear),
      departmentId: s.departmentId,
      departmentName,
      status: s.status,
      answerDueAt: iso(s.answerDueAt, time.zone)!,
      fixDueAt: iso(s.fixDueAt, time.zone)!,
      light: running ? lightOf(time, running, now) : null,
      answer: s.answer,
      answeredAt: iso(s.answeredAt, time.zone),
      answeredLate: s.answeredAt ? s.answeredAt > s.answerDueAt : null,
      fixNote: s.fixNote,
      fixedAt: iso(s.fixedAt, time.zone),
      fixedLate: s.fixedAt ? s.fixedAt > s.fixDueAt : null,
    };
  }

  async function schedule(tx: Db, s: Pick<SuggestionRow, 'id' | 'hallId' | 'status' | 'answerDueAt' | 'fixDueAt'>) {
    const due = s.status === 'open' ? s.answerDueAt : s.status === 'answered' ? s.fixDueAt : null;
    if (!due) return cancelTimer(tx, SUGGESTION_TIMER, s.id);
    await scheduleTimer(tx, { hallId: s.hallId, kind: SUGGESTION_TIMER, key: s.id, dueAt: new Date(due.getTime() + 1000), payload: { deadline: due.toISOString(), status: s.status } });
  }

  async function record(actor: Actor, hallId: string, input: z.output<typeof SuggestionInput>) {
    const time = await times(hallId);
    const now = clock.now();
    const today = localDate(now.getTime(), time.zone);
    const receivedOn = input.receivedOn ?? today;
    if (receivedOn > today) throw validationFailed('收到日期不能晚于今天', { receivedOn });
    // Limits run from the day of receipt (the day the box was opened), not from when it was typed in.
    const start = new Date(Math.min(fromLocal(receivedOn, 0, time.zone), now.getTime()));
    const answerDueAt = deadlineAfter(time, start, time.settings.suggestion.answerDays);
    const fixDueAt = deadlineAfter(time, start, time.settings.suggestion.fixDays);
    const pd = await personalData(db);
    return db.transaction(async (tx) => {
      const number = await nextNumber(tx, hallId, 'YJ', time.zone, now);
      const [s] = await tx
        .insert(suggestions)
        .values({
          hallId,
          number,
          source: input.source,
          receivedOn,
          content: input.content,
          contactName: input.contactName ?? null,
          contactPhoneEnc: pd.seal(input.contactPhone),
          departmentId: input.departmentId ?? null,
          status: 'open',
          answerDueAt,
          fixDueAt,
          createdByName: actor.name,
          createdAt: now,
        })
        .returning();
      await recordAudit(tx, actor, { hallId, action: 'suggestion.recorded', entityType: 'suggestion', entityId: s!.id, after: { number, source: input.source } });
      await schedule(tx, s!);
      return view(s!, time, pd, true);
    });
  }

  async function transition(user: AuthUser, id: string, apply: (s: SuggestionRow, now: Date) => Partial<SuggestionRow>, action: string) {
    const time = await times(user.hallId);
    const now = clock.now();
    const actor = actorOf(user);
    const pd = await personalData(db);
    const row = await db.transaction(async (tx) => {
      const [s] = await tx.select().from(suggestions).where(and(eq(suggestions.id, id), eq(suggestions.hallId, user.hallId))).for('update');
      if (!s) throw notFound('意见');
      const [after] = await tx.update(suggestions).set(apply(s, now)).where(eq(suggestions.id, s.id)).returning();
      await recordAudit(tx, actor, { hallId: s.hallId, action: `suggestion.${action}`, entityType: 'suggestion', entityId: s.id, before: { status: s.status }, after: { status: after!.status } });
      await schedule(tx, after!);
      if (action === 'answered') {
        await textCitizen(tx, s.hallId, pd.open(s.contactPhoneEnc, s.contactPhone), { template: 'feedback.suggestion_answer', body: `【${time.hallName}】感谢您的意见（${s.number}）：${after!.answer}`, params: { suggestionId: s.id }, dedupeKey: `feedback.suggestion_answer:${s.id}` }, now);
      }
      return after!;
    });
    return view(row, time, pd, clearFor(user));
  }

  return {
    record: (user: AuthUser, input: z.output<typeof SuggestionInput>) => record(actorOf(user), user.hallId, input),
    recordOnline: (hallId: string, input: z.output<typeof SuggestionInput>) => record({ id: null, name: '网上留言', roles: [] }, hallId, { ...input, source: 'online', receivedOn: undefined }),

    async list(user: AuthUser, status: 'open' | 'answered' | 'done' | 'all') {
      const time = await times(user.hallId);
      const where: SQL[] = [eq(suggestions.hallId, user.hallId)];
      if (status === 'open') where.push(eq(suggestions.status, 'open'));
      if (status === 'answered') where.push(eq(suggestions.status, 'answered'));
      if (status === 'done') where.push(inArray(suggestions.status, ['fixed', 'closed']));
      const rows = await db
        .select({ s: suggestions, departmentName: departments.name })
        .from(suggestions)
        .leftJoin(departments, eq(departments.id, suggestions.departmentId))
        .where(and(...where))
        .orderBy(desc(suggestions.receivedOn), desc(suggestions.createdAt))
        .limit(500);
      const pd = await personalData(db);
      return rows.map(({ s, departmentName }) => view(s, time, pd, clearFor(user), departmentName));
    },

    answer: (user: AuthUser, id: string, input: z.output<typeof SuggestionAnswer>) =>
      transition(
        user,
        id,
        (s, now) => {
          if (s.status !== 'open') throw new DomainError(409, 'ALREADY_ANSWERED', `意见 ${s.number} 已答复`);
          return { status: input.needsFix ? 'answered' : 'closed', answer: input.answer, answeredAt: now };
        },
        'answered',
      ),

    fix: (user: AuthUser, id: string, input: z.output<typeof SuggestionFix>) =>
      transition(
        user,
        id,
        (s, now) => {
          if (s.status !== 'answered') throw new DomainError(409, 'INVALID_TRANSITION', s.status === 'open' ? '请先答复，再登记整改' : `意见 ${s.number} 无需整改或已整改`);
          return { status: 'fixed', fixNote: input.fixNote, fixedAt: now };
        },
        'fixed',
      ),

    /** Records that the box was opened (or the book read) on a day, with how many entries were found. */
    async recordOpening(user: AuthUser, input: z.output<typeof OpeningInput>) {
      const time = await times(user.hallId);
      const now = clock.now();
      if (input.openedOn > localDate(now.getTime(), time.zone)) throw validationFailed('开箱日期不能晚于今天', { openedOn: input.openedOn });
      const actor = actorOf(user);
      try {
        return await db.transaction(async (tx) => {
          const [o] = await tx.insert(suggestionOpenings).values({ hallId: user.hallId, ...input, openedByName: actor.name, openedAt: now }).returning();
          await recordAudit(tx, actor, { hallId: user.hallId, action: 'suggestion.box_opened', entityType: 'suggestion_opening', entityId: o!.id, after: input });
          return { id: o!.id, source: o!.source, openedOn: o!.openedOn, found: o!.found, openedByName: o!.openedByName };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError(409, 'DUPLICATE', `${input.openedOn} 已登记过开箱`);
        throw err;
      }
    },

    /** Openings in a range, and the working days on which the box was not opened. */
    async openings(user: AuthUser, from: string, to: string) {
      if (to < from) throw validationFailed('结束日期不能早于开始日期', { from, to });
      const time = await times(user.hallId);
      const today = localDate(clock.now().getTime(), time.zone);
      const rows = await db
        .select()
        .from(suggestionOpenings)
        .where(and(eq(suggestionOpenings.hallId, user.hallId), gte(suggestionOpenings.openedOn, from), lte(suggestionOpenings.openedOn, to)))
        .orderBy(asc(suggestionOpenings.openedOn));
      const opened = new Set(rows.filter((r) => r.source === 'box').map((r) => r.openedOn));
      const end = to < today ? to : today;
      const missed = end < from ? [] : time.calendar.days(from, end).filter((d) => d.workday && !opened.has(d.date)).map((d) => d.date);
      return {
        openings: rows.map((o) => ({ id: o.id, source: o.source, openedOn: o.openedOn, found: o.found, openedByName: o.openedByName })),
        missedDays: missed,
      };
    },
  };
}
export type SuggestionService = ReturnType<typeof createSuggestionService>;

export const suggestionOverdue: TimerHandler = async (tx, timer) => {
  const [s] = await tx.select().from(suggestions).where(eq(suggestions.id, timer.key));
  if (!s || s.status !== timer.payload.status) return;
  const what = s.status === 'open' ? '答复' : '整改';
  await recordAudit(tx, SYSTEM_ACTOR, { hallId: s.hallId, action: 'suggestion.overdue', entityType: 'suggestion', entityId: s.id, after: { status: s.status } });
  await notifyRoles(tx, s.hallId, ['manager', 'supervisor'], { template: 'feedback.suggestion_overdue', body: `意见 ${s.number} 已超过${what}期限，请督办。`, params: { suggestionId: s.id }, dedupeKey: `feedback.suggestion_overdue:${s.id}:${s.status}` }, timer.dueAt);
};
