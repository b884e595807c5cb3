// Complaints (投诉) and the 办不成事 window: taken on the spot, by phone, in writing or online; answered the
// same or next working day when simple, within five working days when complex or multi-unit (hall
// settings); escalated by a timer when overdue; the outcome goes back to the complainant by SMS and the
// finding is linked to the staff member and window for their assessment. The complainant is confidential:
// name and phone in clear for supervisors only.
import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { cancelTimer, scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { departments, windows } from '../org/tables.js';
import { maskName } from '../shared/identity.js';
import { personalData, type PersonalData } from '../cases/personal.js';
import { deadlineAfter, iso, lightOf, nextNumber, notifyRoles, shownPhone, textCitizen, type HallTime, type HallTimes } from './common.js';
import {
  COMPLAINT_CHANNEL_LABELS,
  COMPLAINT_KIND_LABELS,
  COMPLEXITY_LABELS,
  FINDING_LABELS,
  type ComplaintAnswer,
  type ComplaintInput,
  type PublicComplaintInput,
} from './schemas.js';
import { complaints, type ComplaintRow } from './tables.js';

export const COMPLAINT_TIMER = 'feedback.complaint';

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
      light: lightOf(time, c.dueAt, clock.now(), c.answeredAt),
      escalated: c.escalatedAt !== null,
      outcome: c.outcome,
      finding: c.finding,
      findingLabel: c.finding ? FINDING_LABELS[c.finding] : null,
      answeredAt: iso(c.answeredAt, time.zone),
      answeredByName: c.answeredByName,
    };
  }

  const seesClear = (user: AuthUser) => user.roles.includes('supervisor');
  const broad = (user: AuthUser) => user.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');

  function scope(user: AuthUser): SQL {
    const hall = eq(complaints.hallId, user.hallId);
    // A department's leader sees the complaints about the department, masked.
    return broad(user) ? hall : and(hall, eq(complaints.departmentId, user.departmentId ?? '00000000-0000-0000-0000-000000000000'))!;
  }

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
      const rows = await db
        .select({ c: complaints, windowName: windows.name, staffName: users.displayName, departmentName: departments.name })
        .from(complaints)
        .leftJoin(windows, eq(windows.id, complaints.windowId))
        .leftJoin(users, eq(users.id, complaints.staffId))
        .leftJoin(departments, eq(departments.id, complaints.departmentId))
        .where(and(...where))
        .orderBy(status === 'answered' ? desc(complaints.answeredAt) : asc(complaints.dueAt))
        .limit(500);
      const pd = await personalData(db);
      return rows.map(({ c, ...names }) => view(c, time, pd, seesClear(user), names));
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
          })
          .where(eq(complaints.id, c.id))
          .returning();
        await cancelTimer(tx, COMPLAINT_TIMER, c.id);
        await recordAudit(tx, actor, { hallId: c.hallId, action: 'complaint.answered', entityType: 'complaint', entityId: c.id, after: { finding: input.finding } });
        await textCitizen(
          tx,
          c.hallId,
          (await personalData(db, tx)).open(c.complainantPhoneEnc, c.complainantPhone),
          { template: 'feedback.complaint_outcome', body: `【${time.hallName}】您的${COMPLAINT_KIND_LABELS[c.kind]}（${c.number}）处理结果：${input.outcome}`, params: { complaintId: c.id }, dedupeKey: `feedback.complaint_outcome:${c.id}` },
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
  await tx.update(complaints).set({ escalatedAt: timer.dueAt }).where(eq(complaints.id, c.id));
  await recordAudit(tx, SYSTEM_ACTOR, { hallId: c.hallId, action: 'complaint.escalated', entityType: 'complaint', entityId: c.id, after: { dueAt: c.dueAt.toISOString() } });
  await notifyRoles(
    tx,
    c.hallId,
    ['manager', 'leader', 'supervisor'],
    { template: 'feedback.complaint_overdue', body: `${COMPLAINT_KIND_LABELS[c.kind]} ${c.number} 已超过答复期限，已升级督办。`, params: { complaintId: c.id }, dedupeKey: `feedback.complaint_overdue:${c.id}` },
    timer.dueAt,
    c.departmentId,
  );
};
