// Complaints (投诉) and the 办不成事 window: taken on the spot, by phone, in writing or online; answered the
// same or next working day when simple, within five working days when complex or multi-unit (hall
// settings); escalated by a timer when overdue; the outcome goes back to the complainant by SMS and the
// finding is linked to the staff member and window for their assessment. The complainant is confidential:
// name and phone in clear for supervisors only. A 办不成事 matter ends solved, transferred, or found truly
// impossible with its legal reason, which starts its own answer deadline (cannot-get-done.ts).
import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { cancelTimer, scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { departments, windows } from '../org/tables.js';
import { nextLightChange } from '../calendar/index.js';
import { maskName } from '../shared/identity.js';
import { personalData, type PersonalData } from '../cases/personal.js';
import { currentDeadline, DISPOSITION_LABELS, dispositionOnAnswer, impossibleFindingRefusal, ledgerCounts, type RuleError } from './cannot-get-done.js';
import { monthRange } from './indicators.js';
import { deadlineAfter, iso, lightOf, nextNumber, notifyRoles, shownPhone, textCitizen, type HallTime, type HallTimes } from './common.js';
import {
  COMPLAINT_CHANNEL_LABELS,
  COMPLAINT_KIND_LABELS,
  COMPLEXITY_LABELS,
  FINDING_LABELS,
  type ComplaintAnswer,
  type ComplaintInput,
  type ImpossibleFinding,
  type PublicComplaintInput,
} from './schemas.js';
import { complaints, type ComplaintRow } from './tables.js';

export const COMPLAINT_TIMER = 'feedback.complaint';
/** The answer after an impossible finding: fires when its light turns yellow (a reminder), then when late. */
export const IMPOSSIBLE_REPLY_TIMER = 'feedback.impossible_reply';

const refuse = (e: RuleError) => new DomainError(e.status, e.code, e.message);

/** When the answer's light turns yellow (the reminder), found by walking the light changes from `now`. */
function yellowAt(time: HallTime, now: Date, deadline: Date): Date {
  let at = now.getTime();
  for (let change = nextLightChange(time.calendar, time.hours, deadline.getTime(), at, time.lights, time.zone); change; ) {
    if (change.light === 'yellow' || change.light === 'red') return new Date(change.at);
    at = change.at;
    change = nextLightChange(time.calendar, time.hours, deadline.getTime(), at, time.lights, time.zone);
  }
  return now;
}

/** Working days to answer: 办不成事 matters have their own, longer limits. */
export function complaintLimitDays(settings: HallTime['settings']['complaint'], kind: ComplaintRow['kind'], complexity: ComplaintRow['complexity']): number {
  const simple = complexity === 'simple';
  if (kind === 'cannot_get_done') return simple ? settings.cannotGetDoneSimpleDays : settings.cannotGetDoneComplexDays;
  return simple ? settings.simpleDays : settings.complexDays;
}

async function inHall(db: Db, hallId: string, input: { windowId?: string; staffId?: string; departmentId?: string }) {
  const check = async (ok: Promise<unknown[]>, field: string) => {
    if ((await ok).length === 0) throw validationFailed('所选窗口、人员或部门不属于本中心', { [field]: 'unknown' });
  };
  if (input.windowId) await check(db.select({ id: windows.id }).from(windows).where(and(eq(windows.id, input.windowId), eq(windows.hallId, hallId))), 'windowId');
  if (input.staffId) await check(db.select({ id: users.id }).from(users).where(and(eq(users.id, input.staffId), eq(users.hallId, hallId))), 'staffId');
  if (input.departmentId) await check(db.select({ id: departments.id }).from(departments).where(and(eq(departments.id, input.departmentId), eq(departments.hallId, hallId))), 'departmentId');
}

export function createComplaintService(ctx: AppContext, times: HallTimes) {
  const { db, clock } = ctx;

  async function register(actor: Actor, hallId: string, input: z.output<typeof ComplaintInput>) {
    await inHall(db, hallId, input);
    const time = await times(hallId);
    const now = clock.now();
    // A complaint about a window belongs to the window's department unless told otherwise.
    let departmentId = input.departmentId ?? null;
    if (!departmentId && input.windowId) {
      const [w] = await db.select({ departmentId: windows.departmentId }).from(windows).where(eq(windows.id, input.windowId));
      departmentId = w?.departmentId ?? null;
    }
    const dueAt = deadlineAfter(time, now, complaintLimitDays(time.settings.complaint, input.kind, input.complexity));
    const pd = await personalData(db);
    const row = await db.transaction(async (tx) => {
      const number = await nextNumber(tx, hallId, 'TS', time.zone, now);
      const [c] = await tx
        .insert(complaints)
        .values({
          hallId,
          number,
          kind: input.kind,
          channel: input.channel,
          complexity: input.complexity,
          complainantName: input.complainantName,
          complainantPhoneEnc: pd.seal(input.complainantPhone),
          content: input.content,
          windowId: input.windowId ?? null,
          staffId: input.staffId ?? null,
          departmentId,
          status: 'open',
          receivedAt: now,
          dueAt,
          createdByName: actor.name,
        })
        .returning();
      await recordAudit(tx, actor, { hallId, action: 'complaint.registered', entityType: 'complaint', entityId: c!.id, after: { number, kind: input.kind, channel: input.channel } });
      await scheduleTimer(tx, { hallId, kind: COMPLAINT_TIMER, key: c!.id, dueAt: new Date(dueAt.getTime() + 1000), payload: { deadline: dueAt.toISOString() } });
      await notifyRoles(tx, hallId, ['supervisor'], { template: 'feedback.complaint_new', body: `新${COMPLAINT_KIND_LABELS[input.kind]} ${number}，请于期限内答复。`, params: { complaintId: c!.id }, dedupeKey: `feedback.complaint_new:${c!.id}` }, now);
      return c!;
    });
    return view(row, time, pd, true);
  }

  function view(c: ComplaintRow, time: HallTime, pd: PersonalData, clear: boolean, names: { windowName?: string | null; staffName?: string | null; departmentName?: string | null } = {}) {
    return {
      id: c.id,
      number: c.number,
      kind: c.kind,
      kindLabel: COMPLAINT_KIND_LABELS[c.kind],
      channel: c.channel,
      channelLabel: COMPLAINT_CHANNEL_LABELS[c.channel],
      complexity: c.complexity,
      complexityLabel: COMPLEXITY_LABELS[c.complexity],
      // 投诉人保密: supervisors see who complained; everyone else sees a mask.
      complainantName: clear ? c.complainantName : maskName(c.complainantName),
      complainantPhone: shownPhone(pd.open(c.complainantPhoneEnc, c.complainantPhone), clear),
      content: c.content,
      windowId: c.windowId,
      staffId: c.staffId,
      departmentId: c.departmentId,
      windowName: names.windowName ?? null,
      staffName: names.staffName ?? null,
      departmentName: names.departmentName ?? null,
      status: c.status,
      receivedAt: iso(c.receivedAt, time.zone)!,
      dueAt: iso(c.dueAt, time.zone)!,
      light: lightOf(time, currentDeadline(c), clock.now(), c.answeredAt),
      escalated: c.escalatedAt !== null,
      outcome: c.outcome,
      finding: c.finding,
      findingLabel: c.finding ? FINDING_LABELS[c.finding] : null,
      answeredAt: iso(c.answeredAt, time.zone),
      answeredByName: c.answeredByName,
      disposition: c.disposition,
      dispositionLabel: c.disposition ? DISPOSITION_LABELS[c.disposition] : null,
      impossibleReason: c.impossibleReason,
      legalBasis: c.legalBasis,
      foundImpossibleAt: iso(c.foundImpossibleAt, time.zone),
      foundByName: c.foundByName,
      replyDueAt: iso(c.replyDueAt, time.zone),
      transferredTo: c.transferredTo,
    };
  }

  const seesClear = (user: AuthUser) => user.roles.includes('supervisor');
  const broad = (user: AuthUser) => user.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');

  function scope(user: AuthUser): SQL {
    const hall = eq(complaints.hallId, user.hallId);
    // A department's leader sees the complaints about the department, masked.
    return broad(user) ? hall : and(hall, eq(complaints.departmentId, user.departmentId ?? '00000000-0000-0000-0000-000000000000'))!;
  }

  /** Complaints with the names of the window, staff member and department they are about. */
  const withNames = (where: SQL) =>
    db
      .select({ c: complaints, windowName: windows.name, staffName: users.displayName, departmentName: departments.name })
      .from(complaints)
      .leftJoin(windows, eq(windows.id, complaints.windowId))
      .leftJoin(users, eq(users.id, complaints.staffId))
      .leftJoin(departments, eq(departments.id, complaints.departmentId))
      .where(where);

  return {
    register: (user: AuthUser, input: z.output<typeof ComplaintInput>) => register(actorOf(user), user.hallId, input),

    /** Online complaints from the public portal: simple by default; the desk may reclassify by answering. */
    async registerOnline(hallId: string, input: z.output<typeof PublicComplaintInput>) {
      let windowId: string | undefined;
      if (input.windowNumber !== undefined) {
        const [w] = await db.select({ id: windows.id }).from(windows).where(and(eq(windows.hallId, hallId), eq(windows.number, input.windowNumber)));
        if (!w) throw validationFailed(`没有 ${input.windowNumber} 号窗口`, { windowNumber: input.windowNumber });
        windowId = w.id;
      }
      const c = await register({ id: null, name: '网上投诉', roles: [] }, hallId, {
        kind: input.kind,
        channel: 'online',
        complexity: 'simple',
        complainantName: input.complainantName,
        complainantPhone: input.complainantPhone,
        content: input.content,
        windowId,
      });
      return { number: c.number, dueAt: c.dueAt };
    },

    async list(user: AuthUser, status: 'open' | 'answered' | 'all') {
      const time = await times(user.hallId);
      const where: SQL[] = [scope(user)];
      if (status !== 'all') where.push(eq(complaints.status, status));
      const rows = await withNames(and(...where)!)
        .orderBy(status === 'answered' ? desc(complaints.answeredAt) : asc(complaints.dueAt))
        .limit(500);
      const pd = await personalData(db);
      return rows.map(({ c, ...names }) => view(c, time, pd, seesClear(user), names));
    },

    /** 确属办不成: the reason and its legal basis recorded; the person must be answered within the hall's limit. */
    async findImpossible(user: AuthUser, id: string, input: z.output<typeof ImpossibleFinding>) {
      const time = await times(user.hallId);
      const now = clock.now();
      const actor = actorOf(user);
      const replyDueAt = deadlineAfter(time, now, time.settings.complaint.impossibleReplyDays);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(complaints).where(and(eq(complaints.id, id), eq(complaints.hallId, user.hallId))).for('update');
        if (!c) throw notFound('投诉');
        const refusal = impossibleFindingRefusal(c);
        if (refusal) throw refuse(refusal);
        const [after] = await tx
          .update(complaints)
          .set({ disposition: 'impossible', impossibleReason: input.reason, legalBasis: input.legalBasis, foundImpossibleAt: now, foundByName: actor.name, replyDueAt })
          .where(eq(complaints.id, c.id))
          .returning();
        // The intake deadline is met by the finding; what is watched from now on is the answer.
        await cancelTimer(tx, COMPLAINT_TIMER, c.id);
        await scheduleTimer(tx, { hallId: c.hallId, kind: IMPOSSIBLE_REPLY_TIMER, key: c.id, dueAt: yellowAt(time, now, replyDueAt), payload: { stage: 'reminder', deadline: replyDueAt.toISOString() } });
        await recordAudit(tx, actor, { hallId: c.hallId, action: 'complaint.found_impossible', entityType: 'complaint', entityId: c.id, after: { reason: input.reason, legalBasis: input.legalBasis, replyDueAt: replyDueAt.toISOString() } });
        return after!;
      });
      return view(row, time, await personalData(db), seesClear(user));
    },

    /** The 办不成事 ledger of a month (by the day it came in): what came in and how each ended. */
    async ledger(user: AuthUser, month: string) {
      const time = await times(user.hallId);
      const [from, to] = monthRange(month, time.zone);
      const rows = await withNames(and(scope(user), eq(complaints.kind, 'cannot_get_done'), gte(complaints.receivedAt, from), lt(complaints.receivedAt, to))!).orderBy(asc(complaints.receivedAt), asc(complaints.number));
      const pd = await personalData(db);
      return {
        month,
        counts: ledgerCounts(rows.map((r) => r.c), clock.now()),
        rows: rows.map(({ c, ...names }) => view(c, time, pd, seesClear(user), names)),
      };
    },

    async answer(user: AuthUser, id: string, input: z.output<typeof ComplaintAnswer>) {
      await inHall(db, user.hallId, { windowId: input.findingWindowId, staffId: input.findingStaffId });
      const time = await times(user.hallId);
      const now = clock.now();
      const actor = actorOf(user);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(complaints).where(and(eq(complaints.id, id), eq(complaints.hallId, user.hallId))).for('update');
        if (!c) throw notFound('投诉');
        if (c.status !== 'open') throw new DomainError(409, 'ALREADY_ANSWERED', `投诉 ${c.number} 已答复`);
        const decided = dispositionOnAnswer(c, input);
        if ('code' in decided) throw refuse(decided);
        const [after] = await tx
          .update(complaints)
          .set({
            status: 'answered',
            outcome: input.outcome,
            finding: input.finding,
            // The finding counts against the window and staff member it names, by default those complained about.
            findingWindowId: input.findingWindowId ?? c.windowId,
            findingStaffId: input.findingStaffId ?? c.staffId,
            answeredAt: now,
            answeredByName: actor.name,
            disposition: decided.disposition,
            transferredTo: decided.disposition === 'transferred' ? input.transferredTo! : null,
          })
          .where(eq(complaints.id, c.id))
          .returning();
        await cancelTimer(tx, COMPLAINT_TIMER, c.id);
        await cancelTimer(tx, IMPOSSIBLE_REPLY_TIMER, c.id);
        await recordAudit(tx, actor, { hallId: c.hallId, action: 'complaint.answered', entityType: 'complaint', entityId: c.id, after: { finding: input.finding, disposition: decided.disposition } });
        // The person learns why it cannot be done and on what rule, not only the outcome.
        const why = decided.disposition === 'impossible' ? `（不能办理的理由：${c.impossibleReason}；依据：${c.legalBasis}）` : decided.disposition === 'transferred' ? `（已转${input.transferredTo}办理）` : '';
        await textCitizen(
          tx,
          c.hallId,
          (await personalData(tx)).open(c.complainantPhoneEnc, c.complainantPhone),
          { template: 'feedback.complaint_outcome', body: `【${time.hallName}】您的${COMPLAINT_KIND_LABELS[c.kind]}（${c.number}）处理结果：${input.outcome}${why}`, params: { complaintId: c.id }, dedupeKey: `feedback.complaint_outcome:${c.id}` },
          now,
        );
        return after!;
      });
      return view(row, time, await personalData(db), seesClear(user));
    },
  };
}
export type ComplaintService = ReturnType<typeof createComplaintService>;

