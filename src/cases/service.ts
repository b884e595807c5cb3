import QRCode from 'qrcode';
import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, forbidden, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { createCalendarService } from '../calendar/service.js';
import { isOpenAt } from '../calendar/hours.js';
import type { Light } from '../calendar/lights.js';
import { formatInstant, fromLocal, localDate } from '../calendar/zone.js';
import { createCatalogService } from '../catalog/service.js';
import { hallCatalog, services } from '../catalog/tables.js';
import { cancelTimer, scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { enqueueNotice } from '../notify/outbox.js';
import { departments, halls, windows, windowServices } from '../org/tables.js';
import { hallScope } from '../org/network.js';
import { tickets } from '../queue/tables.js';
import {
  CREDIT_CODE_MESSAGES,
  ID_NUMBER_MESSAGES,
  creditCodeProblem,
  idNumberProblem,
  isMobilePhone,
  normalizeCreditCode,
  normalizeIdNumber,
} from '../shared/identity.js';
import { formatCaseNumber, isCaseNumber } from './case-number.js';
import { createBatchedLookup } from '../shared/group-commit.js';
import {
  InvalidTransition,
  STATUS_LABELS,
  ACTION_LABELS,
  KIND_LABELS,
  allowedActions,
  applyAction,
  deadlineOf,
  holderOf,
  isAllowed,
  lightOf,
  replay,
  routeProblem,
  taskDeadlineOf,
  type ActionFacts,
  type CaseAction,
  type CaseSide,
  type CaseState,
  type CaseStatus,
  type HallTime,
  type LogAction,
  type LogEntry,
} from './lifecycle.js';
import { applicantSms, lightReminder, type ApplicantEvent } from './messages.js';
import { NOTICE_TEMPLATE_VERSION, NOTICE_TITLES, renderNotice, type NoticeData } from './notices.js';
import {
  caseSettingsOf,
  type ActionInput,
  type CaseSettings,
  type Board,
  type CaseInput,
  type CaseMaterial,
  type CaseInbox,
  type CaseRouteView,
  type CaseView,
  type Checklist,
  type DeskInfo,
  type LightCounts,
  type NoticeType,
  type PublicCase,
} from './schemas.js';
import { checkCarrier } from '../agents/service.js';
import { caseActions, caseCounters, caseNotices, cases, caseTasks, type CaseActionRow, type CaseRow } from './tables.js';
import { iso, listItem, maskApplicantNumber, publicCase } from './views.js';
import { openContacts, personalData } from './personal.js';
import { ensureRetentionRun, RETENTION_TIMER, runRetention } from './retention.js';
import { caseRatingQr, inviteCaseRating } from '../feedback/ratings.js';
import { closePickup } from '../appointments/pickup.js';

/** Timer kind: a case's light changes (reminder, yellow, red). */
export const LIGHT_TIMER = 'case.light';

const HALL_WIDE = ['admin', 'manager', 'supervisor'] as const;
const MANAGERS = ['admin', 'manager'] as const;
const SERVED_TICKET = ['called', 'serving', 'done'];
const BOARD_PAGE = 100;
const INBOX_PAGE = 200;

interface HallContext {
  id: string;
  code: string;
  name: string;
  address: string;
  phone: string;
  publicUrl: string | null;
  settings: CaseSettings;
  time: HallTime;
}

export interface ListFilter {
  status?: CaseStatus;
  light?: Light;
  department?: string;
  window?: string;
  kind?: string;
  /** Due by the end of this date (YYYY-MM-DD) or before this instant. */
  dueBefore?: string;
  q?: string;
  limit: number;
  offset: number;
}

export interface RequestInfo {
  idempotencyKey?: string;
  /** Where the public pages are served, for QR codes and SMS links when the hall has no publicUrl. */
  origin: string;
}

const invalidTransition = (status: CaseStatus, action: LogAction) =>
  new DomainError(409, 'INVALID_TRANSITION', `办件${STATUS_LABELS[status]}，不能${ACTION_LABELS[action]}`, {
    status,
    action,
    allowed: allowedActions(status),
  });

const hasRole = (user: AuthUser, roles: readonly string[]) => user.roles.some((r) => roles.includes(r));

export function createCaseService(ctx: AppContext) {
  const { db, clock } = ctx;
  const calendars = createCalendarService(ctx);
  const catalog = createCatalogService(ctx);

  /**
   * The hall's settings and time rules, read through `tx`. The calendar is cached per handle; inside a
   * transaction it is read through the transaction too, since on PGlite (one connection) a read on `db`
   * would wait for the transaction to end.
   */
  async function hallOf(tx: Db, hallId: string): Promise<HallContext> {
    const [hall] = await tx.select().from(halls).where(eq(halls.id, hallId));
    if (!hall) throw notFound('服务中心');
    const settings = caseSettingsOf(hall.settings);
    const publicUrl = typeof hall.settings.publicUrl === 'string' && hall.settings.publicUrl ? hall.settings.publicUrl.replace(/\/+$/, '') : null;
    return {
      id: hall.id,
      code: hall.code,
      name: hall.name,
      address: hall.address,
      phone: hall.phone,
      publicUrl,
      settings,
      time: {
        calendar: await (tx === db ? calendars : createCalendarService({ ...ctx, db: tx })).calendarFor(hallId),
        hours: hall.hours,
        zone: hall.timeZone,
        lights: { yellowBeforeMinutes: settings.yellowBeforeMinutes, reminderBeforeYellowMinutes: settings.reminderBeforeYellowMinutes },
      },
    };
  }

  const personal = (via: Db = db) => personalData(via);

  /** The applicant's and the agent's numbers in clear, for staff, notices and messages. */
  async function contactsOf(tx: Db, row: CaseRow) {
    return openContacts(await personal(tx), row);
  }

  /** A portal page of the case: its progress query, or (page 'pickup') booking the pick-up of its result. */
  const queryUrl = (hall: HallContext, caseNumber: string, origin: string, page: 'cases' | 'pickup' = 'cases') =>
    `${hall.publicUrl ?? origin}/portal/${page}?no=${encodeURIComponent(caseNumber)}`;

  // ---- scope: staff see their windows' and department's cases (joint ones they take part in too),
  // leaders their department's, managers and supervisors the whole hall.

  function scopeWhere(user: AuthUser): SQL {
    const inHall = eq(cases.hallId, user.hallId);
    if (hasRole(user, HALL_WIDE)) return inHall;
    const parts: SQL[] = [sql`exists (select 1 from departments d where d.id = ${cases.departmentId} and d.hall_id <> ${cases.hallId})`];
    if (user.windowIds.length) parts.push(inArray(cases.windowId, user.windowIds));
    if (user.departmentId) {
      parts.push(eq(cases.departmentId, user.departmentId));
      parts.push(sql`exists (select 1 from case_tasks ct where ct.case_id = ${cases.id} and ct.department_id = ${user.departmentId})`);
    }
    return and(inHall, or(...parts))!;
  }

  /** The reader's part in a case: the hall that received it, the hall it was transferred to, or none. */
  const sideOf = (user: AuthUser, row: Pick<CaseRow, 'hallId' | 'transferHallId'>): CaseSide | null =>
    row.hallId === user.hallId ? 'origin' : row.transferHallId === user.hallId ? 'upper' : null;

  async function canSee(tx: Db, user: AuthUser, row: CaseRow): Promise<boolean> {
    const side = sideOf(user, row);
    if (!side) return false;
    // At the deciding hall: its hall-wide roles and the department named for the item (anyone there when none is).
    if (side === 'upper') return hasRole(user, HALL_WIDE) || row.transferDepartmentId === null || row.transferDepartmentId === user.departmentId;
    if (hasRole(user, HALL_WIDE)) return true;
    if (row.windowId && user.windowIds.includes(row.windowId)) return true;
    // An item of a hall above, taken in here, is the whole station's: its departments are not this hall's.
    const [dept] = await tx.select({ hallId: departments.hallId }).from(departments).where(eq(departments.id, row.departmentId));
    if (dept && dept.hallId !== row.hallId) return true;
    if (!user.departmentId) return false;
    if (row.departmentId === user.departmentId) return true;
    const [task] = await tx
      .select({ id: caseTasks.id })
      .from(caseTasks)
      .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.departmentId, user.departmentId)));
    return Boolean(task);
  }

  /** A case the user may see; any other (another hall, another department, no such number) is 404 alike. */
  async function findCase(tx: Db, user: AuthUser, caseNumber: string, lock = false): Promise<CaseRow> {
    if (!isCaseNumber(caseNumber)) throw notFound('办件', { caseNumber });
    const query = tx
      .select()
      .from(cases)
      .where(and(eq(cases.caseNumber, caseNumber), or(eq(cases.hallId, user.hallId), eq(cases.transferHallId, user.hallId))));
    const [row] = lock ? await query.for('update') : await query;
    if (!row || !(await canSee(tx, user, row))) throw notFound('办件', { caseNumber });
    return row;
  }

  // ---- the log

  const logOf = (tx: Db, caseId: string) => tx.select().from(caseActions).where(eq(caseActions.caseId, caseId)).orderBy(asc(caseActions.seq));

  const entriesOf = (log: CaseActionRow[]) => log.map((a) => ({ action: a.action, at: a.at.getTime(), facts: a.facts }) as LogEntry);

  /** The state replayed from the log; the stored projection must agree with it. */
  function stateOf(row: CaseRow, log: CaseActionRow[]): CaseState {
    const state = replay(entriesOf(log));
    if (state.status !== row.status || log.length !== row.version) {
      throw new DomainError(500, 'CASE_LOG_MISMATCH', '办件记录与办理日志不一致，请联系管理员', { caseNumber: row.caseNumber });
    }
    return state;
  }

  // ---- projection: deadline, light, timer, materials; written after every move

  async function reminderRecipients(tx: Db, row: CaseRow, departmentIds: string[]): Promise<string[]> {
    const rows = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.hallId, row.hallId),
          eq(users.active, true),
          or(
            row.handlerId ? eq(users.id, row.handlerId) : sql`false`,
            and(sql`'leader' = any(${users.roles})`, inArray(users.departmentId, departmentIds)),
          ),
        ),
      );
    return rows.map((r) => r.id);
  }

  /** Reminds the handling staff and the leaders of the departments involved, once per case and light. */
  async function remind(tx: Db, row: CaseRow, state: CaseState, light: Light, now: Date) {
    if (!row.deadlineAt) return;
    const openTasks = state.tasks.filter((t) => !state.tasksDone.includes(t.departmentId)).map((t) => t.departmentId);
    const recipients = await reminderRecipients(tx, row, [row.departmentId, ...openTasks]);
    const deadline = formatInstant(row.deadlineAt.getTime());
    for (const recipient of recipients) {
      await enqueueNotice(tx, {
        hallId: row.hallId,
        channel: 'staff',
        recipient,
        template: 'case.light',
        body: lightReminder({ caseNumber: row.caseNumber, serviceName: row.serviceName, deadline }, light),
        params: { caseNumber: row.caseNumber, light, deadline },
        dedupeKey: `case:${row.id}:light:${light}:${recipient}`,
        at: now,
      });
    }
  }

  /**
   * Rewrites the projection of a case from its replayed state: deadline and light from the calendar, the
   * timer at the next light change, materials. `remind` is set by the light timer: a light reached with
   * time passing is announced; one a move lands on (an afternoon 即办件 is yellow at once) is not.
   */
  async function project(
    tx: Db,
    hall: HallContext,
    row: CaseRow,
    state: CaseState,
    now: Date,
    extra: Partial<typeof cases.$inferInsert>,
    remindOnChange = false,
  ): Promise<CaseRow> {
    const deadline = deadlineOf(state, hall.time);
    const { light, next } = lightOf(state, deadline, now.getTime(), hall.time);
    const timerKey = next ? `${row.id}:${next.at}` : null;
    if (row.lightTimerKey && row.lightTimerKey !== timerKey) await cancelTimer(tx, LIGHT_TIMER, row.lightTimerKey);
    if (next && timerKey !== row.lightTimerKey) {
      await scheduleTimer(tx, { hallId: row.hallId, kind: LIGHT_TIMER, key: timerKey!, dueAt: new Date(next.at), payload: { caseId: row.id } });
    }
    const materials = row.materials.map((m) => ({ ...m, received: state.received.includes(m.id) }));
    const missing = materials.filter((m) => state.required.includes(m.id) && !m.received).map(({ id, name }) => ({ id, name }));
    const [updated] = await tx
      .update(cases)
      .set({
        status: state.status,
        kind: state.kind,
        acceptedAt: state.acceptedAt === null ? null : new Date(state.acceptedAt),
        deadlineAt: deadline ? new Date(deadline.at) : null,
        deadlineDate: deadline?.date ?? null,
        light,
        nextLightChangeAt: next ? new Date(next.at) : null,
        lightTimerKey: timerKey,
        finishedAt: state.finishedAt === null ? null : new Date(state.finishedAt),
        materials,
        missingMaterials: missing,
        transferHallId: state.route?.toHallId ?? null,
        transferDepartmentId: state.route?.departmentId ?? null,
        heldUpstream: holderOf(state) === 'upper',
        updatedAt: now,
        ...extra,
      })
      .where(eq(cases.id, row.id))
      .returning();
    for (const task of state.tasks) {
      const due = taskDeadlineOf(state, task.limitDays, hall.time);
      await tx
        .update(caseTasks)
        .set({ deadlineAt: due ? new Date(due.at) : null })
        .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.departmentId, task.departmentId)));
    }
    if (remindOnChange && light && light !== 'green' && light !== row.light && state.finishedAt === null) await remind(tx, updated!, state, light, now);
    return updated!;
  }

  // ---- notices and messages to the applicant

  async function namesOf(tx: Db, row: CaseRow) {
    const [dept] = await tx.select({ name: departments.name }).from(departments).where(eq(departments.id, row.departmentId));
    const [win] = row.windowId ? await tx.select({ name: windows.name }).from(windows).where(eq(windows.id, row.windowId)) : [];
    return { department: dept?.name ?? '', window: win?.name ?? null };
  }

  async function issueNotice(tx: Db, hall: HallContext, row: CaseRow, type: NoticeType, actionSeq: number, actor: Actor, origin: string, now: Date) {
    const [{ issued } = { issued: 0 }] = await tx.select({ issued: count() }).from(caseNotices).where(eq(caseNotices.caseId, row.id));
    const seq = Number(issued) + 1;
    const names = await namesOf(tx, row);
    const url = queryUrl(hall, row.caseNumber, origin);
    const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const taskRows =
      type === 'joint'
        ? await tx
            .select({ departmentId: caseTasks.departmentId, department: departments.name, task: caseTasks.task, deadlineAt: caseTasks.deadlineAt })
            .from(caseTasks)
            .innerJoin(departments, eq(departments.id, caseTasks.departmentId))
            .where(eq(caseTasks.caseId, row.id))
            .orderBy(asc(departments.sortOrder), asc(departments.name))
        : [];
    const data: NoticeData = {
      type,
      templateVersion: NOTICE_TEMPLATE_VERSION,
      title: NOTICE_TITLES[type],
      docNumber: `${row.caseNumber}-${seq}`,
      hall: { name: hall.name, address: hall.address, phone: hall.phone },
      caseNumber: row.caseNumber,
      queryUrl: url,
      qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      queryPassword: row.queryPassword,
      applicant: { name: row.applicantName, idMasked: maskApplicantNumber((await contactsOf(tx, row)).idNumber), company: row.applicantType === 'company' },
      agentName: row.agent?.name ?? null,
      serviceName: row.serviceName,
      department: names.department,
      windowName: names.window,
      receivedAt: iso(row.receivedAt)!,
      acceptedAt: iso(row.acceptedAt),
      deadline: iso(row.deadlineAt),
      limitDays: row.limitDays,
      delivery: row.deliveryMethod,
      received: row.materials.filter((m) => m.received).map((m) => m.name),
      missing: row.missingMaterials.map((m) => m.name),
      corrections: row.corrections,
      reason: row.decisionReason,
      competentAuthority: row.competentAuthority,
      tasks: taskRows
        .map((t) => ({ department: t.department, task: t.task, deadline: iso(t.deadlineAt), lead: t.departmentId === row.departmentId }))
        .sort((a, b) => Number(b.lead) - Number(a.lead)),
      staffName: actor.name,
      issuedAt: formatInstant(now.getTime(), hall.time.zone),
      finishedAt: iso(row.finishedAt),
      result: row.result,
      // 一事一评: the result notice carries the case's own rating link, where the hall prints one.
      rating: type === 'completion' ? await caseRatingQr(tx, row, hall.publicUrl ?? origin, now) : null,
    };
    await tx.insert(caseNotices).values({
      hallId: row.hallId,
      caseId: row.id,
      seq,
      type,
      templateVersion: NOTICE_TEMPLATE_VERSION,
      title: data.title,
      data: data as unknown as Record<string, unknown>,
      html: renderNotice(data),
      actionSeq,
      issuedAt: now,
      issuedByName: actor.name,
    });
  }

  async function smsApplicant(tx: Db, hall: HallContext, row: CaseRow, event: ApplicantEvent, actionSeq: number, origin: string, now: Date) {
    // SMS goes to a mobile: the applicant's, else the agent's (a company often gives a landline).
    const { phone, agent } = await contactsOf(tx, row);
    const to = isMobilePhone(phone) ? phone : agent && isMobilePhone(agent.phone) ? agent.phone : null;
    if (!to) return;
    await enqueueNotice(tx, {
      hallId: row.hallId,
      channel: 'sms',
      recipient: to,
      template: `case.${event.event}`,
      body: applicantSms({ hallName: hall.name, serviceName: row.serviceName, caseNumber: row.caseNumber, queryUrl: queryUrl(hall, row.caseNumber, origin), pickupUrl: queryUrl(hall, row.caseNumber, origin, 'pickup') }, event),
      params: { caseNumber: row.caseNumber },
      dedupeKey: `case:${row.id}:sms:${actionSeq}`,
      at: now,
    });
  }

  /** The written notice and the SMS a move gives the applicant. */
  async function tellApplicant(tx: Db, hall: HallContext, before: CaseState, row: CaseRow, action: CaseAction, seq: number, actor: Actor, origin: string, now: Date) {
    const names = () => namesOf(tx, row);
    const nowAccepted = before.acceptedAt === null && row.acceptedAt !== null && (row.status === 'accepted' || row.status === 'joint_review');
    if (nowAccepted) {
      // 即办件 are done on the spot: the completion is what the applicant hears of.
      if (row.acceptedKind === 'promised') await issueNotice(tx, hall, row, 'acceptance', seq, actor, origin, now);
      if (row.acceptedKind === 'joint') await issueNotice(tx, hall, row, 'joint', seq, actor, origin, now);
      if (row.acceptedKind !== 'immediate') {
        await smsApplicant(tx, hall, row, { event: 'accepted', deadline: iso(row.deadlineAt), joint: row.acceptedKind === 'joint' }, seq, origin, now);
      }
    }
    switch (action) {
      case 'correct':
        await issueNotice(tx, hall, row, 'supplement', seq, actor, origin, now);
        await smsApplicant(tx, hall, row, { event: 'supplement', missing: row.missingMaterials.map((m) => m.name), corrections: row.corrections.length }, seq, origin, now);
        break;
      case 'return':
        await issueNotice(tx, hall, row, 'return', seq, actor, origin, now);
        await smsApplicant(tx, hall, row, { event: 'returned', reason: row.decisionReason ?? '' }, seq, origin, now);
        break;
      case 'reject':
        await issueNotice(tx, hall, row, 'rejection', seq, actor, origin, now);
        await smsApplicant(tx, hall, row, { event: 'not_accepted', authority: row.competentAuthority ?? '' }, seq, origin, now);
        break;
      case 'no_approval':
        await issueNotice(tx, hall, row, 'no_approval', seq, actor, origin, now);
        await smsApplicant(tx, hall, row, { event: 'not_required' }, seq, origin, now);
        break;
      case 'complete':
      case 'task_complete':
      case 'send_back':
        // A case decided above is finished for the applicant when its result is back where they applied.
        if (row.status === 'completed' && !row.heldUpstream) {
          await issueNotice(tx, hall, row, 'completion', seq, actor, origin, now);
          await smsApplicant(tx, hall, row, { event: 'completed', delivery: row.deliveryMethod, windowName: (await names()).window }, seq, origin, now);
          await inviteCaseRating(tx, { ...row, applicantPhone: (await contactsOf(tx, row)).phone }, now);
        }
        break;
      case 'schedule_pickup':
        await smsApplicant(tx, hall, row, { event: 'pickup_scheduled', pickupAt: iso(row.pickupAt)!, windowName: (await names()).window }, seq, origin, now);
        break;
      case 'mail':
        await smsApplicant(tx, hall, row, { event: 'mailed', trackingNumber: row.trackingNumber ?? '' }, seq, origin, now);
        break;
      case 'pick_up':
        await smsApplicant(tx, hall, row, { event: 'picked_up' }, seq, origin, now);
        break;
      default:
        break;
    }
  }

  // ---- one move

  /**
   * Applies one action to a locked case in the caller's transaction: checks it against the table and the
   * replayed log, appends it to the log, rewrites the projection, and gives notices, SMS, timers, audit.
   */
  async function move(tx: Db, hall: HallContext, row: CaseRow, input: ActionInput, user: AuthUser, info: RequestInfo, idempotencyKey?: string): Promise<CaseRow> {
    const now = clock.now();
    const actor = actorOf(user);
    const log = await logOf(tx, row.id);
    const state = stateOf(row, log);
    if (!isAllowed(state.status, input.action)) throw invalidTransition(state.status, input.action);
    const side = sideOf(user, row)!;
    const problem = routeProblem(state, input.action, side);
    if (problem) throw new DomainError(409, 'INVALID_TRANSITION', problem, { status: state.status, action: input.action, allowed: allowedFor(state, side) });

    let facts: ActionFacts[CaseAction] = {};
    const extra: Partial<typeof cases.$inferInsert> = {};
    const { action: _action, reason, ...rest } = input as ActionInput & { reason?: string };
    const payload: Record<string, unknown> = rest;
    switch (input.action) {
      case 'correct':
        if (input.corrections.length === 0 && state.required.every((id) => state.received.includes(id))) {
          throw validationFailed('请列出需要补正的内容', { field: 'corrections' });
        }
        extra.corrections = input.corrections;
        break;
      case 'supplement': {
        const unknown = input.materials.filter((id) => !row.materials.some((m) => m.id === id));
        if (unknown.length) throw validationFailed(`以下材料不在本事项的材料清单中：${unknown.join('、')}`, { materials: unknown });
        facts = { materials: input.materials };
        break;
      }
      case 'reject':
        extra.decisionReason = input.reason;
        extra.competentAuthority = input.competentAuthority;
        break;
      case 'return':
      case 'no_approval':
        extra.decisionReason = input.reason;
        break;
      case 'escalate': {
        const forwardLimitDays = input.forwardLimitDays ?? hall.settings.forwardLimitDays;
        facts = { forwardLimitDays };
        extra.escalation = { authority: input.authority, forwardLimitDays, escalatedAt: formatInstant(now.getTime()), forwardedAt: null, reference: null, resultLimitDays: null };
        break;
      }
      case 'forward': {
        const [service] = await tx.select({ legalLimitDays: services.legalLimitDays }).from(services).where(eq(services.id, row.serviceId));
        const resultLimitDays = input.resultLimitDays ?? service?.legalLimitDays ?? 20;
        facts = { resultLimitDays };
        extra.escalation = { ...row.escalation!, forwardedAt: formatInstant(now.getTime()), reference: input.reference ?? null, resultLimitDays };
        break;
      }
      case 'pause':
        facts = { pauseKind: input.pauseKind };
        break;
      case 'task_complete': {
        const departmentId = input.departmentId ?? user.departmentId;
        const task = departmentId ? state.tasks.find((t) => t.departmentId === departmentId) : undefined;
        if (!departmentId || !task) throw validationFailed('该部门不是本联办件的参与部门', { departmentId: departmentId ?? null });
        if (!hasRole(user, MANAGERS) && user.departmentId !== departmentId) throw forbidden('只能办结本部门的联办任务');
        if (state.tasksDone.includes(departmentId)) throw new DomainError(409, 'INVALID_TRANSITION', '该部门的联办任务已办结', { status: state.status, action: 'task_complete', departmentId });
        facts = { departmentId };
        payload.departmentId = departmentId;
        break;
      }
      case 'complete':
        extra.result = input.result ?? null;
        break;
      case 'schedule_pickup': {
        const at = Date.parse(input.pickupAt);
        if (row.deliveryMethod !== 'pickup') throw validationFailed('本件为邮寄送达，不需预约领取');
        if (at <= now.getTime() || !isOpenAt(hall.time.calendar, hall.time.hours, at, hall.time.zone)) {
          throw validationFailed('预约领取时间须为今后的办公时间', { pickupAt: input.pickupAt });
        }
        extra.pickupAt = new Date(at);
        break;
      }
      case 'mail':
        extra.deliveryMethod = 'post';
        extra.trackingNumber = input.trackingNumber;
        extra.deliveredAt = now;
        break;
      case 'transfer': {
        const target = await transferTarget(tx, row, input.hall);
        facts = { toHallId: target.id, departmentId: target.departmentId, signLimitDays: hall.settings.signLimitDays };
        payload.hall = target.code;
        payload.toHall = target.name;
        break;
      }
      case 'sign': {
        // The deciding hall's own promised limit for the item, from its acceptance on.
        const here = (await hallsAbove(tx, row)).find((h) => h.id === user.hallId);
        facts = { limitDays: here?.limitDays ?? row.limitDays };
        break;
      }
      case 'decline':
      case 'send_back': {
        const [origin] = await tx.select({ name: halls.name }).from(halls).where(eq(halls.id, row.hallId));
        payload.toHall = origin?.name ?? '';
        break;
      }
      case 'pick_up':
        extra.deliveredAt = now;
        // A pick-up booked ahead (预约领取) is closed with the hand-over.
        await closePickup(tx, row.id, now, actor);
        break;
      default:
        break;
    }

    let next: CaseState;
    try {
      next = applyAction(state, { action: input.action, at: now.getTime(), facts } as Exclude<LogEntry, { action: 'receive' }>);
    } catch (err) {
      if (err instanceof InvalidTransition) throw invalidTransition(state.status, input.action);
      throw err;
    }
    const seq = log.length + 1;
    await tx.insert(caseActions).values({
      hallId: row.hallId,
      // A transferred case is moved by two halls: the log says which.
      actorHallId: user.hallId === row.hallId ? null : user.hallId,
      caseId: row.id,
      seq,
      action: input.action,
      statusAfter: next.status,
      actorId: actor.id,
      actorName: actor.name,
      reason: reason ?? null,
      facts: facts as Record<string, unknown>,
      payload,
      at: now,
      idempotencyKey: idempotencyKey ?? null,
    });
    if (input.action === 'task_complete') {
      await tx
        .update(caseTasks)
        .set({ doneAt: now, doneByName: actor.name, note: reason ?? null })
        .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.departmentId, (facts as ActionFacts['task_complete']).departmentId)));
    }
    const updated = await project(tx, hall, row, next, now, { ...extra, version: seq });
    await recordAudit(tx, actor, {
      hallId: user.hallId,
      action: `case.${input.action}`,
      entityType: 'case',
      entityId: row.caseNumber,
      before: { status: row.status, kind: row.kind },
      after: { status: updated.status, kind: updated.kind, deadline: iso(updated.deadlineAt), reason: reason ?? null, ...payload },
    });
    await tellApplicant(tx, hall, state, updated, input.action, seq, actor, info.origin, now);
    return updated;
  }

  /** The halls above the case's hall, nearest first, and whether each decides its item: the item's own hall, a
   * hall whose catalogue has an item of the same code, or one the catalogue per level says decides it. */
  async function hallsAbove(tx: Db, row: CaseRow) {
    const result = await tx.execute(sql`
      with recursive up(id, depth) as (
        select parent_id, 1 from halls where id = ${row.hallId} and parent_id is not null
        union all select h.parent_id, up.depth + 1 from halls h join up on h.id = up.id where h.parent_id is not null)
      select h.id, h.code, h.name, up.depth,
        coalesce(own.department_id, case when item.hall_id = h.id then item.department_id end) as department_id,
        coalesce(own.promised_limit_days, item.promised_limit_days) as limit_days,
        (item.hall_id = h.id or own.id is not null or coalesce(hc.mode = 'decide', false)) as decides
      from up join halls h on h.id = up.id
      join services item on item.id = ${row.serviceId}
      left join services own on own.hall_id = h.id and own.code = item.code
      left join hall_catalog hc on hc.hall_id = h.id and hc.service_id = item.id
      order by up.depth`);
    type Above = { id: string; code: string; name: string; department_id: string | null; limit_days: number; decides: boolean };
    const rows = ((result as { rows?: Above[] }).rows ?? (result as unknown as Above[])) as Above[];
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, departmentId: r.department_id, limitDays: Number(r.limit_days), decides: r.decides }));
  }

  /** The hall a case goes to: the one named, which must be above and decide the item, else the nearest that does. */
  async function transferTarget(tx: Db, row: CaseRow, code: string | undefined) {
    const above = await hallsAbove(tx, row);
    const refused = (message: string) => new DomainError(409, 'TRANSFER_NOT_ALLOWED', message, { hall: code ?? null });
    if (code === undefined) return above.find((h) => h.decides) ?? Promise.reject(refused('上级中心都不办理该事项，不能转报'));
    const named = above.find((h) => h.code === code);
    if (!named) throw refused('只能转报给本中心的上级中心');
    if (!named.decides) throw refused(`${named.name}不办理该事项`);
    return named;
  }

  /** The moves the table allows that the reader's hall may make now. */
  const allowedFor = (state: CaseState, side: CaseSide) => allowedActions(state.status).filter((a) => routeProblem(state, a, side) === null);

  /** The buttons of the case page: those moves, and a transfer only where a hall above decides the item. */
  async function offeredMoves(tx: Db, row: CaseRow, state: CaseState, side: CaseSide): Promise<CaseAction[]> {
    const moves = allowedFor(state, side);
    if (!moves.includes('transfer') || (await hallsAbove(tx, row)).some((h) => h.decides)) return moves;
    return moves.filter((a) => a !== 'transfer');
  }

  /** A decision, and for 即办件 done on the spot the completion in the same transaction. */
  async function decide(tx: Db, hall: HallContext, row: CaseRow, input: ActionInput, user: AuthUser, info: RequestInfo, key?: string): Promise<CaseRow> {
    if (input.action === 'accept' && input.completeNow && row.acceptedKind !== 'immediate') {
      throw validationFailed('只有即办件可以当场办结');
    }
    const moved = await move(tx, hall, row, input, user, info, key);
    if (input.action !== 'accept' || !input.completeNow) return moved;
    return move(tx, hall, moved, { action: 'complete', result: input.result, reason: undefined }, user, info);
  }

  // ---- receipt

  function checkNumbers(input: CaseInput, today: string) {
    const a = input.applicant;
    if (a.type === 'person') {
      const problem = idNumberProblem(a.idNumber ?? '', today);
      if (problem) throw new DomainError(400, 'INVALID_ID_NUMBER', ID_NUMBER_MESSAGES[problem], { field: 'applicant.idNumber' });
    } else {
      const problem = creditCodeProblem(a.creditCode ?? '');
      if (problem) throw new DomainError(400, 'INVALID_CREDIT_CODE', CREDIT_CODE_MESSAGES[problem], { field: 'applicant.creditCode' });
    }
    if (input.agent) {
      const problem = idNumberProblem(input.agent.idNumber, today);
      if (problem) throw new DomainError(400, 'INVALID_ID_NUMBER', `代办员${ID_NUMBER_MESSAGES[problem]}`, { field: 'agent.idNumber' });
    }
  }

  /**
   * The item a hall takes in under a code: its own, else one of a hall above that the catalogue per level
   * lets it decide or take in and forward (`takeInOnly`: a hall above decides it).
   */
  async function serviceByCode(tx: Db, hallId: string, code: string) {
    const [own] = await tx.select().from(services).where(and(eq(services.hallId, hallId), eq(services.code, code)));
    if (own) return { ...own, takeInOnly: false };
    const [above] = await tx
      .select({ service: services, mode: hallCatalog.mode })
      .from(services)
      .innerJoin(hallCatalog, and(eq(hallCatalog.serviceId, services.id), eq(hallCatalog.hallId, hallId)))
      .where(and(eq(services.code, code), inArray(hallCatalog.mode, ['decide', 'forward'])));
    if (!above) throw notFound(`事项“${code}”`, { serviceCode: code });
    return { ...above.service, takeInOnly: above.mode === 'forward' };
  }

  /** The materials of the item's current published guide (none for an item never published). */
  async function checklistOf(service: typeof services.$inferSelect): Promise<Checklist> {
    const guide = service.currentGuideVersion !== null ? await catalog.guideFor(service.hallId, service.code) : null;
    return {
      service: {
        code: service.code,
        name: service.name,
        kind: service.kind,
        promisedLimitDays: service.promisedLimitDays,
        legalLimitDays: service.legalLimitDays,
        departmentId: service.departmentId,
      },
      guideVersion: guide?.version ?? null,
      materials: (guide?.content.materials ?? []).map((m) => ({ id: m.id, name: m.name, required: m.required, condition: m.condition, form: m.form, copies: m.copies })),
    };
  }

  /** The window a case is received at: the one named, else the user's window that takes the item. */
  async function receivingWindow(tx: Db, user: AuthUser, serviceId: string, serviceDepartmentId: string, windowId: string | undefined): Promise<string | null> {
    const taking = (await tx.select({ id: windowServices.windowId }).from(windowServices).where(eq(windowServices.serviceId, serviceId))).map((w) => w.id);
    if (windowId) {
      const [win] = await tx.select().from(windows).where(and(eq(windows.id, windowId), eq(windows.hallId, user.hallId)));
      if (!win) throw notFound('窗口', { windowId });
      const works = hasRole(user, MANAGERS) || user.windowIds.includes(win.id) || (user.roles.includes('leader') && win.departmentId !== null && win.departmentId === user.departmentId);
      if (!works) throw forbidden('您不是该窗口的工作人员');
      if (!taking.includes(win.id)) throw validationFailed('该窗口不受理此事项', { windowId });
      return win.id;
    }
    const mine = user.windowIds.find((id) => taking.includes(id));
    if (mine) return mine;
    // A department's own staff and leaders, and managers, may receive without a window (back office).
    if (hasRole(user, MANAGERS) || user.departmentId === serviceDepartmentId) return null;
    throw forbidden('您的窗口不受理该事项');
  }

  async function receive(user: AuthUser, input: CaseInput, info: RequestInfo): Promise<{ replayed: boolean; view: CaseView }> {
    const now = clock.now();
    const hall = await hallOf(db, user.hallId);
    const today = localDate(now.getTime(), hall.time.zone);
    checkNumbers(input, today);
    if (info.idempotencyKey) {
      const [done] = await db.select().from(cases).where(and(eq(cases.hallId, user.hallId), eq(cases.idempotencyKey, info.idempotencyKey)));
      if (done) return { replayed: true, view: await staffView(db, done, 'origin') };
    }
    const service = await serviceByCode(db, user.hallId, input.serviceCode);
    const checklist = await checklistOf(service);
    const known = new Map(checklist.materials.map((m) => [m.id, m]));
    const unknown = [...input.materials, ...input.notApplicable].filter((id) => !known.has(id));
    if (unknown.length) throw validationFailed(`以下材料不在本事项的材料清单中：${unknown.join('、')}`, { materials: unknown });
    const notConditional = input.notApplicable.filter((id) => !known.get(id)!.condition);
    if (notConditional.length) throw validationFailed('只有附条件的材料可以标为不适用', { notApplicable: notConditional });
    const materials: CaseMaterial[] = checklist.materials.map((m) => ({
      id: m.id,
      name: m.name,
      required: m.required && !input.notApplicable.includes(m.id),
      condition: m.condition,
      received: input.materials.includes(m.id),
    }));
    const required = materials.filter((m) => m.required).map((m) => m.id);
    const missing = required.filter((id) => !input.materials.includes(id));

    let limitDays = service.promisedLimitDays;
    if (input.joint) {
      const ids = input.joint.tasks.map((t) => t.departmentId);
      const found = await db.select({ id: departments.id }).from(departments).where(and(eq(departments.hallId, user.hallId), inArray(departments.id, ids)));
      if (found.length !== ids.length) throw validationFailed('参与部门不存在', { departments: ids.filter((id) => !found.some((f) => f.id === id)) });
      if (!ids.includes(service.departmentId)) throw validationFailed('牵头部门（事项所属部门）须在参与部门之中', { leadDepartmentId: service.departmentId });
      limitDays = input.joint.limitDays ?? Math.max(...input.joint.tasks.map((t) => t.limitDays));
      if (input.joint.tasks.some((t) => t.limitDays > limitDays)) throw validationFailed('部门时限不能超过联办时限', { limitDays });
    }
    // Required materials missing: the case is a 补办件 with everything missing told at once, whatever was asked.
    let decision: ActionInput | null = input.decision.action === 'receive' ? null : input.decision;
    if (missing.length && (!decision || decision.action === 'accept' || decision.action === 'correct')) {
      decision = { action: 'correct', corrections: decision?.action === 'correct' ? decision.corrections : [], reason: decision?.reason };
    }
    if (decision?.action === 'correct' && !missing.length && decision.corrections.length === 0) throw validationFailed('请列出需要补正的内容', { field: 'decision.corrections' });
    // A hall that only takes the item in sends a complete application up at once instead of accepting it.
    if (service.takeInOnly && decision?.action === 'accept') decision = { action: 'transfer', reason: decision.reason };
    // An item of a hall above is taken in at the station's own (综合) window, which its window list cannot name.
    const windowId =
      service.hallId === user.hallId
        ? await receivingWindow(db, user, service.id, service.departmentId, input.windowId)
        : input.windowId && user.windowIds.includes(input.windowId)
          ? input.windowId
          : (user.windowIds[0] ?? null);
    if (input.ticketId) {
      const [ticket] = await db.select({ status: tickets.status }).from(tickets).where(and(eq(tickets.id, input.ticketId), eq(tickets.hallId, user.hallId)));
      if (!ticket) throw notFound('号票', { ticketId: input.ticketId });
      if (!SERVED_TICKET.includes(ticket.status)) throw new DomainError(409, 'TICKET_NOT_SERVED', '该号票尚未叫号办理，不能据此收件', { ticketId: input.ticketId, status: ticket.status });
    }
    if (input.agentId) await checkCarrier(db, user.hallId, input.agentId);
    const acceptedKind = input.joint ? 'joint' : service.kind;
    const a = input.applicant;
    const actor = actorOf(user);
    const pd = await personal();

    try {
      const row = await db.transaction(async (tx) => {
        const [counter] = await tx
          .insert(caseCounters)
          .values({ hallId: user.hallId, localDate: today, value: 1 })
          .onConflictDoUpdate({ target: [caseCounters.hallId, caseCounters.localDate], set: { value: sql`${caseCounters.value} + 1` } })
          .returning({ value: caseCounters.value });
        const caseNumber = formatCaseNumber(hall.code, today, counter!.value);
        const facts: ActionFacts['receive'] = {
          acceptedKind,
          limitDays,
          required,
          received: input.materials,
          tasks: input.joint?.tasks.map((t) => ({ departmentId: t.departmentId, limitDays: t.limitDays })) ?? [],
          takeInOnly: service.takeInOnly,
        };
        const [created] = await tx
          .insert(cases)
          .values({
            hallId: user.hallId,
            caseNumber,
            serviceId: service.id,
            serviceName: service.name,
            guideVersion: checklist.guideVersion,
            departmentId: service.departmentId,
            windowId,
            ticketId: input.ticketId ?? null,
            handlerId: user.id,
            kind: acceptedKind,
            acceptedKind,
            status: 'received',
            applicantType: a.type,
            applicantName: a.name,
            applicantIdNumberEnc: pd.seal(a.type === 'person' ? normalizeIdNumber(a.idNumber!) : normalizeCreditCode(a.creditCode!)),
            applicantPhoneEnc: pd.seal(a.phone),
            applicantContact: a.contactName ?? null,
            agent: input.agent ? { name: input.agent.name, authorization: input.agent.authorization } : null,
            agentEnc: input.agent ? pd.seal(JSON.stringify({ idNumber: normalizeIdNumber(input.agent.idNumber), phone: input.agent.phone })) : null,
            agentId: input.agentId ?? null,
            queryPassword: input.queryPassword ?? null,
            materials,
            limitDays,
            receivedAt: now,
            deliveryMethod: input.delivery?.method ?? 'pickup',
            deliveryAddress: input.delivery?.method === 'post' ? (input.delivery.address ?? null) : null,
            version: 1,
            idempotencyKey: info.idempotencyKey ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await ensureRetentionRun(tx, user.hallId, hall.time.zone, now);
        if (input.joint) {
          await tx.insert(caseTasks).values(input.joint.tasks.map((t) => ({ hallId: user.hallId, caseId: created!.id, departmentId: t.departmentId, task: t.task, limitDays: t.limitDays })));
        }
        await tx.insert(caseActions).values({
          hallId: user.hallId,
          caseId: created!.id,
          seq: 1,
          action: 'receive',
          statusAfter: 'received',
          actorId: actor.id,
          actorName: actor.name,
          reason: null,
          facts: facts as unknown as Record<string, unknown>,
          payload: { serviceCode: service.code, guideVersion: checklist.guideVersion, ticketId: input.ticketId ?? null, agent: Boolean(input.agent) },
          at: now,
        });
        const received = await project(tx, hall, created!, replay(entriesOf(await logOf(tx, created!.id))), now, {});
        await recordAudit(tx, actor, {
          hallId: user.hallId,
          action: 'case.receive',
          entityType: 'case',
          entityId: caseNumber,
          after: { serviceCode: service.code, kind: acceptedKind, materials: input.materials, missing, windowId, ticketId: input.ticketId ?? null, agentId: input.agentId ?? null },
        });
        return decision ? decide(tx, hall, received, decision, user, info) : received;
      });
      return { replayed: false, view: await staffView(db, row, 'origin') };
    } catch (err) {
      // The same Idempotency-Key from a concurrent retry: answer with the case the other one created.
      if (info.idempotencyKey && isUniqueViolation(err)) {
        const [done] = await db.select().from(cases).where(and(eq(cases.hallId, user.hallId), eq(cases.idempotencyKey, info.idempotencyKey)));
        if (done) return { replayed: true, view: await staffView(db, done, 'origin') };
      }
      throw err;
    }
  }

  // ---- views

  /** A transferred case's way between the halls, with their names, for the case page. */
  async function routeView(tx: Db, row: CaseRow, state: CaseState, hallNames: Map<string, { code: string; name: string }>): Promise<CaseRouteView | null> {
    const route = state.route;
    if (!route) return null;
    const [dept] = route.departmentId ? await tx.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.id, route.departmentId)) : [];
    return {
      from: hallNames.get(row.hallId)!,
      to: hallNames.get(route.toHallId)!,
      department: dept ?? { id: '', name: '' },
      sentAt: formatInstant(route.sentAt),
      signedAt: route.signedAt === null ? null : formatInstant(route.signedAt),
      returnedAt: route.returnedAt === null ? null : formatInstant(route.returnedAt),
      stage: route.signedAt === null ? 'to_sign' : route.returnedAt === null ? 'deciding' : 'returned',
    };
  }

  async function staffView(tx: Db, row: CaseRow, side: CaseSide): Promise<CaseView> {
    const log = await logOf(tx, row.id);
    const state = replay(entriesOf(log));
    const actingHall = (a: CaseActionRow) => a.actorHallId ?? a.hallId;
    const hallIds = [...new Set([row.hallId, ...log.map(actingHall), ...(state.route ? [state.route.toHallId] : [])])];
    const hallNames = new Map((await tx.select({ id: halls.id, code: halls.code, name: halls.name }).from(halls).where(inArray(halls.id, hallIds))).map((h) => [h.id, { code: h.code, name: h.name }]));
    const [service] = await tx.select({ code: services.code }).from(services).where(eq(services.id, row.serviceId));
    const names = await namesOf(tx, row);
    const [handler] = row.handlerId ? await tx.select({ name: users.displayName, username: users.username }).from(users).where(eq(users.id, row.handlerId)) : [];
    const taskRows = await tx
      .select({ task: caseTasks, department: departments.name })
      .from(caseTasks)
      .innerJoin(departments, eq(departments.id, caseTasks.departmentId))
      .where(eq(caseTasks.caseId, row.id))
      .orderBy(asc(departments.sortOrder), asc(departments.name));
    const notices = await tx
      .select({ seq: caseNotices.seq, type: caseNotices.type, title: caseNotices.title, issuedAt: caseNotices.issuedAt, issuedBy: caseNotices.issuedByName })
      .from(caseNotices)
      .where(eq(caseNotices.caseId, row.id))
      .orderBy(asc(caseNotices.seq));
    const now = clock.now().getTime();
    const hall = row.deadlineAt && taskRows.length ? await hallOf(tx, row.hallId) : null;
    const company = row.applicantType === 'company';
    const contacts = await contactsOf(tx, row);
    return {
      id: row.id,
      caseNumber: row.caseNumber,
      kind: row.kind,
      kindLabel: KIND_LABELS[row.kind],
      status: row.status,
      statusLabel: STATUS_LABELS[row.status],
      service: { id: row.serviceId, code: service?.code ?? '', name: row.serviceName, guideVersion: row.guideVersion },
      department: { id: row.departmentId, name: names.department },
      window: row.windowId ? { id: row.windowId, name: names.window ?? '' } : null,
      ticketId: row.ticketId,
      handler: handler ? handler.name || handler.username : null,
      applicant: {
        type: row.applicantType,
        name: row.applicantName,
        idNumber: company ? null : contacts.idNumber,
        creditCode: company ? contacts.idNumber : null,
        phone: contacts.phone,
        contactName: row.applicantContact,
      },
      agent: contacts.agent,
      queryPasswordSet: row.queryPassword !== null,
      materials: row.materials,
      missingMaterials: row.missingMaterials,
      corrections: row.corrections,
      limitDays: row.limitDays,
      receivedAt: iso(row.receivedAt)!,
      acceptedAt: iso(row.acceptedAt),
      deadline: iso(row.deadlineAt),
      deadlineDate: row.deadlineDate,
      light: row.finishedAt === null && row.deadlineAt && row.deadlineAt.getTime() < now ? 'red' : row.light,
      nextLightChangeAt: iso(row.nextLightChangeAt),
      finishedAt: iso(row.finishedAt),
      pauses: state.pauses.map((p) => ({ kind: p.kind, from: formatInstant(p.from), to: p.to === null ? null : formatInstant(p.to) })),
      tasks: taskRows.map(({ task, department }) => ({
        departmentId: task.departmentId,
        departmentName: department,
        task: task.task,
        limitDays: task.limitDays,
        deadline: iso(task.deadlineAt),
        light: hall && task.deadlineAt ? lightOf({ ...state, finishedAt: task.doneAt?.getTime() ?? state.finishedAt }, { at: task.deadlineAt.getTime(), date: '' }, now, hall.time).light : null,
        doneAt: iso(task.doneAt),
        doneBy: task.doneByName,
        note: task.note,
      })),
      escalation: row.escalation,
      decisionReason: row.decisionReason,
      competentAuthority: row.competentAuthority,
      result: row.result,
      delivery: { method: row.deliveryMethod, address: row.deliveryAddress, pickupAt: iso(row.pickupAt), trackingNumber: row.trackingNumber, deliveredAt: iso(row.deliveredAt) },
      allowedActions: await offeredMoves(tx, row, state, side),
      route: await routeView(tx, row, state, hallNames),
      side,
      history: log.map((a) => ({
        hall: hallNames.get(actingHall(a))?.name ?? '',
        seq: a.seq,
        action: a.action,
        label: ACTION_LABELS[a.action],
        status: a.statusAfter,
        statusLabel: STATUS_LABELS[a.statusAfter],
        actor: a.actorName,
        reason: a.reason,
        payload: a.payload,
        at: iso(a.at)!,
      })),
      notices: notices.map((n) => ({ seq: n.seq, type: n.type, title: n.title, issuedAt: iso(n.issuedAt)!, issuedBy: n.issuedBy })),
    };
  }

  const listColumns = {
    row: {
      caseNumber: cases.caseNumber,
      serviceName: cases.serviceName,
      departmentId: cases.departmentId,
      applicantName: cases.applicantName,
      kind: cases.kind,
      status: cases.status,
      receivedAt: cases.receivedAt,
      acceptedAt: cases.acceptedAt,
      deadlineAt: cases.deadlineAt,
      light: cases.light,
      finishedAt: cases.finishedAt,
    },
    departmentName: departments.name,
    windowName: windows.name,
  };

  /** The light as of now: red once an open case is past its deadline, whatever the last timer stored. */
  const lightNow = (now: Date) => sql<Light | null>`case when ${cases.finishedAt} is null and ${cases.deadlineAt} < ${now} then 'red' else ${cases.light} end`;

  /** The same for the boards, which read open cases only: no need to look at finished_at, so the counts come from the index. */
  const openLightNow = (now: Date) => sql<Light | null>`case when ${cases.deadlineAt} < ${now} then 'red' else ${cases.light} end`;

  function dueBefore(value: string): Date {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(fromLocal(value, 24 * 60));
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw validationFailed('due_before 应为日期 YYYY-MM-DD 或带时区的时间');
    return new Date(ms);
  }

  async function list(user: AuthUser, filter: ListFilter) {
    const now = clock.now();
    const where: SQL[] = [scopeWhere(user)];
    if (filter.status) where.push(eq(cases.status, filter.status));
    if (filter.light) where.push(sql`${lightNow(now)} = ${filter.light}`);
    if (filter.department) where.push(eq(cases.departmentId, filter.department));
    if (filter.window) where.push(eq(cases.windowId, filter.window));
    if (filter.kind) where.push(eq(cases.kind, filter.kind as CaseRow['kind']));
    if (filter.dueBefore) where.push(lte(cases.deadlineAt, dueBefore(filter.dueBefore)));
    if (filter.q) {
      const q = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(sql`${cases.caseNumber} ilike ${q}`, sql`${cases.applicantName} ilike ${q}`, sql`${cases.serviceName} ilike ${q}`)!);
    }
    const condition = and(...where);
    const [rows, [total]] = await Promise.all([
      db
        .select(listColumns)
        .from(cases)
        .innerJoin(departments, eq(departments.id, cases.departmentId))
        .leftJoin(windows, eq(windows.id, cases.windowId))
        .where(condition)
        .orderBy(desc(cases.receivedAt))
        .limit(filter.limit)
        .offset(filter.offset),
      db.select({ n: count() }).from(cases).where(condition),
    ]);
    return { total: Number(total?.n ?? 0), items: rows.map((r) => listItem(r, now)) };
  }

  const emptyCounts = (): LightCounts => ({ green: 0, reminder: 0, yellow: 0, red: 0, none: 0, total: 0 });
  function addCount(counts: LightCounts, light: Light | null, n: number) {
    counts[light ?? 'none'] += n;
    counts.total += n;
  }

  async function departmentBoard(departmentId: string, now: Date): Promise<Omit<Board, 'scope' | 'asOf'>> {
    const [dept] = await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.id, departmentId));
    if (!dept) throw notFound('部门');
    const light = openLightNow(now);
    // Own cases through the partial index by due date; joint cases the department takes part in on the side.
    const joint = sql`${cases.id} in (select ct.case_id from case_tasks ct where ct.department_id = ${departmentId} and ct.done_at is null)`;
    const own = and(eq(cases.departmentId, departmentId), isNull(cases.finishedAt))!;
    const taking = and(isNull(cases.finishedAt), sql`${cases.departmentId} <> ${departmentId}`, joint)!;
    const page = (condition: SQL) =>
      db
        .select(listColumns)
        .from(cases)
        .innerJoin(departments, eq(departments.id, cases.departmentId))
        .leftJoin(windows, eq(windows.id, cases.windowId))
        .where(condition)
        .orderBy(sql`${cases.deadlineAt} asc nulls last`)
        .limit(BOARD_PAGE);
    // GROUP BY position: the light expression carries the clock as a parameter, which PostgreSQL would
    // not recognise as the same expression twice.
    const tally = (condition: SQL) => db.select({ light, n: count() }).from(cases).where(condition).groupBy(sql`1`);
    const [ownRows, jointRows, ownCounts, jointCounts] = await Promise.all([page(own), page(taking), tally(own), tally(taking)]);
    const counts = emptyCounts();
    for (const c of [...ownCounts, ...jointCounts]) addCount(counts, c.light, Number(c.n));
    const due = (r: { row: { deadlineAt: Date | null } }) => r.row.deadlineAt?.getTime() ?? Infinity;
    const rows = [...ownRows, ...jointRows].sort((a, b) => due(a) - due(b)).slice(0, BOARD_PAGE);
    return { department: dept, counts, departments: [{ department: dept, ...counts }], cases: rows.map((r) => listItem(r, now)) };
  }

  /**
   * The board of a hall, or of a subtree (`hallIds` from hallScope, its root first). Across halls a row is a
   * department at one hall, named "hall·department": a station's cases of a county department count there.
   */
  async function hallBoard(hallIds: readonly string[], now: Date): Promise<Omit<Board, 'scope' | 'asOf'>> {
    const light = openLightNow(now);
    const open = and(inArray(cases.hallId, [...hallIds]), isNull(cases.finishedAt))!;
    const [hallNames, depts, tallies, rows] = await Promise.all([
      db.select({ id: halls.id, name: halls.name }).from(halls).where(inArray(halls.id, [...hallIds])),
      db
        .select({ id: departments.id, name: departments.name, hallId: departments.hallId })
        .from(departments)
        .where(inArray(departments.hallId, [...hallIds]))
        .orderBy(asc(departments.sortOrder), asc(departments.name)),
      db
        .select({ hallId: cases.hallId, departmentId: cases.departmentId, name: departments.name, light, n: count() })
        .from(cases)
        .innerJoin(departments, eq(departments.id, cases.departmentId))
        .where(open)
        .groupBy(sql`1, 2, 3, 4`),
      db
        .select({ ...listColumns, hallId: cases.hallId })
        .from(cases)
        .innerJoin(departments, eq(departments.id, cases.departmentId))
        .leftJoin(windows, eq(windows.id, cases.windowId))
        .where(open)
        .orderBy(sql`${cases.deadlineAt} asc nulls last`)
        .limit(BOARD_PAGE),
    ]);
    const hallName = new Map(hallNames.map((h) => [h.id, h.name]));
    const named = (hallId: string, name: string) => (hallIds.length > 1 ? `${hallName.get(hallId)}·${name}` : name);
    const counts = emptyCounts();
    const perDept = new Map<string, Board['departments'][number] & { order: number }>();
    const row = (hallId: string, id: string, name: string) => {
      const key = `${hallId}|${id}`;
      if (!perDept.has(key)) perDept.set(key, { department: { id, name: named(hallId, name) }, ...emptyCounts(), order: hallIds.indexOf(hallId) });
      return perDept.get(key)!;
    };
    for (const d of depts) row(d.hallId, d.id, d.name);
    for (const t of tallies) {
      addCount(counts, t.light, Number(t.n));
      addCount(row(t.hallId, t.departmentId, t.name), t.light, Number(t.n));
    }
    // Departments with red first, then yellow: where the supervisor looks first; the subtree's root first on a tie.
    const departmentsByConcern = [...perDept.values()]
      .sort((a, b) => b.red - a.red || b.yellow - a.yellow || b.total - a.total || a.order - b.order)
      .map(({ order: _order, ...d }) => d);
    const items = rows.map((r) => listItem({ ...r, departmentName: named(r.hallId, r.departmentName) }, now));
    return { department: null, counts, departments: departmentsByConcern, cases: items };
  }

  // The progress query is the public's hottest read: one prepared statement over the unique index,
  // only the columns it shows, and the last four characters instead of the whole ID number. With the
  // digits proven, the other statement brings the rest, the log and the joint tasks as JSON. Queries
  // arriving together are read by one statement (createBatchedLookup): under load the round trips, not
  // the index lookups, are what the query costs.
  const numbers = sql`${cases.caseNumber} = any(${sql.placeholder('numbers')}::text[])`;
  const publicColumns = {
    caseNumber: cases.caseNumber,
    serviceName: cases.serviceName,
    departmentName: departments.name,
    applicantType: cases.applicantType,
    applicantName: cases.applicantName,
    acceptedAt: cases.acceptedAt,
    status: cases.status,
    kind: cases.kind,
    deadlineAt: cases.deadlineAt,
    receivedAt: cases.receivedAt,
    finishedAt: cases.finishedAt,
    deliveryMethod: cases.deliveryMethod,
    trackingNumber: cases.trackingNumber,
    pickupAt: cases.pickupAt,
    deliveredAt: cases.deliveredAt,
  };
  const publicByNumber = db
    .select(publicColumns)
    .from(cases)
    .innerJoin(departments, eq(departments.id, cases.departmentId))
    .where(numbers)
    .prepare('cases_public_by_numbers');
  const publicWithDetail = db
    .select({
      ...publicColumns,
      contacts: {
        applicantIdNumberEnc: cases.applicantIdNumberEnc,
        applicantIdNumber: cases.applicantIdNumber,
        applicantPhoneEnc: cases.applicantPhoneEnc,
        applicantPhone: cases.applicantPhone,
        agent: cases.agent,
        agentEnc: cases.agentEnc,
      },
      deadlineDate: cases.deadlineDate,
      missingMaterials: cases.missingMaterials,
      corrections: cases.corrections,
      result: cases.result,
      hallName: halls.name,
      windowName: windows.name,
      log: sql<PublicLogJson[]>`(select coalesce(json_agg(json_build_object('action', a.action, 'statusAfter', a.status_after, 'reason', a.reason,
        'facts', a.facts, 'payload', a.payload, 'at', a.at, 'hall', h.name) order by a.seq), '[]'::json)
        from case_actions a join halls h on h.id = coalesce(a.actor_hall_id, a.hall_id) where a.case_id = ${cases.id})`,
      tasks: sql<PublicTaskJson[]>`(select coalesce(json_agg(json_build_object('department', d.name, 'done', t.done_at is not null,
        'deadline', t.deadline_at) order by d.sort_order), '[]'::json) from case_tasks t join departments d on d.id = t.department_id where t.case_id = ${cases.id})`,
    })
    .from(cases)
    .innerJoin(departments, eq(departments.id, cases.departmentId))
    .innerJoin(halls, eq(halls.id, cases.hallId))
    .leftJoin(windows, eq(windows.id, cases.windowId))
    .where(numbers)
    .prepare('cases_public_with_detail');
  const byNumber = <Row extends { caseNumber: string }>(statement: { execute: (p: { numbers: string[] }) => Promise<Row[]> }) =>
    createBatchedLookup(async (keys: string[]) => new Map((await statement.execute({ numbers: keys })).map((r) => [r.caseNumber, r])));
  const publicCaseByNumber = byNumber(publicByNumber);
  const publicDetailByNumber = byNumber(publicWithDetail);

  const service = {
    receive,
    checklist: async (user: AuthUser, code: string) => checklistOf(await serviceByCode(db, user.hallId, code)),

    async act(user: AuthUser, caseNumber: string, input: ActionInput, info: RequestInfo): Promise<{ replayed: boolean; view: CaseView }> {
      // Before the transaction: the hall's calendar is then read on `db`, from its cache (a case is always of the user's hall).
      const hall = await hallOf(db, user.hallId);
      return db.transaction(async (tx) => {
        const row = await findCase(tx, user, caseNumber, true);
        if (info.idempotencyKey) {
          const [done] = await tx
            .select({ seq: caseActions.seq })
            .from(caseActions)
            .where(and(eq(caseActions.caseId, row.id), eq(caseActions.idempotencyKey, info.idempotencyKey)));
          if (done) return { replayed: true, view: await staffView(tx, row, sideOf(user, row)!) };
        }
        const moved = await decide(tx, hall, row, input, user, info, info.idempotencyKey);
        // A declined case leaves the deciding hall, which still gets the answer to its own move.
        return { replayed: false, view: await staffView(tx, moved, sideOf(user, row)!) };
      });
    },

    async get(user: AuthUser, caseNumber: string): Promise<CaseView> {
      const row = await findCase(db, user, caseNumber);
      return staffView(db, row, sideOf(user, row)!);
    },

    /** A notice as issued: the page stored when it was given to the applicant. */
    async notice(user: AuthUser, caseNumber: string, seq: number): Promise<string> {
      const row = await findCase(db, user, caseNumber);
      const [notice] = await db.select({ html: caseNotices.html }).from(caseNotices).where(and(eq(caseNotices.caseId, row.id), eq(caseNotices.seq, seq)));
      if (!notice) throw notFound('通知书', { caseNumber, seq });
      return notice.html;
    },

    list,

    /**
     * The deciding hall's inbox: cases lower halls transferred to it, those waiting to be signed for first,
     * then those it holds by due date; with `all`, also those whose result went back. Staff and leaders
     * see their department's, hall-wide roles all.
     */
    async inbox(user: AuthUser, all: boolean): Promise<CaseInbox> {
      const now = clock.now();
      const where: SQL[] = [eq(cases.transferHallId, user.hallId)];
      if (!all) where.push(or(eq(cases.heldUpstream, true), eq(cases.status, 'transferred'))!);
      if (!hasRole(user, HALL_WIDE)) where.push(or(isNull(cases.transferDepartmentId), eq(cases.transferDepartmentId, user.departmentId ?? sql`null`))!);
      const rows = await db
        .select({
          row: listColumns.row,
          departmentName: sql<string>`coalesce(${departments.name}, '')`,
          fromHall: { code: halls.code, name: halls.name },
          transferDepartmentId: cases.transferDepartmentId,
          heldUpstream: cases.heldUpstream,
        })
        .from(cases)
        .innerJoin(halls, eq(halls.id, cases.hallId))
        .leftJoin(departments, eq(departments.id, cases.transferDepartmentId))
        .where(and(...where))
        .orderBy(sql`${cases.status} = 'transferred' desc`, sql`${cases.heldUpstream} desc`, sql`${cases.deadlineAt} asc nulls last`)
        .limit(INBOX_PAGE);
      return {
        items: rows.map((r) => {
          const item = listItem({ row: r.row, departmentName: r.departmentName, windowName: null }, now);
          const stage = r.row.status === 'transferred' ? 'to_sign' : r.heldUpstream ? 'deciding' : 'returned';
          return { ...item, department: { id: r.transferDepartmentId ?? '', name: r.departmentName }, fromHall: r.fromHall, stage };
        }),
      };
    },

    /** `where` (hall code, subtree) widens the hall board to a hall below or a whole subtree, as hallScope allows. */
    async board(user: AuthUser, scope: 'department' | 'hall', departmentId: string | undefined, where: { hall?: string; subtree?: boolean } = {}): Promise<Board> {
      const now = clock.now();
      const hallWide = hasRole(user, HALL_WIDE);
      if (scope === 'hall') {
        if (!hallWide) throw forbidden('全中心看板仅限中心管理办公室和督查人员');
        const hallIds = where.hall || where.subtree ? await hallScope(db, user, HALL_WIDE, where) : [user.hallId];
        return { scope, asOf: formatInstant(now.getTime()), ...(await hallBoard(hallIds, now)) };
      }
      const wanted = departmentId ?? user.departmentId;
      if (!wanted) throw validationFailed('请指定部门', { field: 'department' });
      if (!hallWide && wanted !== user.departmentId) throw forbidden('只能查看本部门的看板');
      const [dept] = await db.select({ hallId: departments.hallId }).from(departments).where(eq(departments.id, wanted));
      if (!dept || dept.hallId !== user.hallId) throw notFound('部门');
      return { scope, asOf: formatInstant(now.getTime()), ...(await departmentBoard(wanted, now)) };
    },

    /**
     * The public progress query by case number. With `idLast4` the detail too, when it matches the last
     * four characters of the applicant's ID number (or credit code); a wrong one gets the same 404 as an
     * unknown number, so the answer never tells which digits are right.
     */
    async publicQuery(caseNumber: string, idLast4: string | undefined): Promise<PublicCase> {
      // Made only when needed: an error's stack trace costs more than the rest of a found query's work.
      const unknown = () => notFound('办件', { caseNumber });
      if (!isCaseNumber(caseNumber)) throw unknown();
      if (idLast4 === undefined) {
        const found = await publicCaseByNumber(caseNumber);
        if (!found) throw unknown();
        const { departmentName, ...row } = found;
        return publicCase({ row, departmentName, detail: null });
      }
      const found = await publicDetailByNumber(caseNumber);
      if (!found) throw unknown();
      // The numbers are sealed: the last four are compared in the application, after opening.
      const { idNumber: applicantIdNumber, phone: applicantPhone } = openContacts(await personal(), found.contacts);
      if (!applicantIdNumber || applicantIdNumber.slice(-4).toUpperCase() !== idLast4.toUpperCase()) throw unknown();
      const { departmentName, contacts: _sealed, deadlineDate, missingMaterials, corrections, result, hallName, windowName, log, tasks, ...row } = found;
      return publicCase({
        row,
        departmentName,
        detail: {
          row: { applicantIdNumber, applicantPhone, deadlineDate, missingMaterials, corrections, result, hallName, windowName },
          log: log.map((a) => ({ ...a, at: new Date(a.at) })),
          tasks: tasks.map((t) => ({ department: t.department, done: t.done, deadline: t.deadline === null ? null : new Date(t.deadline) })),
        },
      });
    },

    /** What the case desk needs: the user's windows and their items, today's served tickets, departments. */
    async desk(user: AuthUser): Promise<DeskInfo> {
      const now = clock.now();
      const hall = await hallOf(db, user.hallId);
      const ownWindows = hasRole(user, MANAGERS)
        ? await db.select({ id: windows.id, name: windows.name }).from(windows).where(eq(windows.hallId, user.hallId)).orderBy(asc(windows.number))
        : user.windowIds.length
          ? await db.select({ id: windows.id, name: windows.name }).from(windows).where(inArray(windows.id, user.windowIds)).orderBy(asc(windows.number))
          : [];
      const ids = ownWindows.map((w) => w.id);
      const taken = ids.length
        ? await db
            .select({ windowId: windowServices.windowId, code: services.code, name: services.name, kind: services.kind })
            .from(windowServices)
            .innerJoin(services, eq(services.id, windowServices.serviceId))
            .where(inArray(windowServices.windowId, ids))
            .orderBy(asc(services.code))
        : [];
      const served = ids.length
        ? await db
            .select({ id: tickets.id, number: tickets.number, status: tickets.status, serviceCode: services.code, windowId: tickets.windowId, holderName: tickets.holderName })
            .from(tickets)
            .innerJoin(services, eq(services.id, tickets.serviceId))
            .where(and(eq(tickets.hallId, user.hallId), eq(tickets.localDate, localDate(now.getTime(), hall.time.zone)), inArray(tickets.windowId, ids), inArray(tickets.status, ['called', 'serving', 'done'])))
            .orderBy(desc(tickets.calledAt))
            .limit(30)
        : [];
      const depts = await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.hallId, user.hallId)).orderBy(asc(departments.sortOrder), asc(departments.name));
      return {
        windows: ownWindows.map((w) => ({ ...w, services: taken.filter((s) => s.windowId === w.id).map(({ code, name, kind }) => ({ code, name, kind })) })),
        tickets: served,
        departments: depts,
      };
    },

    async settings(hallId: string): Promise<CaseSettings> {
      return (await hallOf(db, hallId)).settings;
    },

    /** New light thresholds apply to each open case from its next move or light change. */
    async updateSettings(actor: Actor, hallId: string, input: CaseSettings): Promise<CaseSettings> {
      return db.transaction(async (tx) => {
        // Only the settings: the hall's calendar reads on its own handle, which must not wait for this transaction.
        const [hall] = await tx.select({ settings: halls.settings }).from(halls).where(eq(halls.id, hallId)).for('update');
        if (!hall) throw notFound('服务中心');
        const before = caseSettingsOf(hall.settings);
        await tx
          .update(halls)
          .set({ settings: sql`jsonb_set(${halls.settings}, '{cases}', ${JSON.stringify(input)}::jsonb)` })
          .where(eq(halls.id, hallId));
        await recordAudit(tx, actor, { hallId, action: 'case.settings', entityType: 'hall', entityId: hallId, before, after: input });
        return input;
      });
    },

    /** Timer 'case.light': the light changed (or the server was down when it did): store it, remind, re-arm. */
    async onLightTimer(tx: Db, timer: { key: string; payload: Record<string, unknown> }): Promise<void> {
      const caseId = typeof timer.payload.caseId === 'string' ? timer.payload.caseId : null;
      if (!caseId) return;
      const [row] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
      // A timer a later move replaced is stale: the move armed its own.
      if (!row || row.lightTimerKey !== timer.key || row.finishedAt !== null) return;
      // The hall that holds the case counts its time, as it did when its last move set the deadline.
      const hall = await hallOf(tx, row.heldUpstream && row.transferHallId ? row.transferHallId : row.hallId);
      await project(tx, hall, row, stateOf(row, await logOf(tx, row.id)), clock.now(), {}, true);
    },
  };
  return service;
}
export type CaseService = ReturnType<typeof createCaseService>;

type PublicLogJson = Pick<CaseActionRow, 'action' | 'statusAfter' | 'reason' | 'facts' | 'payload'> & { at: string; hall: string };
type PublicTaskJson = { department: string; done: boolean; deadline: string | null };

const isUniqueViolation = (err: unknown): boolean => {
  for (let e = err, i = 0; e && typeof e === 'object' && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
};

/** The handler line for src/server/timer-handlers.ts. */
export function caseTimerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  const cases = createCaseService(ctx);
  return {
    [LIGHT_TIMER]: (tx, timer) => cases.onLightTimer(tx, timer),
    [RETENTION_TIMER]: async (tx, timer) => {
      await runRetention(tx, await personalData(tx), timer.hallId, ctx.clock.now());
    },
  };
}

