// Appeals (诉求) in the 12345 model: received at the desk (or through Open311), dispatched to a unit at a
// grid level with the type's time limit (Guangdong: 咨询 2, 求助/建议 10, 投诉/举报 15 working days) and a
// sign-for limit (1 working day); signed for or returned with a reason; escalated level by level (each
// level with its own limit); extended with approval; answered; closed by the return visit only. The
// action log is the truth: the row is its projection, checked by replaying the log through the table in
// appeal-states.ts.
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, forbidden, notFound, validationFailed } from '../server/errors.js';
import { PUBLIC_ACTOR, recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { scheduleTimer, cancelTimer, type TimerHandler } from '../jobs/timers.js';
import { departments } from '../org/tables.js';
import { maskName } from '../shared/identity.js';
import { personalData, type PersonalData } from '../cases/personal.js';
import {
  APPEAL_ACTION_LABELS,
  APPEAL_LEVEL_LABELS,
  APPEAL_STATUS_LABELS,
  APPEAL_TYPE_LABELS,
  AppealMoveError,
  allowedAppealActions,
  applyAppealStep,
  replayAppeal,
  type AppealAction,
  type AppealLevel,
  type AppealState,
  type AppealType,
} from './appeal-states.js';
import { deadlineAfter, extendDeadline, iso, isUniqueViolation, lightOf, nextNumber, notifyRoles, shownPhone, textCitizen, type HallTime, type HallTimes } from './common.js';
import { APPEAL_SOURCE_LABELS, GRADE_LABELS, type AppealActionInput, type AppealInput, type PublicAppealInput, type AppealSource, type CategoryInput, type Grade, type Satisfaction } from './schemas.js';
import { appealActions, appealCategories, appeals, type AppealActionRow, type AppealCategoryRow, type AppealRow } from './tables.js';

export const APPEAL_TIMER = 'feedback.appeal';

/** What a new appeal carries besides the desk's form: Open311's location, contact and attributes. */
export interface AppealIntake {
  type?: AppealType;
  categoryCode?: string;
  source: AppealSource;
  content: string;
  appellantName?: string | null;
  appellantPhone?: string | null;
  email?: string | null;
  accountId?: string | null;
  address?: string | null;
  addressId?: string | null;
  lat?: number | null;
  long?: number | null;
  mediaUrl?: string | null;
  attributes?: Record<string, string | string[]>;
  departmentId?: string;
  level?: AppealLevel;
}

const DESK: readonly string[] = ['admin', 'manager', 'supervisor'];
const isDesk = (user: AuthUser) => user.roles.some((r) => DESK.includes(r));
const isManager = (user: AuthUser) => user.roles.some((r) => r === 'admin' || r === 'manager');
/** Actions of the unit an appeal is dispatched to. */
const UNIT_ACTIONS: readonly AppealAction[] = ['sign', 'return', 'escalate', 'request_extension', 'answer'];

export const satisfactionLabel = (s: Satisfaction | null) => (s === null ? null : s === 'unreachable' ? '未能联系' : GRADE_LABELS[s as Grade]);

export function createAppealService(ctx: AppContext, times: HallTimes) {
  const { db, clock } = ctx;

  async function departmentIn(hallId: string, id: string) {
    const [d] = await db.select({ id: departments.id, name: departments.name }).from(departments).where(and(eq(departments.id, id), eq(departments.hallId, hallId)));
    if (!d) throw validationFailed('承办单位不属于本中心', { departmentId: id });
    return d;
  }

  /** The projection's changes for one step; the limits are set when a stage starts. */
  function effects(time: HallTime, a: AppealRow, step: AppealActionInput | { action: 'receive' }, to: AppealState, now: Date): Partial<AppealRow> {
    const s = time.settings.appeal;
    switch (step.action) {
      case 'dispatch':
      case 'escalate':
        return {
          // The type's limit runs from the first dispatch: a return or re-dispatch does not restart it.
          deadlineAt: a.deadlineAt ?? deadlineAfter(time, now, s.limits[a.type]),
          signDeadlineAt: deadlineAfter(time, now, s.signDays),
          levelDeadlineAt: deadlineAfter(time, now, s.levelDays[to.level]),
          signedAt: null,
        };
      case 'sign':
        return { signedAt: now, signDeadlineAt: null };
      case 'return':
        return { signDeadlineAt: null, levelDeadlineAt: null };
      case 'request_extension':
        if (a.extended) throw new DomainError(409, 'EXTENSION_USED', '每件诉求只能延期一次');
        if (a.extensionDays !== null) throw new DomainError(409, 'EXTENSION_PENDING', '已有待审批的延期申请');
        return { extensionDays: step.days };
      case 'approve_extension':
        if (a.extended || a.extensionDays === null) throw new DomainError(409, 'NO_EXTENSION_PENDING', '没有待审批的延期申请');
        return { extended: true, deadlineAt: extendDeadline(time, a.deadlineAt!, a.extensionDays) };
      case 'reject_extension':
        if (a.extended || a.extensionDays === null) throw new DomainError(409, 'NO_EXTENSION_PENDING', '没有待审批的延期申请');
        return { extensionDays: null };
      case 'answer':
        return { answer: step.answer, answeredAt: now };
      case 'revisit':
        // Not satisfied: back to the unit for rework (重办) with a fresh limit at its level.
        return to.status === 'closed' ? { satisfaction: step.satisfaction, closedAt: now } : { satisfaction: step.satisfaction, levelDeadlineAt: deadlineAfter(time, now, s.levelDays[to.level]) };
      default:
        return {};
    }
  }

  function mayAct(user: AuthUser, a: Pick<AppealRow, 'departmentId'>, action: AppealAction): boolean {
    if (isManager(user)) return true;
    if (action === 'approve_extension' || action === 'reject_extension') return false;
    if (UNIT_ACTIONS.includes(action)) return a.departmentId !== null && user.departmentId === a.departmentId && (user.roles.includes('leader') || user.roles.includes('staff'));
    return isDesk(user);
  }

  /** Applies one step in the caller's transaction: the table, the projection, the log, the timer. */
  async function step(tx: Db, time: HallTime, a: AppealRow, input: AppealActionInput | { action: 'receive'; level: AppealLevel }, actor: Actor, now: Date): Promise<AppealRow> {
    const current: AppealState | null = input.action === 'receive' ? null : { status: a.status, level: a.level, departmentId: a.departmentId };
    let to: AppealState;
    try {
      to = applyAppealStep(current, {
        action: input.action,
        level: input.action === 'dispatch' || input.action === 'receive' ? input.level : undefined,
        departmentId: input.action === 'dispatch' || input.action === 'escalate' ? input.departmentId : undefined,
        satisfaction: input.action === 'revisit' ? input.satisfaction : undefined,
      });
    } catch (err) {
      if (!(err instanceof AppealMoveError)) throw err;
      if (err.why === 'top_level') throw new DomainError(409, 'TOP_LEVEL', '已在区县一级，疑难问题由区县协调解决，不能再上报');
      throw new DomainError(409, 'INVALID_TRANSITION', `诉求${APPEAL_STATUS_LABELS[a.status]}，不能${APPEAL_ACTION_LABELS[input.action]}`, { status: a.status, action: input.action });
    }
    const patch = input.action === 'receive' ? {} : effects(time, a, input, to, now);
    const seq = input.action === 'receive' ? 1 : a.version + 1;
    const [after] = await tx
      .update(appeals)
      .set({ ...patch, status: to.status, level: to.level, departmentId: to.departmentId, version: seq, updatedAt: now })
      .where(eq(appeals.id, a.id))
      .returning();
    const reason = 'reason' in input ? input.reason : 'note' in input ? (input.note ?? null) : input.action === 'answer' ? input.answer : null;
    try {
      await tx.insert(appealActions).values({
        hallId: a.hallId,
        appealId: a.id,
        seq,
        action: input.action,
        statusAfter: to.status,
        level: to.level,
        departmentId: to.departmentId,
        // The limit running at the level after this step: each level's own, kept in the history.
        deadlineAt: after!.levelDeadlineAt,
        reason,
        data: input.action === 'revisit' ? { satisfaction: input.satisfaction } : input.action === 'request_extension' ? { days: input.days } : {},
        actorId: actor.id,
        actorName: actor.name,
        at: now,
      });
    } catch (err) {
      // Two people acting on the same appeal at once: the second retries on the new state.
      if (isUniqueViolation(err)) throw new DomainError(409, 'CONFLICT', '该诉求刚被他人处理，请刷新后重试');
      throw err;
    }
    await recordAudit(tx, actor, { hallId: a.hallId, action: `appeal.${input.action}`, entityType: 'appeal', entityId: a.id, before: current, after: { ...to, reason } });
    await scheduleCheck(tx, after!, now);
    await tellPeople(tx, time, after!, input, now);
    return after!;
  }

  async function tellPeople(tx: Db, time: HallTime, a: AppealRow, input: { action: string } & Partial<{ answer: string; reason: string }>, now: Date) {
    const key = `${a.id}:${a.version}`;
    if (input.action === 'dispatch' || input.action === 'escalate') {
      await notifyRoles(tx, a.hallId, ['leader'], { template: 'feedback.appeal_dispatched', body: `新派诉求 ${a.number}（${APPEAL_TYPE_LABELS[a.type]}，${APPEAL_LEVEL_LABELS[a.level]}级），请于 ${iso(a.signDeadlineAt, time.zone)!.slice(0, 16).replace('T', ' ')} 前签收。`, params: { appealId: a.id }, dedupeKey: `feedback.appeal_dispatched:${key}` }, now, a.departmentId);
    } else if (input.action === 'return' || input.action === 'request_extension') {
      await notifyRoles(tx, a.hallId, ['manager'], { template: 'feedback.appeal_desk', body: `诉求 ${a.number} ${APPEAL_ACTION_LABELS[input.action as AppealAction]}：${input.reason ?? ''}`, params: { appealId: a.id }, dedupeKey: `feedback.appeal_desk:${key}` }, now);
    } else if (input.action === 'answer') {
      await textCitizen(tx, a.hallId, (await personalData(tx)).open(a.appellantPhoneEnc, a.appellantPhone), { template: 'feedback.appeal_answer', body: `【${time.hallName}】您反映的问题（${a.number}）答复如下：${input.answer}`, params: { appealId: a.id }, dedupeKey: `feedback.appeal_answer:${key}` }, now);
    }
  }

  async function loadForUpdate(tx: Db, hallId: string, id: string) {
    const [a] = await tx.select().from(appeals).where(and(eq(appeals.id, id), eq(appeals.hallId, hallId))).for('update');
    if (!a) throw notFound('诉求');
    return a;
  }

  async function categoryByCode(hallId: string, code: string) {
    const [c] = await db.select().from(appealCategories).where(and(eq(appealCategories.hallId, hallId), eq(appealCategories.code, code)));
    return c ?? null;
  }

  function canSeeContact(user: AuthUser, a: AppealRow) {
    // The desk calls appellants back; a unit handles with the contact, except that a reporter (举报) stays confidential.
    return isDesk(user) || a.type !== 'report';
  }

  function view(user: AuthUser, a: AppealRow, time: HallTime, pd: PersonalData, names: { departmentName?: string | null; categoryName?: string | null; categoryCode?: string | null } = {}) {
    const now = clock.now();
    const clear = canSeeContact(user, a);
    const closed = a.status === 'closed';
    const running = [a.signDeadlineAt, a.levelDeadlineAt, a.deadlineAt].filter((d): d is Date => d !== null && !closed && a.status !== 'answered');
    const next = running.length ? new Date(Math.min(...running.map((d) => d.getTime()))) : null;
    return {
      id: a.id,
      number: a.number,
      type: a.type,
      typeLabel: APPEAL_TYPE_LABELS[a.type],
      categoryCode: names.categoryCode ?? null,
      categoryName: names.categoryName ?? null,
      source: a.source,
      sourceLabel: APPEAL_SOURCE_LABELS[a.source],
      content: a.content,
      appellantName: a.appellantName ? (clear ? a.appellantName : maskName(a.appellantName)) : null,
      appellantPhone: shownPhone(pd.open(a.appellantPhoneEnc, a.appellantPhone), clear),
      address: a.address,
      lat: a.lat,
      long: a.long,
      status: a.status,
      statusLabel: APPEAL_STATUS_LABELS[a.status],
      level: a.level,
      levelLabel: APPEAL_LEVEL_LABELS[a.level],
      departmentId: a.departmentId,
      departmentName: names.departmentName ?? null,
      receivedAt: iso(a.receivedAt, time.zone)!,
      deadline: iso(a.deadlineAt, time.zone),
      signDeadline: iso(a.signDeadlineAt, time.zone),
      levelDeadline: iso(a.levelDeadlineAt, time.zone),
      // The light of the nearest limit still running (sign-for, the level's, the type's).
      light: next ? lightOf(time, next, now) : null,
      overdue: a.overdueAt !== null,
      signedAt: iso(a.signedAt, time.zone),
      answer: a.answer,
      answeredAt: iso(a.answeredAt, time.zone),
      satisfaction: a.satisfaction,
      satisfactionLabel: satisfactionLabel(a.satisfaction),
      closedAt: iso(a.closedAt, time.zone),
      extended: a.extended,
      extensionPendingDays: a.extended ? null : a.extensionDays,
      allowedActions: allowedAppealActions({ status: a.status, level: a.level, departmentId: a.departmentId }).filter((x) => mayAct(user, a, x)),
    };
  }

  async function withNames(rows: AppealRow[]) {
    const deptIds = [...new Set(rows.map((r) => r.departmentId).filter((d): d is string => d !== null))];
    const catIds = [...new Set(rows.map((r) => r.categoryId).filter((d): d is string => d !== null))];
    const [depts, cats] = await Promise.all([
      deptIds.length ? db.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, deptIds)) : [],
      catIds.length ? db.select({ id: appealCategories.id, name: appealCategories.name, code: appealCategories.code }).from(appealCategories).where(inArray(appealCategories.id, catIds)) : [],
    ]);
    const d = new Map(depts.map((x) => [x.id, x.name]));
    const c = new Map(cats.map((x) => [x.id, x]));
    return (a: AppealRow) => ({ departmentName: a.departmentId ? d.get(a.departmentId) ?? null : null, categoryName: a.categoryId ? c.get(a.categoryId)?.name ?? null : null, categoryCode: a.categoryId ? c.get(a.categoryId)?.code ?? null : null });
  }

  const service = {
    /** Registers an appeal; dispatched at once when a unit is given (or its category has one). */
    /** An appeal filed on the portal without an account; the receipt number and the phone find it again. */
    async filePublic(hallId: string, input: z.output<typeof PublicAppealInput>) {
      const a = await service.intake(PUBLIC_ACTOR, hallId, { ...input, source: 'web' });
      const time = await times(hallId);
      return { number: a.number, receivedAt: iso(a.receivedAt, time.zone)!, typeLabel: APPEAL_TYPE_LABELS[a.type] };
    },

    /**
     * The public query by receipt number and the last four digits of the appellant's mobile: masked, with
     * the answer once there is one. A wrong number or wrong digits get the same 404.
     */
    async publicStatus(hallId: string, number: string, phoneLast4: string) {
      const [a] = await db.select().from(appeals).where(and(eq(appeals.hallId, hallId), eq(appeals.number, number)));
      const phone = a ? (await personalData(db)).open(a.appellantPhoneEnc, a.appellantPhone) : null;
      if (!a || !phone || phone.slice(-4) !== phoneLast4) throw notFound('诉求', { number });
      const time = await times(hallId);
      return {
        number: a.number,
        type: a.type,
        typeLabel: APPEAL_TYPE_LABELS[a.type],
        status: a.status,
        statusLabel: APPEAL_STATUS_LABELS[a.status],
        content: a.content,
        appellantName: a.appellantName ? maskName(a.appellantName) : null,
        appellantPhone: shownPhone(phone, false),
        receivedAt: iso(a.receivedAt, time.zone)!,
        deadline: iso(a.deadlineAt, time.zone),
        answeredAt: iso(a.answeredAt, time.zone),
        answer: a.answer,
        closedAt: iso(a.closedAt, time.zone),
      };
    },

    async intake(actor: Actor, hallId: string, input: AppealIntake): Promise<AppealRow> {
      const category = input.categoryCode ? await categoryByCode(hallId, input.categoryCode) : null;
      if (input.categoryCode && (!category || !category.active)) throw notFound(`诉求分类“${input.categoryCode}”`, { categoryCode: input.categoryCode });
      const type = category?.type ?? input.type!;
      if (input.type && category && input.type !== category.type) throw validationFailed(`分类“${category.name}”属于${APPEAL_TYPE_LABELS[category.type]}类`, { type: input.type });
      const departmentId = input.departmentId ?? category?.departmentId ?? null;
      if (departmentId) await departmentIn(hallId, departmentId);
      const level = input.level ?? category?.level ?? 'district';
      const time = await times(hallId);
      const now = clock.now();
      return db.transaction(async (tx) => {
        const number = await nextNumber(tx, hallId, 'SQ', time.zone, now);
        const [a] = await tx
          .insert(appeals)
          .values({
            hallId,
            number,
            type,
            categoryId: category?.id ?? null,
            source: input.source,
            content: input.content,
            appellantName: input.appellantName ?? null,
            appellantPhoneEnc: (await personalData(tx)).seal(input.appellantPhone),
            email: input.email ?? null,
            accountId: input.accountId ?? null,
            address: input.address ?? null,
            addressId: input.addressId ?? null,
            lat: input.lat ?? null,
            long: input.long ?? null,
            mediaUrl: input.mediaUrl ?? null,
            attributes: input.attributes ?? {},
            status: 'received',
            level,
            receivedAt: now,
            // Open311 "batch" services answer with a token that later resolves to the request id.
            open311Token: input.source === 'open311' && category?.open311Type === 'batch' ? randomBytes(12).toString('base64url') : null,
            version: 0,
            updatedAt: now,
          })
          .returning();
        let row = await step(tx, time, a!, { action: 'receive', level }, actor, now);
        if (departmentId) row = await step(tx, time, row, { action: 'dispatch', departmentId, level }, actor, now);
        return row;
      });
    },

    async register(user: AuthUser, input: z.output<typeof AppealInput>) {
      const a = await service.intake(actorOf(user), user.hallId, input);
      return service.get(user, a.id);
    },

    async act(user: AuthUser, id: string, input: AppealActionInput) {
      if (input.action === 'dispatch' || (input.action === 'escalate' && input.departmentId)) await departmentIn(user.hallId, input.departmentId!);
      const time = await times(user.hallId);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const a = await loadForUpdate(tx, user.hallId, id);
        if (!mayAct(user, a, input.action)) {
          throw forbidden(input.action === 'approve_extension' || input.action === 'reject_extension' ? '延期须由中心管理办公室审批' : UNIT_ACTIONS.includes(input.action) ? '只有承办单位可以办理' : '只有受理台可以办理');
        }
        await step(tx, time, a, input, actorOf(user), now);
      });
      return service.get(user, id);
    },

    async get(user: AuthUser, id: string) {
      const [a] = await db.select().from(appeals).where(and(eq(appeals.id, id), eq(appeals.hallId, user.hallId)));
      if (!a) throw notFound('诉求');
      if (!isDesk(user) && a.departmentId !== user.departmentId && !(await service.handledBy(a.id, user.departmentId))) throw notFound('诉求');
      const time = await times(user.hallId);
      const history = await db.select().from(appealActions).where(eq(appealActions.appealId, id)).orderBy(asc(appealActions.seq));
      const names = await withNames([a]);
      const deptIds = [...new Set(history.map((h) => h.departmentId).filter((d): d is string => d !== null))];
      const deptNames = new Map((deptIds.length ? await db.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, deptIds)) : []).map((d) => [d.id, d.name]));
      return {
        ...view(user, a, time, await personalData(db), names(a)),
        history: history.map((h) => historyView(h, time, deptNames)),
        // The log is the truth: the row must be what replaying it gives.
        consistent: sameState(replayAppeal(history.map(stepOf)), a),
      };
    },

    /** Did a department handle it at some level (it keeps seeing what it escalated). */
    async handledBy(appealId: string, departmentId: string | null) {
      if (!departmentId) return false;
      const [row] = await db.select({ id: appealActions.id }).from(appealActions).where(and(eq(appealActions.appealId, appealId), eq(appealActions.departmentId, departmentId))).limit(1);
      return Boolean(row);
    },

    /** The desk's list: every appeal of the hall, newest first, filtered. */
    async list(user: AuthUser, query: { status?: string; type?: AppealType; open?: boolean }) {
      const time = await times(user.hallId);
      const where: SQL[] = [eq(appeals.hallId, user.hallId)];
      if (query.status) where.push(eq(appeals.status, query.status as AppealRow['status']));
      if (query.type) where.push(eq(appeals.type, query.type));
      if (query.open) where.push(sql`${appeals.status} <> 'closed'`);
      const rows = await db.select().from(appeals).where(and(...where)).orderBy(desc(appeals.receivedAt)).limit(500);
      const names = await withNames(rows);
      const pd = await personalData(db);
      return rows.map((a) => view(user, a, time, pd, names(a)));
    },

    /** A department's inbox: what is dispatched to it, waiting to be signed for or being handled. */
    async inbox(user: AuthUser) {
      if (!user.departmentId) return [];
      const time = await times(user.hallId);
      const rows = await db
        .select()
        .from(appeals)
        .where(and(eq(appeals.hallId, user.hallId), eq(appeals.departmentId, user.departmentId), inArray(appeals.status, ['dispatched', 'accepted', 'answered'])))
        .orderBy(asc(sql`coalesce(${appeals.signDeadlineAt}, ${appeals.levelDeadlineAt}, ${appeals.deadlineAt})`));
      const names = await withNames(rows);
      const pd = await personalData(db);
      return rows.map((a) => view(user, a, time, pd, names(a)));
    },

    /** 回访台账: every return visit with the appellant's satisfaction. */
    async revisits(user: AuthUser) {
      const time = await times(user.hallId);
      const rows = await db
        .select({ h: appealActions, number: appeals.number, type: appeals.type, departmentName: departments.name })
        .from(appealActions)
        .innerJoin(appeals, eq(appeals.id, appealActions.appealId))
        .leftJoin(departments, eq(departments.id, appealActions.departmentId))
        .where(and(eq(appealActions.hallId, user.hallId), eq(appealActions.action, 'revisit')))
        .orderBy(desc(appealActions.at))
        .limit(1000);
      return rows.map(({ h, number, type, departmentName }) => ({
        appealId: h.appealId,
        number,
        typeLabel: APPEAL_TYPE_LABELS[type],
        departmentName,
        satisfaction: (h.data as { satisfaction?: Satisfaction }).satisfaction ?? null,
        satisfactionLabel: satisfactionLabel((h.data as { satisfaction?: Satisfaction }).satisfaction ?? null),
        reopened: h.statusAfter !== 'closed',
        note: h.reason,
        visitedBy: h.actorName,
        at: iso(h.at, time.zone)!,
      }));
    },

    // Categories (Open311 services).
    async categories(hallId: string, activeOnly = false) {
      const where: SQL[] = [eq(appealCategories.hallId, hallId)];
      if (activeOnly) where.push(eq(appealCategories.active, true));
      return db.select().from(appealCategories).where(and(...where)).orderBy(asc(appealCategories.sortOrder), asc(appealCategories.code));
    },

    async saveCategory(user: AuthUser, input: z.output<typeof CategoryInput>, id?: string) {
      if (input.departmentId) await departmentIn(user.hallId, input.departmentId);
      const orders = input.attributes.map((a) => a.order);
      if (new Set(orders).size !== orders.length) throw validationFailed('属性的排序号不能重复', { attributes: orders });
      const codes = input.attributes.map((a) => a.code);
      if (new Set(codes).size !== codes.length) throw validationFailed('属性编码不能重复', { attributes: codes });
      const listless = input.attributes.filter((a) => a.datatype.endsWith('valuelist') && a.values.length === 0);
      if (listless.length) throw validationFailed(`选项型属性须给出选项：${listless.map((a) => a.code).join('、')}`);
      const actor = actorOf(user);
      try {
        return await db.transaction(async (tx) => {
          let row: AppealCategoryRow | undefined;
          if (id) {
            [row] = await tx.update(appealCategories).set(input).where(and(eq(appealCategories.id, id), eq(appealCategories.hallId, user.hallId))).returning();
            if (!row) throw notFound('诉求分类');
          } else {
            [row] = await tx.insert(appealCategories).values({ ...input, hallId: user.hallId }).returning();
          }
          await recordAudit(tx, actor, { hallId: user.hallId, action: id ? 'appeal_category.updated' : 'appeal_category.created', entityType: 'appeal_category', entityId: row!.id, after: input });
          return row!;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError(409, 'DUPLICATE', `分类编码“${input.code}”已存在`);
        throw err;
      }
    },
  };
  return service;
}
export type AppealService = ReturnType<typeof createAppealService>;