/** Overdue and unanswered: escalated to the managers and the department's leaders. */
export const complaintOverdue: TimerHandler = async (tx, timer) => {
  const [c] = await tx.select().from(complaints).where(eq(complaints.id, timer.key)).for('update');
  if (!c || c.status !== 'open' || c.escalatedAt || c.dueAt.toISOString() !== timer.payload.deadline) return;
  await escalate(tx, c, timer.dueAt, { dueAt: c.dueAt.toISOString() }, 'feedback.complaint_overdue', `${COMPLAINT_KIND_LABELS[c.kind]} ${c.number} 已超过答复期限，已升级督办。`);
};

/** Marks an unanswered complaint escalated (audited) and tells the managers, its department's leaders and supervision. */
async function escalate(tx: Db, c: ComplaintRow, at: Date, missed: Record<string, string>, template: string, body: string): Promise<void> {
  await tx.update(complaints).set({ escalatedAt: at }).where(eq(complaints.id, c.id));
  await recordAudit(tx, SYSTEM_ACTOR, { hallId: c.hallId, action: 'complaint.escalated', entityType: 'complaint', entityId: c.id, after: missed });
  await notifyRoles(tx, c.hallId, ['manager', 'leader', 'supervisor'], { template, body, params: { complaintId: c.id }, dedupeKey: `${template}:${c.id}` }, at, c.departmentId);
}

