import { and, asc, desc, eq, gte, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, forbidden, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import type { AuthUser } from '../auth/service.js';
import { actorOf } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { createCalendarService } from '../calendar/service.js';
import { formatInstant } from '../calendar/index.js';
import { halls, windows } from '../org/tables.js';
import { checkAttachment } from '../catalog/attachments.js';
import { assessDay, disciplineScore, leaveDays, leaveHalves, needsDocument, type DayResult } from './attendance.js';
import { createGapService } from './gaps.js';
import { datesBetween, daySessions, loadHall, monthBounds, staffMembers, today, type HallContext, type StaffMember } from './hall.js';
import { LEAVE_KIND_LABELS, type GoingOutInput, type InspectionInput, type LeaveInput, type RegisterInput, StaffSettings } from './schemas.js';
import {
  attendanceEvents,
  departmentChiefs,
  goingOuts,
  inspections,
  leaveDocuments,
  leaveRequests,
  staffRegister,
  type Half,
  type LeaveRow,
  type LeaveStatus,
} from './tables.js';
import type { z } from 'zod';

const MANAGERS = ['admin', 'manager'] as const;
const isManager = (user: AuthUser) => user.roles.some((r) => (MANAGERS as readonly string[]).includes(r));
const STAMPED_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];

export interface PersonMonth {
  userId: string;
  name: string;
  departmentId: string | null;
  departmentName: string;
  windowName: string;
  expectedDays: number;
  presentDays: number;
  late: number;
  early: number;
  missedSign: number;
  offPost: number;
  absentHalfDays: number;
  leaveDays: { personal: number; sick: number; annual: number; total: number };
  leaveTimes: number;
  goingOuts: number;
  score: number;
}

