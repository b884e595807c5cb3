// The bad-review loop (差评回访整改): every 不满意/非常不满意 opens a follow-up for the supervision office with a
// deadline in working days per stage; overdue stages are flagged by a timer and escalated by notice.
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, forbidden, notFound } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { cancelTimer, scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { departments, services, windows } from '../org/tables.js';
import { personalData } from '../cases/personal.js';
import { deadlineAfter, extendDeadline, iso, lightOf, notifyRoles, shownPhone, textCitizen, type HallTime, type HallTimes } from './common.js';
import {
  APPROVALS,
  DEPARTMENT_ACTIONS,
  FOLLOWUP_ACTION_LABELS,
  FOLLOWUP_STATUS_LABELS,
  STAGE_OF,
  allowedFollowupActions,
  followupMove,
  type FollowupAction,
  type FollowupStatus,
} from './followup-states.js';
import { GRADE_LABELS, REASON_TAG_LABELS, type FollowupActionInput, type ReasonTag } from './schemas.js';
import { followupActions, followups, ratings, type FollowupRow, type RatingRow } from './tables.js';

export const FOLLOWUP_TIMER = 'feedback.followup';
/** A timer fires once the deadline has passed: lights turn red just after it. */
const AFTER = 1000;

const isSupervision = (user: AuthUser) => user.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');
const isManager = (user: AuthUser) => user.roles.some((r) => r === 'admin' || r === 'manager');

async function logAction(tx: Db, f: Pick<FollowupRow, 'id' | 'hallId'>, action: FollowupAction | 'open' | 'overdue' | 'dispute_upheld', from: FollowupStatus | null, to: FollowupStatus, actor: Actor, at: Date, note?: string | null, data: Record<string, unknown> = {}) {
  await tx.insert(followupActions).values({ hallId: f.hallId, followupId: f.id, action, fromStatus: from, toStatus: to, note: note ?? null, data, actorId: actor.id, actorName: actor.name, at });
}

async function schedule(tx: Db, f: Pick<FollowupRow, 'id' | 'hallId' | 'deadlineAt' | 'stage'>) {
  if (f.stage === 'closed') return cancelTimer(tx, FOLLOWUP_TIMER, f.id);
  await scheduleTimer(tx, { hallId: f.hallId, kind: FOLLOWUP_TIMER, key: f.id, dueAt: new Date(f.deadlineAt.getTime() + AFTER), payload: { deadline: f.deadlineAt.toISOString() } });
}

/** Opens the follow-up of a bad review, in the rating's transaction. */
export async function openFollowup(tx: Db, time: HallTime, rating: Pick<RatingRow, 'id' | 'hallId' | 'grade' | 'departmentId' | 'comment'>, now: Date): Promise<string> {
  const deadlineAt = deadlineAfter(time, now, time.settings.followup.verifyDays);
  const [f] = await tx
    .insert(followups)
    .values({ hallId: rating.hallId, ratingId: rating.id, status: 'to_verify', stage: 'verify', deadlineAt, createdAt: now, updatedAt: now })
    .returning();
  await logAction(tx, f!, 'open', null, 'to_verify', SYSTEM_ACTOR, now, null, { grade: rating.grade });
  await schedule(tx, f!);
  await notifyRoles(
    tx,
    rating.hallId,
    ['supervisor'],
    {
      template: 'feedback.bad_review',
      body: `收到一条“${GRADE_LABELS[rating.grade]}”评价，请于 ${iso(deadlineAt, time.zone)!.slice(0, 16).replace('T', ' ')} 前回访核实。`,
      params: { followupId: f!.id, ratingId: rating.id },
      dedupeKey: `feedback.bad_review:${f!.id}`,
    },
    now,
  );
  return f!.id;
}

/**
 * A rater changed the grade within the edit time: a good grade withdraws an untouched follow-up, a bad one
 * opens (or restores) it. Once the office has acted, the grade is fixed.
 */
export async function followRatingEdit(tx: Db, time: HallTime, rating: RatingRow, badNow: boolean, now: Date): Promise<void> {
  const [f] = await tx.select().from(followups).where(eq(followups.ratingId, rating.id)).for('update');
  if (!f) {
    if (badNow) await openFollowup(tx, time, rating, now);
    return;
  }
  const action: FollowupAction | null = badNow ? (f.status === 'withdrawn' ? 'reopen' : null) : f.status === 'withdrawn' ? null : 'withdraw';
  if (action === null) return;
  const to = followupMove(f.status, action);
  if (!to) throw new DomainError(409, 'RATING_LOCKED', '该差评已进入回访整改，评价等级不能再修改', { followupStatus: f.status });
  const reopened = action === 'reopen';
  const [after] = await tx
    .update(followups)
    .set({
      status: to,
      stage: STAGE_OF[to],
      updatedAt: now,
      closedAt: reopened ? null : now,
      deadlineAt: reopened ? deadlineAfter(time, now, time.settings.followup.verifyDays) : f.deadlineAt,
    })
    .where(eq(followups.id, f.id))
    .returning();
  await logAction(tx, f, action, f.status, to, SYSTEM_ACTOR, now);
  await schedule(tx, after!);
}

/** Notes an upheld dispute on the follow-up's history: the supervisor sees why the review left the indicators. */
export async function noteDisputeUpheld(tx: Db, ratingId: string, actor: Actor, at: Date, note: string) {
  const [f] = await tx.select().from(followups).where(eq(followups.ratingId, ratingId));
  if (f) await logAction(tx, f, 'dispute_upheld', f.status, f.status, actor, at, note);
}

export function createFollowupService(ctx: AppContext, times: HallTimes) {
  const { db, clock } = ctx;

  async function views(user: AuthUser, rows: FollowupRow[], time: HallTime) {
    if (rows.length === 0) return [];
    const now = clock.now();
    const rated = await db
      .select({
        rating: ratings,
        windowName: windows.name,
        staffName: users.displayName,
        serviceName: services.name,
        departmentName: departments.name,
      })
      .from(ratings)
      .leftJoin(windows, eq(windows.id, ratings.windowId))
      .leftJoin(users, eq(users.id, ratings.staffId))
      .leftJoin(services, eq(services.id, ratings.serviceId))
      .leftJoin(departments, eq(departments.id, ratings.departmentId))
      .where(inArray(ratings.id, rows.map((r) => r.ratingId)));
    const byId = new Map(rated.map((r) => [r.rating.id, r]));
    const clearPhone = user.roles.includes('supervisor');
    const pd = await personalData(db);
    return rows.map((f) => {
      const r = byId.get(f.ratingId)!;
      const closed = f.stage === 'closed';
      return {
        id: f.id,
        ratingId: f.ratingId,
        status: f.status,
        statusLabel: FOLLOWUP_STATUS_LABELS[f.status],
        stage: f.stage,
        deadline: iso(f.deadlineAt, time.zone)!,
        light: closed ? null : lightOf(time, f.deadlineAt, now),
        overdue: f.overdueAt !== null,
        handledInTime: closed ? f.overdueAt === null && f.status === 'done' : null,
        verification: f.verification,
        verificationNote: f.verificationNote,
        rectification: f.rectification,
        answer: f.answer,
        raterResponse: f.raterResponse,
        extension: f.extensionStatus ? { days: f.extensionDays, status: f.extensionStatus, reason: f.extensionReason } : null,
        createdAt: iso(f.createdAt, time.zone)!,
        closedAt: iso(f.closedAt, time.zone),
        allowedActions: allowedFollowupActions(f.status).filter((a) => mayAct(user, a, r.rating.departmentId)),
        rating: {
          grade: r.rating.grade,
          gradeLabel: GRADE_LABELS[r.rating.grade],
          comment: r.rating.comment,
          tags: r.rating.tags.map((t) => REASON_TAG_LABELS[t as ReasonTag] ?? t),
          channel: r.rating.channel,
          ratedAt: iso(r.rating.ratedAt, time.zone)!,
          caseNumber: r.rating.caseNumber,
          windowName: r.windowName,
          staffName: r.staffName,
          serviceName: r.serviceName,
          departmentName: r.departmentName,
          // The supervision office calls the rater back; nobody else needs the number.
          raterPhone: shownPhone(pd.open(r.rating.raterPhoneEnc, r.rating.raterPhone), clearPhone),
          excluded: r.rating.excluded,
        },
      };
    });
  }

  function mayAct(user: AuthUser, action: FollowupAction, departmentId: string | null): boolean {
    if (APPROVALS.includes(action)) return isManager(user);
    if (isSupervision(user)) return true;
    return DEPARTMENT_ACTIONS.includes(action) && user.roles.includes('leader') && departmentId !== null && user.departmentId === departmentId;
  }

  function scope(user: AuthUser): SQL {
    const inHall = eq(followups.hallId, user.hallId);
    if (isSupervision(user)) return inHall;
    // A department leader sees the follow-ups of the department's bad reviews.
    return and(inHall, sql`${followups.ratingId} in (select id from ratings where department_id = ${user.departmentId ?? null})`)!;
  }

  async function load(user: AuthUser, id: string) {
    const [row] = await db.select().from(followups).where(and(eq(followups.id, id), scope(user)));
    if (!row) throw notFound('整改单');
    return row;
  }

  return {
    async list(user: AuthUser, status: 'open' | 'closed' | 'all') {
      const time = await times(user.hallId);
      const where: SQL[] = [scope(user)];
      if (status === 'open') where.push(isNull(followups.closedAt));
      if (status === 'closed') where.push(isNotNull(followups.closedAt));
      const rows = await db.select().from(followups).where(and(...where)).orderBy(status === 'closed' ? desc(followups.closedAt) : asc(followups.deadlineAt)).limit(500);
      return views(user, rows, time);
    },

    async get(user: AuthUser, id: string) {
      const row = await load(user, id);
      const time = await times(user.hallId);
      const [view] = await views(user, [row], time);
      const history = await db.select().from(followupActions).where(eq(followupActions.followupId, id)).orderBy(asc(followupActions.id));
      return {
        ...view!,
        history: history.map((h) => ({
          action: h.action,
          label: FOLLOWUP_ACTION_LABELS[h.action as keyof typeof FOLLOWUP_ACTION_LABELS] ?? h.action,
          fromStatus: h.fromStatus,
          toStatus: h.toStatus,
          note: h.note,
          actorName: h.actorName,
          at: iso(h.at, time.zone)!,
        })),
      };
    },

    async act(user: AuthUser, id: string, input: FollowupActionInput) {
      const time = await times(user.hallId);
      const now = clock.now();
      const actor = actorOf(user);
      await db.transaction(async (tx) => {
        const [f] = await tx.select().from(followups).where(and(eq(followups.id, id), eq(followups.hallId, user.hallId))).for('update');
        if (!f) throw notFound('整改单');
        const [rating] = await tx.select().from(ratings).where(eq(ratings.id, f.ratingId));
        if (!mayAct(user, input.action, rating!.departmentId)) {
          throw forbidden(APPROVALS.includes(input.action) ? '此项须由中心管理办公室审批' : '当前角色无权办理此整改单');
        }
        const to = followupMove(f.status, input.action);
        if (!to) {
          const why = input.action === 'close' && (f.status === 'to_verify' || f.status === 'invalid_pending') ? '：须先完成回访核实并得出核实结论' : '';
          throw new DomainError(409, 'INVALID_TRANSITION', `整改单${FOLLOWUP_STATUS_LABELS[f.status]}，不能${FOLLOWUP_ACTION_LABELS[input.action]}${why}`, {
            status: f.status,
            action: input.action,
          });
        }
        const settings = time.settings.followup;
        const patch: Partial<FollowupRow> = { status: to, stage: STAGE_OF[to], updatedAt: now };
        let note: string | null = null;
        switch (input.action) {
          case 'verify_valid':
            Object.assign(patch, { verification: 'valid', verificationNote: input.note, deadlineAt: deadlineAfter(time, now, settings.rectifyDays) });
            note = input.note;
            break;
          case 'propose_invalid':
            Object.assign(patch, { verificationNote: input.note });
            note = input.note;
            break;
          case 'approve_invalid':
            Object.assign(patch, { verification: 'invalid', deadlineAt: deadlineAfter(time, now, settings.answerDays) });
            note = input.note ?? null;
            break;
          case 'complete_rectification':
            Object.assign(patch, { rectification: input.rectification, deadlineAt: deadlineAfter(time, now, settings.answerDays) });
            note = input.rectification;
            break;
          case 'request_extension':
            // One extension per follow-up, with a manager's approval.
            if (f.extensionStatus !== null) throw new DomainError(409, 'EXTENSION_USED', '每张整改单只能申请一次延期', { extension: f.extensionStatus });
            Object.assign(patch, { extensionStatus: 'pending', extensionDays: input.days, extensionReason: input.reason });
            note = input.reason;
            break;
          case 'approve_extension':
          case 'reject_extension':
            if (f.extensionStatus !== 'pending') throw new DomainError(409, 'NO_EXTENSION_PENDING', '没有待审批的延期申请');
            if (input.action === 'approve_extension') {
              Object.assign(patch, { extensionStatus: 'approved', deadlineAt: extendDeadline(time, f.deadlineAt, f.extensionDays ?? 0) });
              note = input.note ?? null;
            } else {
              Object.assign(patch, { extensionStatus: 'rejected' });
              note = input.note;
            }
            break;
          case 'propose_cannot_rectify':
          case 'reject_invalid':
          case 'reject_cannot_rectify':
            note = input.note;
            break;
          case 'approve_cannot_rectify':
            Object.assign(patch, { deadlineAt: deadlineAfter(time, now, settings.answerDays) });
            note = input.note ?? null;
            break;
          case 'close':
            Object.assign(patch, { answer: input.answer, raterResponse: input.raterResponse, closedAt: now });
            note = input.note ?? input.answer;
            break;
        }
        const [after] = await tx.update(followups).set(patch).where(eq(followups.id, f.id)).returning();
        await logAction(tx, f, input.action, f.status, to, actor, now, note, input.action === 'close' ? { raterResponse: input.raterResponse } : {});
        await recordAudit(tx, actor, { hallId: f.hallId, action: `followup.${input.action}`, entityType: 'followup', entityId: f.id, before: { status: f.status }, after: { status: to, note } });
        await schedule(tx, after!);
        if (input.action === 'close') {
          // The answer goes to the department (its leaders) and, when the rater left a number, to the rater.
          await notifyRoles(tx, f.hallId, ['leader'], { template: 'feedback.followup_closed', body: `差评整改结果：${input.answer}`, params: { followupId: f.id }, dedupeKey: `feedback.followup_closed:${f.id}` }, now, rating!.departmentId);
          await textCitizen(tx, f.hallId, (await personalData(tx)).open(rating!.raterPhoneEnc, rating!.raterPhone), { template: 'feedback.followup_answer', body: `【${time.hallName}】您对本中心服务的评价已处理：${input.answer}`, params: { followupId: f.id }, dedupeKey: `feedback.followup_answer:${f.id}` }, now);
        }
        if (input.action === 'request_extension' || input.action === 'propose_invalid' || input.action === 'propose_cannot_rectify') {
          await notifyRoles(tx, f.hallId, ['manager'], { template: 'feedback.followup_approval', body: `差评整改单待审批：${FOLLOWUP_ACTION_LABELS[input.action]}`, params: { followupId: f.id }, dedupeKey: `feedback.followup_approval:${f.id}:${input.action}` }, now);
        }
      });
      return this.get(user, id);
    },
  };
}
export type FollowupService = ReturnType<typeof createFollowupService>;

/** A stage ran past its deadline: flag it once, record it, and tell the office, the managers and the department. */
export const followupOverdue: TimerHandler = async (tx, timer) => {
  const [f] = await tx.select().from(followups).where(eq(followups.id, timer.key)).for('update');
  // A stage that moved on, or was extended, has its own timer.
  if (!f || f.stage === 'closed' || f.deadlineAt.toISOString() !== timer.payload.deadline) return;
  const at = timer.dueAt;
  await tx.update(followups).set({ overdueAt: f.overdueAt ?? f.deadlineAt, updatedAt: at }).where(eq(followups.id, f.id));
  await logAction(tx, f, 'overdue', f.status, f.status, SYSTEM_ACTOR, at, null, { stage: f.stage });
  await recordAudit(tx, SYSTEM_ACTOR, { hallId: f.hallId, action: 'followup.overdue', entityType: 'followup', entityId: f.id, after: { stage: f.stage } });
  const [rating] = await tx.select({ departmentId: ratings.departmentId }).from(ratings).where(eq(ratings.id, f.ratingId));
  await notifyRoles(
    tx,
    f.hallId,
    ['supervisor', 'manager', 'leader'],
    { template: 'feedback.followup_overdue', body: `差评整改单已超期（${FOLLOWUP_STATUS_LABELS[f.status]}），请督办。`, params: { followupId: f.id }, dedupeKey: `feedback.followup_overdue:${f.id}:${f.stage}` },
    at,
    rating?.departmentId ?? null,
  );
};