/**
 * The answer after an impossible finding: a reminder to the supervision office when its light turns
 * yellow, then escalation to managers and the department's leaders once it is late; stale after an answer.
 */
export const impossibleReplyDue: TimerHandler = async (tx, timer) => {
  const [c] = await tx.select().from(complaints).where(eq(complaints.id, timer.key)).for('update');
  if (!c || c.status !== 'open' || !c.replyDueAt || c.replyDueAt.toISOString() !== timer.payload.deadline) return;
  const due = iso(c.replyDueAt);
  if (timer.payload.stage === 'reminder') {
    await tx.update(complaints).set({ replyRemindedAt: timer.dueAt }).where(eq(complaints.id, c.id));
    await recordAudit(tx, SYSTEM_ACTOR, { hallId: c.hallId, action: 'complaint.reply_reminded', entityType: 'complaint', entityId: c.id, after: { replyDueAt: c.replyDueAt.toISOString() } });
    await notifyRoles(tx, c.hallId, ['supervisor'], { template: 'feedback.impossible_reply_soon', body: `办不成事 ${c.number} 已认定确属办不成，须于 ${due} 前答复反映人。`, params: { complaintId: c.id }, dedupeKey: `feedback.impossible_reply_soon:${c.id}` }, timer.dueAt);
    await scheduleTimer(tx, { hallId: c.hallId, kind: IMPOSSIBLE_REPLY_TIMER, key: c.id, dueAt: new Date(c.replyDueAt.getTime() + 1000), payload: { stage: 'late', deadline: c.replyDueAt.toISOString() } });
    return;
  }
  await escalate(tx, c, timer.dueAt, { replyDueAt: c.replyDueAt.toISOString() }, 'feedback.impossible_reply_overdue', `办不成事 ${c.number} 认定确属办不成后未在 ${due} 前答复反映人，已升级督办。`);
};