export function createStaffService(ctx: AppContext) {
  const { db, clock } = ctx;
  const calendars = createCalendarService(ctx);
  const gaps = createGapService(ctx);
  const hallOf = (hallId: string) => loadHall(db, hallId, calendars.calendarFor);
  const at = (h: HallContext, d: Date | null) => (d ? formatInstant(d.getTime(), h.zone) : null);

  async function userInHall(hallId: string, userId: string) {
    const [row] = await db
      .select({ id: users.id, name: users.displayName, username: users.username, departmentId: users.departmentId, roles: users.roles })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.hallId, hallId)));
    if (!row) throw validationFailed('所选人员不存在', { userId });
    return { ...row, name: row.name || row.username };
  }

  /** Today's punches of a person, in order; the last says whether they are signed in, and where. */
  async function punchesOn(userId: string, date: string) {
    return db.select().from(attendanceEvents).where(and(eq(attendanceEvents.userId, userId), eq(attendanceEvents.localDate, date))).orderBy(asc(attendanceEvents.id));
  }

  /** Working-day test and date list of the hall's calendar, for leave arithmetic. */
  const leaveCalendar = (h: HallContext) => ({ isWorkday: (d: string) => h.calendar.isWorkday(d), dates: datesBetween });

  /** A person's pending and approved leave days per month (by month `YYYY-MM`), leaving out one request. */
  async function monthLeaveTotals(q: Db, h: HallContext, userId: string, months: string[]): Promise<Map<string, number>> {
    const totals = new Map(months.map((m) => [m, 0]));
    const first = monthBounds(months[0]!, h.zone).from;
    const last = monthBounds(months.at(-1)!, h.zone).to;
    const rows = await q
      .select()
      .from(leaveRequests)
      .where(and(eq(leaveRequests.userId, userId), inArray(leaveRequests.status, ['pending', 'approved']), lte(leaveRequests.fromDate, last), gte(leaveRequests.toDate, first)));
    const cal = leaveCalendar(h);
    for (const r of rows) {
      const halves = leaveHalves(r, cal.isWorkday, cal.dates);
      for (const m of months) {
        const b = monthBounds(m, h.zone);
        totals.set(m, (totals.get(m) ?? 0) + leaveDays(halves, b.from, b.to));
      }
    }
    return totals;
  }

  async function leaveView(q: Db, h: HallContext, row: LeaveRow) {
    const [person] = await q.select({ name: users.displayName, username: users.username }).from(users).where(eq(users.id, row.userId));
    const [doc] = await q.select({ filename: leaveDocuments.filename, size: leaveDocuments.size, uploadedAt: leaveDocuments.uploadedAt }).from(leaveDocuments).where(eq(leaveDocuments.leaveId, row.id));
    return {
      id: row.id,
      userId: row.userId,
      userName: person?.name || person?.username || '',
      kind: row.kind,
      kindLabel: LEAVE_KIND_LABELS[row.kind],
      fromDate: row.fromDate,
      fromHalf: row.fromHalf,
      toDate: row.toDate,
      toHalf: row.toHalf,
      days: Number(row.days),
      reason: row.reason,
      requiresDocument: row.requiresDocument,
      document: doc ? { filename: doc.filename, size: doc.size, uploadedAt: at(h, doc.uploadedAt)! } : null,
      status: row.status,
      decisionNote: row.decisionNote,
      decidedAt: at(h, row.decidedAt),
      createdAt: at(h, row.createdAt)!,
    };
  }

  async function leaveFor(q: Db, user: AuthUser, id: string, lock = false) {
    const query = q.select().from(leaveRequests).where(and(eq(leaveRequests.id, id), eq(leaveRequests.hallId, user.hallId)));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('请假申请');
    if (!isManager(user) && row.userId !== user.id) throw forbidden('只能查看本人的请假申请');
    return row;
  }

  const service = {
    gaps,
    hallOf,

    async settings(hallId: string) {
      return (await hallOf(hallId)).settings;
    },

    async setSettings(actor: Actor, hallId: string, settings: StaffSettings) {
      // Read before the transaction: on PGlite's one connection a read outside `tx` would wait for it forever.
      const before = (await hallOf(hallId)).settings;
      return db.transaction(async (tx) => {
        await tx.update(halls).set({ settings: sql`jsonb_set(${halls.settings}, '{staff}', ${JSON.stringify(settings)}::jsonb)` }).where(eq(halls.id, hallId));
        await recordAudit(tx, actor, { hallId, action: 'staff.settings_set', entityType: 'hall', entityId: hallId, before, after: settings });
        return settings;
      });
    },

    // ---- Attendance at the staff console ----

    /** The console's state: signed in or not (and where), today's punches, an open going-out, this month's tally. */
    async me(user: AuthUser) {
      const h = await hallOf(user.hallId);
      const now = clock.now();
      const date = today(h, now);
      const punches = await punchesOn(user.id, date);
      const last = punches.at(-1);
      const signedIn = last?.type === 'sign_in';
      const [out] = await db.select().from(goingOuts).where(and(eq(goingOuts.userId, user.id), isNull(goingOuts.returnedAt)));
      const month = date.slice(0, 7);
      const mine = (await service.monthlyAttendance(user.hallId, month, { userId: user.id })).persons[0] ?? null;
      const windowName = (id: string | null) => h.windows.find((w) => w.id === id)?.name ?? null;
      return {
        date,
        signedIn,
        windowId: signedIn ? last!.windowId : null,
        windowName: signedIn ? windowName(last!.windowId) : null,
        windows: user.windowIds.map((id) => ({ id, name: windowName(id) ?? '' })),
        sessions: daySessions(h, date, (signedIn ? last!.windowId : user.windowIds[0]) ?? null).map((s) => ({ from: at(h, new Date(s.from))!, to: at(h, new Date(s.to))! })),
        punches: punches.map((p) => ({ type: p.type, at: at(h, p.at)!, windowName: windowName(p.windowId) })),
        goingOut: out ? { id: out.id, reason: out.reason, outAt: at(h, out.outAt)!, expectedReturnAt: at(h, out.expectedReturnAt)! } : null,
        month: mine,
      };
    },

    async signIn(user: AuthUser, windowId: string | undefined) {
      const h = await hallOf(user.hallId);
      const backups = await gaps.postsOf(user.hallId, user.id);
      const allowed = [...new Set([...user.windowIds, ...backups])];
      const chosen = windowId ?? (allowed.length === 1 ? allowed[0] : undefined);
      if (!chosen) throw validationFailed(allowed.length ? '请选择签到的窗口' : '您没有分配窗口，请联系中心管理员', { windows: allowed });
      if (!allowed.includes(chosen)) throw forbidden('只能在本人的窗口（或担任B角的窗口）签到');
      return db.transaction(async (tx) => {
        const now = clock.now();
        const date = today(h, now);
        // Serialise one person's punches so two quick clicks give one sign-in.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'attendance:' + user.id}))`);
        const [last] = await tx.select().from(attendanceEvents).where(and(eq(attendanceEvents.userId, user.id), eq(attendanceEvents.localDate, date))).orderBy(desc(attendanceEvents.id)).limit(1);
        if (last?.type === 'sign_in') throw new DomainError(409, 'ALREADY_SIGNED_IN', '您今天已签到，请勿重复签到', { at: at(h, last.at) });
        await tx.insert(attendanceEvents).values({ hallId: user.hallId, userId: user.id, windowId: chosen, type: 'sign_in', at: now, localDate: date });
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'attendance.signed_in', entityType: 'user', entityId: user.id, after: { windowId: chosen } });
        await gaps.checkHall(tx, h, now);
        const session = daySessions(h, date, chosen).find((s) => now.getTime() < s.to);
        const lateMinutes = session ? Math.max(0, Math.floor((now.getTime() - session.from) / 60_000)) : 0;
        return { type: 'sign_in' as const, at: at(h, now)!, windowId: chosen, late: lateMinutes > h.settings.graceMinutes, lateMinutes, sessionStart: session ? at(h, new Date(session.from)) : null };
      });
    },

    async signOut(user: AuthUser) {
      const h = await hallOf(user.hallId);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const date = today(h, now);
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'attendance:' + user.id}))`);
        const [last] = await tx.select().from(attendanceEvents).where(and(eq(attendanceEvents.userId, user.id), eq(attendanceEvents.localDate, date))).orderBy(desc(attendanceEvents.id)).limit(1);
        if (last?.type === 'sign_out') throw new DomainError(409, 'NOT_SIGNED_IN', '您已签退', { at: at(h, last.at) });
        const windowId = last?.windowId ?? user.windowIds[0] ?? null;
        await tx.insert(attendanceEvents).values({ hallId: user.hallId, userId: user.id, windowId, type: 'sign_out', at: now, localDate: date });
        // Signing out ends a going-out that was never closed: the person has left.
        await tx.update(goingOuts).set({ returnedAt: now }).where(and(eq(goingOuts.userId, user.id), isNull(goingOuts.returnedAt)));
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'attendance.signed_out', entityType: 'user', entityId: user.id, after: { windowId } });
        await gaps.checkHall(tx, h, now);
        const sessions = daySessions(h, date, windowId);
        const session = [...sessions].reverse().find((s) => now.getTime() >= s.from);
        const earlyMinutes = session && now.getTime() < session.to ? Math.ceil((session.to - now.getTime()) / 60_000) : 0;
        return { type: 'sign_out' as const, at: at(h, now)!, windowId, early: earlyMinutes > h.settings.graceMinutes, earlyMinutes, missedSignIn: !last, sessionEnd: session ? at(h, new Date(session.to)) : null };
      });
    },

    // ---- Going out (外出登记) ----

    async goOut(user: AuthUser, input: z.infer<typeof GoingOutInput>) {
      const h = await hallOf(user.hallId);
      const now = clock.now();
      const expected = new Date(input.expectedReturnAt);
      if (expected.getTime() <= now.getTime()) throw validationFailed('预计返回时间须晚于现在', { expectedReturnAt: input.expectedReturnAt });
      if (today(h, expected) !== today(h, now)) throw validationFailed('外出登记限当天返回；超过当天请提交请假申请', { expectedReturnAt: input.expectedReturnAt });
      const date = today(h, now);
      const punches = await punchesOn(user.id, date);
      const last = punches.at(-1);
      if (last?.type !== 'sign_in') throw new DomainError(409, 'NOT_SIGNED_IN', '请先签到再登记外出');
      const coveredBy = input.coveredBy ?? (last.windowId ? await gaps.backupOf(last.windowId, user.id) : null);
      if (coveredBy) await userInHall(user.hallId, coveredBy);
      return db.transaction(async (tx) => {
        const [open] = await tx.select({ id: goingOuts.id }).from(goingOuts).where(and(eq(goingOuts.userId, user.id), isNull(goingOuts.returnedAt)));
        if (open) throw new DomainError(409, 'ALREADY_OUT', '您已有一条未返回的外出登记', { id: open.id });
        const [row] = await tx
          .insert(goingOuts)
          .values({ hallId: user.hallId, userId: user.id, windowId: last.windowId, reason: input.reason, outAt: now, expectedReturnAt: expected, coveredBy, localDate: date })
          .returning();
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'going_out.registered', entityType: 'going_out', entityId: row!.id, after: { reason: input.reason, expectedReturnAt: input.expectedReturnAt, coveredBy } });
        await gaps.checkHall(tx, h, now);
        return { id: row!.id, reason: row!.reason, outAt: at(h, now)!, expectedReturnAt: at(h, expected)!, coveredBy };
      });
    },

    async returnFromOut(user: AuthUser, id: string) {
      const h = await hallOf(user.hallId);
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(goingOuts).where(and(eq(goingOuts.id, id), eq(goingOuts.hallId, user.hallId))).for('update');
        if (!row) throw notFound('外出登记');
        if (row.userId !== user.id && !isManager(user)) throw forbidden('只能销假本人的外出登记');
        if (row.returnedAt) throw new DomainError(409, 'ALREADY_RETURNED', '该外出登记已返回', { returnedAt: at(h, row.returnedAt) });
        const now = clock.now();
        await tx.update(goingOuts).set({ returnedAt: now }).where(eq(goingOuts.id, id));
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'going_out.returned', entityType: 'going_out', entityId: id });
        await gaps.checkHall(tx, h, now);
        const overdueMinutes = Math.max(0, Math.floor((now.getTime() - row.expectedReturnAt.getTime()) / 60_000));
        return { id, returnedAt: at(h, now)!, overdueMinutes };
      });
    },

    async goingOutList(user: AuthUser, month: string) {
      const h = await hallOf(user.hallId);
      const b = monthBounds(month, h.zone);
      const scope = isManager(user) || user.roles.includes('supervisor') ? undefined : user.roles.includes('leader') ? 'department' : 'self';
      const rows = await db
        .select({ g: goingOuts, name: users.displayName, username: users.username, departmentId: users.departmentId })
        .from(goingOuts)
        .innerJoin(users, eq(users.id, goingOuts.userId))
        .where(
          and(
            eq(goingOuts.hallId, user.hallId),
            gte(goingOuts.localDate, b.from),
            lte(goingOuts.localDate, b.to),
            scope === 'self' ? eq(goingOuts.userId, user.id) : scope === 'department' ? eq(users.departmentId, user.departmentId ?? '00000000-0000-0000-0000-000000000000') : undefined,
          ),
        )
        .orderBy(desc(goingOuts.outAt));
      return rows.map(({ g, name, username }) => ({
        id: g.id,
        userId: g.userId,
        userName: name || username,
        windowName: h.windows.find((w) => w.id === g.windowId)?.name ?? null,
        reason: g.reason,
        outAt: at(h, g.outAt)!,
        expectedReturnAt: at(h, g.expectedReturnAt)!,
        returnedAt: at(h, g.returnedAt),
        overdueMinutes: Math.max(0, Math.floor(((g.returnedAt ?? clock.now()).getTime() - g.expectedReturnAt.getTime()) / 60_000)),
      }));
    },

    // ---- Leave (请假) ----

    async requestLeave(user: AuthUser, input: LeaveInput) {
      const forOther = input.userId && input.userId !== user.id;
      if (forOther && !isManager(user)) throw forbidden('只能为本人申请请假');
      const userId = input.userId ?? user.id;
      const h = await hallOf(user.hallId);
      if (forOther) await userInHall(user.hallId, userId);
      if (input.toDate < input.fromDate || (input.toDate === input.fromDate && input.fromHalf === 'pm' && input.toHalf === 'am')) {
        throw validationFailed('请假结束时间不能早于开始时间', { fromDate: input.fromDate, toDate: input.toDate });
      }
      if (datesBetween(input.fromDate, input.toDate).length > 92) throw validationFailed('一次请假不能超过 3 个月', { fromDate: input.fromDate, toDate: input.toDate });
      const cal = leaveCalendar(h);
      const halves = leaveHalves(input, cal.isWorkday, cal.dates);
      const days = leaveDays(halves);
      if (days === 0) throw validationFailed('所选日期都不是工作日，无需请假', { fromDate: input.fromDate, toDate: input.toDate });
      const months = [...new Set(halves.map((x) => x.date.slice(0, 7)))];
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'leave:' + userId}))`);
        const others = await monthLeaveTotals(tx, h, userId, months);
        const totals = months.map((m) => (others.get(m) ?? 0) + leaveDays(halves, monthBounds(m, h.zone).from, monthBounds(m, h.zone).to));
        const requiresDocument = needsDocument(days, totals, h.settings);
        const [row] = await tx
          .insert(leaveRequests)
          .values({ hallId: user.hallId, userId, kind: input.kind, fromDate: input.fromDate, fromHalf: input.fromHalf, toDate: input.toDate, toHalf: input.toHalf, days, reason: input.reason, requiresDocument, createdAt: clock.now() })
          .returning();
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'leave.requested', entityType: 'leave', entityId: row!.id, after: { ...input, userId, days, requiresDocument } });
        return leaveView(tx, h, row!);
      });
    },

    async uploadLeaveDocument(user: AuthUser, id: string, filename: string, bytes: Uint8Array) {
      const checked = checkAttachment(filename, bytes);
      if (!checked.ok) throw validationFailed(checked.reason, { filename });
      if (!STAMPED_TYPES.includes(checked.mimeType)) throw validationFailed('盖章请假条只能上传 PDF 或图片（PNG、JPG）', { filename });
      const h = await hallOf(user.hallId);
      return db.transaction(async (tx) => {
        const row = await leaveFor(tx, user, id, true);
        if (row.status !== 'pending' && row.status !== 'approved') throw new DomainError(409, 'INVALID_TRANSITION', '请假申请已结束，不能再上传', { status: row.status });
        const values = { hallId: user.hallId, filename: checked.filename, mimeType: checked.mimeType, size: bytes.byteLength, bytes, uploadedBy: user.id, uploadedAt: clock.now() };
        await tx.insert(leaveDocuments).values({ leaveId: id, ...values }).onConflictDoUpdate({ target: leaveDocuments.leaveId, set: values });
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'leave.document_uploaded', entityType: 'leave', entityId: id, after: { filename: checked.filename, size: bytes.byteLength } });
        return leaveView(tx, h, row);
      });
    },

    async leaveDocument(user: AuthUser, id: string) {
      await leaveFor(db, user, id);
      const [doc] = await db.select().from(leaveDocuments).where(eq(leaveDocuments.leaveId, id));
      if (!doc) throw notFound('盖章请假条');
      return doc;
    },

    async decideLeave(user: AuthUser, id: string, decision: 'approved' | 'rejected' | 'cancelled', note: string) {
      const h = await hallOf(user.hallId);
      return db.transaction(async (tx) => {
        const row = await leaveFor(tx, user, id, true);
        if (decision === 'cancelled') {
          if (row.userId !== user.id && !isManager(user)) throw forbidden('只能撤回本人的请假申请');
        } else if (!isManager(user)) throw forbidden('请假由中心管理办公室审批');
        if (row.status !== 'pending') throw new DomainError(409, 'INVALID_TRANSITION', '该请假申请已处理', { status: row.status });
        if (decision === 'approved' && row.requiresDocument) {
          const [doc] = await tx.select({ id: leaveDocuments.leaveId }).from(leaveDocuments).where(eq(leaveDocuments.leaveId, id));
          if (!doc) throw new DomainError(409, 'DOCUMENT_REQUIRED', '请假超过 1 天或当月累计超过 3 天，须先上传所在单位盖章同意的请假条', { requiresDocument: true });
        }
        const [after] = await tx
          .update(leaveRequests)
          .set({ status: decision satisfies LeaveStatus, decidedBy: user.id, decidedAt: clock.now(), decisionNote: note || null })
          .where(eq(leaveRequests.id, id))
          .returning();
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: `leave.${decision}`, entityType: 'leave', entityId: id, before: { status: row.status }, after: { status: decision, note } });
        return leaveView(tx, h, after!);
      });
    },

    async leaves(user: AuthUser, query: { month?: string; status?: LeaveStatus }) {
      const h = await hallOf(user.hallId);
      const b = query.month ? monthBounds(query.month, h.zone) : null;
      const scope = isManager(user) || user.roles.includes('supervisor') ? undefined : user.roles.includes('leader') ? 'department' : 'self';
      const rows = await db
        .select({ l: leaveRequests })
        .from(leaveRequests)
        .innerJoin(users, eq(users.id, leaveRequests.userId))
        .where(
          and(
            eq(leaveRequests.hallId, user.hallId),
            b ? and(lte(leaveRequests.fromDate, b.to), gte(leaveRequests.toDate, b.from)) : undefined,
            query.status ? eq(leaveRequests.status, query.status) : undefined,
            scope === 'self' ? eq(leaveRequests.userId, user.id) : scope === 'department' ? or(eq(users.departmentId, user.departmentId ?? user.id), eq(leaveRequests.userId, user.id)) : undefined,
          ),
        )
        .orderBy(desc(leaveRequests.createdAt))
        .limit(500);
      return Promise.all(rows.map((r) => leaveView(db, h, r.l)));
    },

    // ---- Monthly attendance (考勤表) ----

    /** Per person and per department, replayed day by day from punches, leave, going-out and the calendar. */
    async monthlyAttendance(hallId: string, month: string, filter: { userId?: string; departmentId?: string } = {}) {
      const h = await hallOf(hallId);
      const now = clock.now();
      const b = monthBounds(month, h.zone);
      const todayDate = today(h, now);
      let people = await staffMembers(db, hallId);
      const deptOf = (p: StaffMember) => p.departmentId ?? h.windows.find((w) => w.id === p.windowIds[0])?.departmentId ?? null;
      if (filter.userId) people = people.filter((p) => p.id === filter.userId);
      if (filter.departmentId) people = people.filter((p) => deptOf(p) === filter.departmentId);
      const ids = people.map((p) => p.id);
      const [punches, leaves, outs] = ids.length
        ? await Promise.all([
            db.select().from(attendanceEvents).where(and(eq(attendanceEvents.hallId, hallId), gte(attendanceEvents.localDate, b.from), lte(attendanceEvents.localDate, b.to), inArray(attendanceEvents.userId, ids))).orderBy(asc(attendanceEvents.id)),
            db.select().from(leaveRequests).where(and(eq(leaveRequests.hallId, hallId), eq(leaveRequests.status, 'approved'), lte(leaveRequests.fromDate, b.to), gte(leaveRequests.toDate, b.from), inArray(leaveRequests.userId, ids))),
            db.select().from(goingOuts).where(and(eq(goingOuts.hallId, hallId), gte(goingOuts.localDate, b.from), lte(goingOuts.localDate, b.to), inArray(goingOuts.userId, ids))),
          ])
        : [[], [], []];
      const cal = leaveCalendar(h);
      const dates = datesBetween(b.from, b.to).filter((d) => d <= todayDate);
      // Attendance counts from the hall's first sign-in: the days before it, the hall was not using it.
      const [first] = await db.select({ date: sql<string | null>`min(${attendanceEvents.localDate})::text` }).from(attendanceEvents).where(eq(attendanceEvents.hallId, hallId));
      const since = first?.date ?? null;
      const deptName = new Map(h.departments.map((d) => [d.id, d.name]));
      const persons: PersonMonth[] = people.map((p) => {
        const myLeaves = leaves.filter((l) => l.userId === p.id).map((l) => ({ row: l, halves: leaveHalves(l, cal.isWorkday, cal.dates) }));
        const post = p.windowIds[0] ?? null;
        const tally = { late: 0, early: 0, missedSign: 0, offPost: 0, absentHalfDays: 0 };
        let expectedDays = 0;
        let presentDays = 0;
        for (const date of dates) {
          if (since === null || date < since) continue;
          const halvesToday = new Set<Half>(myLeaves.flatMap((l) => l.halves.filter((x) => x.date === date).map((x) => x.half)));
          const dayEnd = date === todayDate ? now.getTime() : Number.POSITIVE_INFINITY;
          const r: DayResult = assessDay(
            {
              sessions: daySessions(h, date, post),
              punches: punches.filter((e) => e.userId === p.id && e.localDate === date).map((e) => ({ type: e.type, at: e.at.getTime() })),
              leaveHalves: halvesToday,
              goingOuts: outs.filter((g) => g.userId === p.id && g.localDate === date).map((g) => ({ out: g.outAt.getTime(), expectedReturn: g.expectedReturnAt.getTime(), returned: g.returnedAt?.getTime() ?? null })),
              until: dayEnd,
            },
            h.settings,
          );
          if (r.expected) expectedDays++;
          if (r.firstIn !== null || r.lastOut !== null) presentDays++;
          tally.late += r.late;
          tally.early += r.early;
          tally.missedSign += r.missedSign;
          tally.offPost += r.offPost;
          tally.absentHalfDays += r.absentHalfDays;
        }
        const byKind = { personal: 0, sick: 0, annual: 0, total: 0 };
        let leaveTimes = 0;
        for (const l of myLeaves) {
          const d = leaveDays(l.halves, b.from, b.to);
          if (d === 0) continue;
          leaveTimes++;
          byKind[l.row.kind] += d;
          byKind.total += d;
        }
        const dept = deptOf(p);
        return {
          userId: p.id,
          name: p.name,
          departmentId: dept,
          departmentName: dept ? (deptName.get(dept) ?? '') : '综合受理',
          windowName: h.windows.find((w) => w.id === post)?.name ?? '',
          expectedDays,
          presentDays,
          ...tally,
          leaveDays: byKind,
          leaveTimes,
          goingOuts: outs.filter((g) => g.userId === p.id).length,
          score: disciplineScore(tally, h.settings),
        };
      });
      const departments = [...new Set(persons.map((p) => p.departmentId))].map((id) => {
        const list = persons.filter((p) => p.departmentId === id);
        const sum = (f: (p: PersonMonth) => number) => list.reduce((a, p) => a + f(p), 0);
        return {
          departmentId: id,
          departmentName: list[0]!.departmentName,
          people: list.length,
          late: sum((p) => p.late),
          early: sum((p) => p.early),
          missedSign: sum((p) => p.missedSign),
          offPost: sum((p) => p.offPost),
          absentHalfDays: sum((p) => p.absentHalfDays),
          leaveTimes: sum((p) => p.leaveTimes),
          leaveDays: sum((p) => p.leaveDays.total),
          goingOuts: sum((p) => p.goingOuts),
          averageScore: Math.round((sum((p) => p.score) / list.length) * 10) / 10,
        };
      });
      return { month, from: b.from, to: b.to, persons, departments };
    },

    // ---- Leader inspections (巡查签到) ----

    async inspect(user: AuthUser, input: z.infer<typeof InspectionInput>) {
      if (!user.departmentId) throw validationFailed('您的账号未关联部门，无法巡查签到');
      const h = await hallOf(user.hallId);
      const own = h.windows.filter((w) => w.departmentId === user.departmentId).map((w) => w.id);
      const chosen = input.windowIds?.length ? [...new Set(input.windowIds)] : own;
      const foreign = chosen.filter((id) => !own.includes(id));
      if (foreign.length) throw validationFailed('只能巡查本部门的窗口', { windowIds: foreign });
      if (chosen.length === 0) throw validationFailed('本部门在中心没有窗口');
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [row] = await tx
          .insert(inspections)
          .values({ hallId: user.hallId, departmentId: user.departmentId!, leaderId: user.id, windowIds: chosen, findings: input.findings, at: now, localDate: today(h, now) })
          .returning();
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'inspection.signed', entityType: 'inspection', entityId: row!.id, after: { windowIds: chosen, findings: input.findings } });
        return { id: row!.id, at: at(h, now)!, departmentId: user.departmentId!, windowIds: chosen, findings: input.findings };
      });
    },

    /** The month's inspections, and the departments with windows whose leaders signed none. */
    async inspections(hallId: string, month: string) {
      const h = await hallOf(hallId);
      const b = monthBounds(month, h.zone);
      const rows = await db
        .select({ i: inspections, name: users.displayName, username: users.username })
        .from(inspections)
        .innerJoin(users, eq(users.id, inspections.leaderId))
        .where(and(eq(inspections.hallId, hallId), gte(inspections.localDate, b.from), lte(inspections.localDate, b.to)))
        .orderBy(asc(inspections.at));
      const withWindows = h.departments.filter((d) => h.windows.some((w) => w.departmentId === d.id));
      const inspected = new Set(rows.map((r) => r.i.departmentId));
      const deptName = new Map(h.departments.map((d) => [d.id, d.name]));
      return {
        month,
        inspections: rows.map(({ i, name, username }) => ({
          id: i.id,
          at: at(h, i.at)!,
          departmentId: i.departmentId,
          departmentName: deptName.get(i.departmentId) ?? '',
          leaderName: name || username,
          windows: i.windowIds.map((id) => h.windows.find((w) => w.id === id)?.name ?? ''),
          findings: i.findings,
        })),
        inspected: withWindows.filter((d) => inspected.has(d.id)).map((d) => ({ id: d.id, name: d.name })),
        notInspected: withWindows.filter((d) => !inspected.has(d.id)).map((d) => ({ id: d.id, name: d.name })),
      };
    },

    // ---- Registers (领导督办, 媒体报道, 信息报送, 好人好事, 其他工作) ----

    async register(hallId: string, month: string, kind?: RegisterInput['kind']) {
      const h = await hallOf(hallId);
      const b = monthBounds(month, h.zone);
      const rows = await db
        .select()
        .from(staffRegister)
        .where(and(eq(staffRegister.hallId, hallId), gte(staffRegister.occurredOn, b.from), lte(staffRegister.occurredOn, b.to), kind ? eq(staffRegister.kind, kind) : undefined))
        .orderBy(asc(staffRegister.occurredOn), asc(staffRegister.createdAt));
      const ids = [...new Set(rows.flatMap((r) => r.userIds))];
      const names = ids.length ? await db.select({ id: users.id, name: users.displayName, username: users.username }).from(users).where(inArray(users.id, ids)) : [];
      const nameOf = new Map(names.map((n) => [n.id, n.name || n.username]));
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        occurredOn: r.occurredOn,
        title: r.title,
        body: r.body,
        departmentId: r.departmentId,
        departmentName: h.departments.find((d) => d.id === r.departmentId)?.name ?? null,
        windowId: r.windowId,
        windowName: h.windows.find((w) => w.id === r.windowId)?.name ?? null,
        userIds: r.userIds,
        userNames: r.userIds.map((id) => nameOf.get(id) ?? ''),
      }));
    },

    async saveRegister(user: AuthUser, input: RegisterInput, id?: string) {
      const h = await hallOf(user.hallId);
      if (input.departmentId && !h.departments.some((d) => d.id === input.departmentId)) throw validationFailed('所选部门不存在', { departmentId: input.departmentId });
      if (input.windowId && !h.windows.some((w) => w.id === input.windowId)) throw validationFailed('所选窗口不存在', { windowId: input.windowId });
      for (const userId of input.userIds) await userInHall(user.hallId, userId);
      const values = { kind: input.kind, occurredOn: input.occurredOn, title: input.title, body: input.body, departmentId: input.departmentId ?? null, windowId: input.windowId ?? null, userIds: [...new Set(input.userIds)] };
      return db.transaction(async (tx) => {
        let rowId = id;
        if (id) {
          const [before] = await tx.select().from(staffRegister).where(and(eq(staffRegister.id, id), eq(staffRegister.hallId, user.hallId))).for('update');
          if (!before) throw notFound('登记');
          await tx.update(staffRegister).set(values).where(eq(staffRegister.id, id));
          await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'register.updated', entityType: 'register', entityId: id, before, after: values });
        } else {
          const [row] = await tx.insert(staffRegister).values({ hallId: user.hallId, ...values, createdBy: user.id, createdAt: clock.now() }).returning({ id: staffRegister.id });
          rowId = row!.id;
          await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'register.created', entityType: 'register', entityId: rowId, after: values });
        }
        return { id: rowId!, ...values };
      });
    },

    async deleteRegister(user: AuthUser, id: string) {
      await db.transaction(async (tx) => {
        const [row] = await tx.delete(staffRegister).where(and(eq(staffRegister.id, id), eq(staffRegister.hallId, user.hallId))).returning();
        if (!row) throw notFound('登记');
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'register.deleted', entityType: 'register', entityId: id, before: row });
      });
    },

    // ---- Chief representatives (首席代表) ----

    async chiefs(hallId: string) {
      const rows = await db
        .select({ departmentId: departmentChiefs.departmentId, userId: departmentChiefs.userId, name: users.displayName, username: users.username })
        .from(departmentChiefs)
        .innerJoin(users, eq(users.id, departmentChiefs.userId))
        .where(eq(departmentChiefs.hallId, hallId));
      return rows.map((r) => ({ departmentId: r.departmentId, userId: r.userId, name: r.name || r.username }));
    },

    async setChief(user: AuthUser, departmentId: string, userId: string) {
      const h = await hallOf(user.hallId);
      if (!h.departments.some((d) => d.id === departmentId)) throw notFound('部门');
      const person = await userInHall(user.hallId, userId);
      return db.transaction(async (tx) => {
        await tx
          .insert(departmentChiefs)
          .values({ departmentId, hallId: user.hallId, userId, updatedAt: clock.now() })
          .onConflictDoUpdate({ target: departmentChiefs.departmentId, set: { userId, updatedAt: clock.now() } });
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'chief.set', entityType: 'department', entityId: departmentId, after: { userId } });
        return { departmentId, userId, name: person.name };
      });
    },

    /** Windows a staff member may work at, for the manager's forms. */
    async staffList(hallId: string) {
      const people = await staffMembers(db, hallId);
      const others = await db
        .select({ id: users.id, name: users.displayName, username: users.username, roles: users.roles, departmentId: users.departmentId })
        .from(users)
        .where(and(eq(users.hallId, hallId), eq(users.active, true), ne(sql`'staff' = any(${users.roles})`, true)));
      return {
        staff: people.map((p) => ({ id: p.id, name: p.name, departmentId: p.departmentId, windowIds: p.windowIds })),
        leaders: others.filter((o) => o.roles.includes('leader')).map((o) => ({ id: o.id, name: o.name || o.username, departmentId: o.departmentId })),
        windows: (await db.select({ id: windows.id, name: windows.name, number: windows.number, departmentId: windows.departmentId }).from(windows).where(eq(windows.hallId, hallId)).orderBy(asc(windows.number))),
      };
    },
  };
  return service;
}
export type StaffService = ReturnType<typeof createStaffService>;