const stepOf = (h: Pick<AppealActionRow, 'action' | 'level' | 'departmentId' | 'data'>) => ({
  action: h.action,
  level: h.level,
  departmentId: h.departmentId,
  satisfaction: (h.data as { satisfaction?: string }).satisfaction ?? null,
});

const sameState = (s: AppealState, a: Pick<AppealRow, 'status' | 'level' | 'departmentId'>) => s.status === a.status && s.level === a.level && s.departmentId === a.departmentId;

function historyView(h: AppealActionRow, time: HallTime, names: Map<string, string>) {
  return {
    seq: h.seq,
    action: h.action,
    label: APPEAL_ACTION_LABELS[h.action],
    statusAfter: h.statusAfter,
    level: h.level,
    levelLabel: APPEAL_LEVEL_LABELS[h.level],
    departmentId: h.departmentId,
    departmentName: h.departmentId ? names.get(h.departmentId) ?? null : null,
    deadline: iso(h.deadlineAt, time.zone),
    reason: h.reason,
    satisfaction: (h.data as { satisfaction?: Satisfaction }).satisfaction ?? null,
    actorName: h.actorName,
    at: iso(h.at, time.zone)!,
  };
}

/** The deadlines that matter in a state, earliest first: sign-for, the level's, the type's. */
function runningDeadlines(a: AppealRow): { what: 'sign' | 'level' | 'overall'; at: Date }[] {
  const list: { what: 'sign' | 'level' | 'overall'; at: Date }[] = [];
  if (a.status === 'dispatched' && a.signDeadlineAt) list.push({ what: 'sign', at: a.signDeadlineAt });
  if ((a.status === 'dispatched' || a.status === 'accepted') && a.levelDeadlineAt) list.push({ what: 'level', at: a.levelDeadlineAt });
  if (a.status !== 'answered' && a.status !== 'closed' && a.deadlineAt) list.push({ what: 'overall', at: a.deadlineAt });
  return list.sort((x, y) => x.at.getTime() - y.at.getTime());
}

/** One timer per appeal, at the next limit still ahead; past ones are supervised when it fires. */
async function scheduleCheck(tx: Db, a: AppealRow, now: Date) {
  const next = runningDeadlines(a).find((d) => d.at.getTime() >= now.getTime());
  if (!next) return cancelTimer(tx, APPEAL_TIMER, a.id);
  await scheduleTimer(tx, { hallId: a.hallId, kind: APPEAL_TIMER, key: a.id, dueAt: new Date(next.at.getTime() + 1000) });
}

/**
 * 督办: every limit of the appeal's state that has passed and was not supervised yet gets a `supervise`
 * entry in the log (the overall one flags the appeal overdue), and the unit and the desk are told.
 */
export const appealOverdue: TimerHandler = async (tx, timer) => {
  const [a] = await tx.select().from(appeals).where(eq(appeals.id, timer.key)).for('update');
  if (!a) return;
  const at = timer.dueAt;
  const done = await tx.select({ data: appealActions.data }).from(appealActions).where(and(eq(appealActions.appealId, a.id), eq(appealActions.action, 'supervise')));
  const seen = new Set(done.map((d) => `${(d.data as { what?: string }).what}:${(d.data as { deadline?: string }).deadline}`));
  let row = a;
  for (const d of runningDeadlines(a)) {
    if (d.at.getTime() >= at.getTime() || seen.has(`${d.what}:${d.at.toISOString()}`)) continue;
    const seq = row.version + 1;
    [row] = (await tx
      .update(appeals)
      .set({ version: seq, updatedAt: at, overdueAt: d.what === 'overall' ? (row.overdueAt ?? d.at) : row.overdueAt })
      .where(eq(appeals.id, a.id))
      .returning()) as [AppealRow];
    await tx.insert(appealActions).values({
      hallId: a.hallId,
      appealId: a.id,
      seq,
      action: 'supervise',
      statusAfter: row.status,
      level: row.level,
      departmentId: row.departmentId,
      deadlineAt: row.levelDeadlineAt,
      reason: { sign: '超过签收时限', level: `超过${APPEAL_LEVEL_LABELS[row.level]}级办理时限`, overall: '超过办理时限' }[d.what],
      data: { what: d.what, deadline: d.at.toISOString() },
      actorId: null,
      actorName: SYSTEM_ACTOR.name,
      at,
    });
    await recordAudit(tx, SYSTEM_ACTOR, { hallId: a.hallId, action: 'appeal.supervise', entityType: 'appeal', entityId: a.id, after: { what: d.what } });
    await notifyRoles(
      tx,
      a.hallId,
      ['leader', 'manager'],
      { template: 'feedback.appeal_overdue', body: `诉求 ${a.number}${{ sign: '超过签收时限', level: '超过本级办理时限，请办结或上报', overall: '超过办理时限' }[d.what]}，请督办。`, params: { appealId: a.id }, dedupeKey: `feedback.appeal_overdue:${a.id}:${d.what}:${d.at.toISOString()}` },
      at,
      a.departmentId,
    );
  }
  await scheduleCheck(tx, row, new Date(at.getTime() + 1));
};
