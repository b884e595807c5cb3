import { and, asc, desc, eq, gte, inArray, isNull, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, forbidden, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import type { AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { enqueueNotice } from '../notify/outbox.js';
import { departments, halls, services, windows } from '../org/tables.js';
import { formatInstant, fromLocal, localDate, type HallHours, type WorkingCalendar } from '../calendar/index.js';
import { keyring } from '../shared/data-key.js';
import { ID_NUMBER_MESSAGES, idNumberProblem, normalizeIdNumber } from '../shared/identity.js';
import { loadDisplayState, signalQueue } from './display.js';
import { ticketAvailability, withCutoff } from './opening.js';
import { ttlCache } from './cache.js';
import { createIssuing, replayOf, type IssueOptions, type IssuePlan, type Issued } from './issuing.js';
import { rowsOf } from '../db/reads.js';
import { sweepDue } from './sweep.js';
import { callOrder, historyNeeded, PRIORITY_LABELS, type Priority } from './priority.js';
import { QueueSettings, queueSettingsOf, type DisplayCall, type QueueStats, type StaffTicket, type TicketInput } from './schemas.js';
import { ACTION_LABELS, STATUS_LABELS, move, type TicketAction } from './states.js';
import { computeStats, idleMinutes, summarize, type StatEvent } from './stats.js';
import { ticketEvents, tickets, type TicketEventType, type TicketRow } from './tables.js';
import { aheadSql, outer, publicTicket, rankOf, staffTicket, type HallQueue } from './views.js';

/** The hall's working calendar and opening hours (a window's own hours when it has them). */
export interface HallCalendars {
  calendarFor(hallId: string): Promise<WorkingCalendar>;
  hoursFor(hallId: string, windowId?: string): Promise<HallHours>;
}

/** A service as a ticket request needs it: its windows with their own hours, if any. */
interface ServiceForTickets {
  id: string;
  code: string;
  name: string;
  prefix: string;
  windows: { id: string; hours: HallHours | null }[];
}

/** What every ticket request of a hall reads: its services by code, and the hours of the hall and of windows keeping their own. */
interface TicketContext {
  services: Map<string, ServiceForTickets>;
  hours: HallHours;
  ownHours: HallHours[];
}

const MANAGERS: readonly string[] = ['admin', 'manager'];

/**
 * How long a node keeps a hall's queue settings and its services and hours for tickets. A change of the
 * settings made on this node applies at once; other changes reach a node within this time. Every ticket
 * request reads them, so this saves its queries.
 */
const HALL_CACHE_MS = 5_000;

const actorOfUser = (user: AuthUser): Actor => ({ id: user.id, name: user.displayName || user.username, roles: user.roles });

export function createQueueService(ctx: AppContext, calendars: HallCalendars) {
  const { db, clock } = ctx;
  const hallCache = ttlCache<HallQueue>(HALL_CACHE_MS);
  const ticketContexts = ttlCache<TicketContext>(HALL_CACHE_MS);

  async function loadHall(tx: Db, hallId: string): Promise<HallQueue> {
    const [hall] = await tx
      .select({ name: halls.name, zone: halls.timeZone, queue: sql<unknown>`${halls.settings}->'queue'` })
      .from(halls)
      .where(eq(halls.id, hallId));
    if (!hall) throw notFound('服务中心');
    return { hallId, hallName: hall.name, zone: hall.zone, settings: queueSettingsOf(hall.queue) };
  }

  /** The hall's name, zone and queue settings; `tx` is used on a miss (PGlite allows no second handle in a transaction). */
  const hallQueue = (tx: Db, hallId: string): Promise<HallQueue> => hallCache.get(hallId, () => loadHall(tx, hallId));

  /** The windows taking a service, with their own hours (null: the hall's). */
  const windowsOfService = sql<{ id: string; hours: HallHours | null }[]>`(
    select coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'hours', w.hours)), '[]'::jsonb)
    from window_services ws join windows w on w.id = ws.window_id where ws.service_id = ${outer(services.id)})`;

  async function loadTicketContext(hallId: string): Promise<TicketContext> {
    const rows = await db
      .select({
        id: services.id,
        code: services.code,
        name: services.name,
        prefix: services.queuePrefix,
        windows: windowsOfService,
      })
      .from(services)
      .where(eq(services.hallId, hallId));
    const own = await db.select({ hours: windows.hours }).from(windows).where(and(eq(windows.hallId, hallId), isNotNull(windows.hours)));
    return {
      services: new Map(rows.map((r) => [r.code, r])),
      hours: await calendars.hoursFor(hallId),
      ownHours: own.map((w) => w.hours!),
    };
  }

  function dayOf(hall: HallQueue, now: Date) {
    const today = localDate(now.getTime(), hall.zone);
    return { today, dayStart: new Date(fromLocal(today, 0, hall.zone)) };
  }

  async function serviceByCode(tx: Db, hallId: string, code: string) {
    const [row] = await tx
      .select({
        id: services.id,
        code: services.code,
        name: services.name,
        prefix: services.queuePrefix,
        windows: sql<{ id: string; ownHours: boolean }[]>`(
          select coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'ownHours', w.hours is not null)), '[]'::jsonb)
          from window_services ws join windows w on w.id = ws.window_id where ws.service_id = ${outer(services.id)})`,
      })
      .from(services)
      .where(and(eq(services.hallId, hallId), eq(services.code, code)));
    if (!row) throw notFound(`事项“${code}”`, { serviceCode: code });
    return row;
  }

  async function ticketOrThrow(tx: Db, id: string, hallId: string | null, lock = false): Promise<TicketRow> {
    const query = tx
      .select()
      .from(tickets)
      .where(hallId ? and(eq(tickets.id, id), eq(tickets.hallId, hallId)) : eq(tickets.id, id));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('号票');
    return row;
  }

  async function event(
    tx: Db,
    ticket: Pick<TicketRow, 'id' | 'hallId' | 'serviceId' | 'priority'> | null,
    type: TicketEventType,
    at: Date,
    extra: { hallId?: string; windowId?: string | null; staffId?: string | null; details?: Record<string, unknown> } = {},
  ) {
    await tx.insert(ticketEvents).values({
      hallId: ticket?.hallId ?? extra.hallId!,
      ticketId: ticket?.id ?? null,
      type,
      at,
      serviceId: ticket?.serviceId ?? null,
      windowId: extra.windowId ?? null,
      staffId: extra.staffId ?? null,
      priority: ticket?.priority ?? null,
      details: extra.details ?? {},
    });
  }

  /** Whether a window taking the service is open for tickets now under its hours, else when one next is. */
  function availabilityOf(hall: HallQueue, serviceCode: string, calendar: WorkingCalendar, hoursList: HallHours[], now: Date) {
    const cutoff = hall.settings.cutoffMinutes[serviceCode];
    return ticketAvailability(calendar, hoursList.map((h) => withCutoff(h, cutoff)), now.getTime(), hall.zone);
  }

  /** Refuses with 409 HALL_CLOSED unless a window taking the service is open for tickets now. */
  function assertTicketsOpen(hall: HallQueue, service: { code: string; name: string }, calendar: WorkingCalendar, hoursList: HallHours[], now: Date) {
    const availability = availabilityOf(hall, service.code, calendar, hoursList, now);
    if (availability.open) return;
    const next = availability.nextOpening;
    const nextText = next === null ? null : formatInstant(next, hall.zone);
    const when = nextText ? `，下次可取号时间为 ${nextText.slice(5, 7)}月${nextText.slice(8, 10)}日 ${nextText.slice(11, 16)}` : '';
    throw new DomainError(409, 'HALL_CLOSED', `“${service.name}”当前不在取号时间${when}`, { nextOpening: nextText });
  }

  /**
   * Sends the "N places from the front" SMS, once each, to waiting visitors who left a phone, of the
   * services `inLine` selects (an SQL condition on tickets.service_id).
   */
  async function notifyNearFront(tx: Db, hall: HallQueue, inLine: SQL, today: string, now: Date) {
    const limit = hall.settings.notifyAhead;
    if (limit === 0) return;
    // Who left a phone and has not been told yet: usually nobody, so this cheap query comes first and
    // people ahead are counted only for them (counting for every waiting ticket would be quadratic).
    const candidates = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(
        and(...waitingFor(hall.hallId, today, inLine), isNotNull(tickets.phone), isNull(tickets.nearNotifiedAt)),
      )
      .limit(200)
      // A ticket another window is claiming right now is left to that transaction: waiting for it here
      // could deadlock two windows calling at once.
      .for('update', { skipLocked: true });
    if (candidates.length === 0) return;
    const ahead = aheadSql(hall.settings.priorityOrder);
    const near = await tx
      .select({ id: tickets.id, number: tickets.number, phone: tickets.phone, serviceName: services.name, ahead })
      .from(tickets)
      .innerJoin(services, eq(services.id, tickets.serviceId))
      .where(and(inArray(tickets.id, candidates.map((c) => c.id)), sql`${ahead} <= ${limit}`));
    for (const t of near) {
      await enqueueNotice(tx, {
        hallId: hall.hallId,
        channel: 'sms',
        recipient: t.phone!,
        template: 'queue.near_front',
        body: `【${hall.hallName}】您的 ${t.number} 号（${t.serviceName}）前面还有 ${t.ahead} 人，请回到大厅留意叫号。`,
        params: { number: t.number, ahead: t.ahead, ticketId: t.id },
        dedupeKey: `queue.near_front:${t.id}`,
        at: now,
      });
      await tx.update(tickets).set({ nearNotifiedAt: now }).where(eq(tickets.id, t.id));
    }
  }

  const servicesOfWindow = (windowId: string) => sql`(select ws.service_id from window_services ws where ws.window_id = ${windowId})`;
  /** Tickets of a service the window takes. */
  const forWindowServices = (windowId: string) => sql`${tickets.serviceId} in ${servicesOfWindow(windowId)}`;
  /** The conditions of tickets of the hall waiting today for the services `inLine` selects. */
  const waitingFor = (hallId: string, today: string, inLine: SQL) => [eq(tickets.hallId, hallId), eq(tickets.localDate, today), eq(tickets.status, 'waiting'), inLine];
  /** A window's line: tickets of the hall waiting today for a service it takes, not sent to another window. */
  const windowLine = (hallId: string, today: string, windowId: string) =>
    and(...waitingFor(hallId, today, forWindowServices(windowId)), or(isNull(tickets.targetWindowId), eq(tickets.targetWindowId, windowId)));

  /**
   * Reads and checks everything a ticket needs before its transaction: the service and its chain, the
   * real-name rule, and the opening hours. The calendar service reads through its own handle, which on
   * PGlite must not be used inside a transaction, so this runs outside one.
   */
  async function prepareIssue(hallId: string, input: TicketInput): Promise<IssuePlan> {
    const now = clock.now();
    const [hall, context, calendar] = await Promise.all([
      hallQueue(db, hallId),
      ticketContexts.get(hallId, () => loadTicketContext(hallId)),
      calendars.calendarFor(hallId),
    ]);
    const { today } = dayOf(hall, now);
    const known = (code: string) => {
      const found = context.services.get(code);
      if (!found) throw notFound(`事项“${code}”`, { serviceCode: code });
      return found;
    };
    const service = known(input.serviceCode);
    const then = (input.thenServiceCodes ?? []).map((code) => {
      const { id, name } = known(code);
      return { id, code, name };
    });
    if (hall.settings.realName && (!input.name || !input.idNumber)) {
      throw validationFailed('本中心实行实名取号，请填写姓名和身份证号码', { realName: true });
    }
    const idNumber = input.idNumber ? normalizeIdNumber(input.idNumber) : null;
    const idProblem = idNumber ? idNumberProblem(idNumber, today) : null;
    if (idProblem) throw new DomainError(400, 'INVALID_ID_NUMBER', ID_NUMBER_MESSAGES[idProblem]);
    if (service.windows.length === 0) {
      throw new DomainError(409, 'NO_WINDOW', `“${service.name}”暂无办理窗口，请咨询服务台`, { serviceCode: service.code });
    }
    assertTicketsOpen(hall, service, calendar, service.windows.map((w) => w.hours ?? context.hours), now);
    // A keyed hash (an ID number is too guessable for a plain one), with the hall so halls do not share
    // hashes; only compared, never shown. The keyring is cached, so this adds no query.
    const idHash = idNumber ? (await keyring(db)).hash('ticket-id', `${hallId}:${idNumber}`) : null;
    const { id, code, name, prefix } = service;
    const sweepAt = sweepDue(calendar, [context.hours, ...context.ownHours], today, hall.zone, hall.settings);
    return { hall, service: { id, code, name, prefix }, then, idNumber, idHash, now, today, sweepAt };
  }

  /** May this user work at the window: its staff, a leader of its department, a manager. */
  function mayWorkAt(user: AuthUser, window: { id: string; departmentId: string | null }): boolean {
    if (user.roles.some((r) => MANAGERS.includes(r))) return true;
    if (user.windowIds.includes(window.id)) return true;
    return user.roles.includes('leader') && window.departmentId !== null && window.departmentId === user.departmentId;
  }

  /**
   * The window with the ticket it is handling today, if any (one left unfinished on an earlier day does
   * not block it); locked when the caller is about to call.
   */
  async function windowFor(tx: Db, user: AuthUser, windowId: string, lock = false) {
    const hall = await hallQueue(tx, user.hallId);
    const { today } = dayOf(hall, clock.now());
    const query = tx
      .select({
        id: windows.id,
        name: windows.name,
        number: windows.number,
        status: windows.status,
        pauseReason: windows.pauseReason,
        departmentId: windows.departmentId,
        currentId: sql<string | null>`(
          select t.id from tickets t
          where t.window_id = ${outer(windows.id)} and t.status in ('called', 'serving') and t.local_date = ${today} limit 1)`,
      })
      .from(windows)
      .where(and(eq(windows.id, windowId), eq(windows.hallId, user.hallId)));
    const [win] = lock ? await query.for('update') : await query;
    if (!win) throw notFound('窗口');
    if (!mayWorkAt(user, win)) throw forbidden('您不是该窗口的工作人员');
    return win;
  }

  const invalid = (ticket: TicketRow, action: TicketAction) =>
    new DomainError(409, 'INVALID_TRANSITION', `号票 ${ticket.number} ${STATUS_LABELS[ticket.status]}，不能${ACTION_LABELS[action]}`, {
      status: ticket.status,
      action,
    });

  /**
   * One action on a ticket at a window, in one transaction: lock the ticket, check the user works at its
   * window and the state machine allows the move, let `apply` write the change and its events, then tell
   * the screens (with `call` set when the action is an announcement).
   */
  async function act(
    user: AuthUser,
    ticketId: string,
    action: TicketAction,
    apply: (tx: Db, ticket: TicketRow, hall: HallQueue, now: Date) => Promise<{ after: TicketRow; announce?: boolean }>,
  ) {
    return db.transaction(async (tx) => {
      const ticket = await ticketOrThrow(tx, ticketId, user.hallId, true);
      if (!ticket.windowId) throw invalid(ticket, action);
      const win = await windowFor(tx, user, ticket.windowId);
      if (move(ticket.status, action) === null) throw invalid(ticket, action);
      const hall = await hallQueue(tx, user.hallId);
      const now = clock.now();
      const { after, announce } = await apply(tx, ticket, hall, now);
      await recordAudit(tx, actorOfUser(user), {
        hallId: user.hallId,
        action: `ticket.${action}`,
        entityType: 'ticket',
        entityId: ticket.id,
        before: { status: ticket.status, serviceId: ticket.serviceId },
        after: { status: after.status, serviceId: after.serviceId },
      });
      const view = await staffTicket(tx, hall, ticket.id);
      await signalQueue(tx, { hallId: user.hallId, windowId: win.id, ...(announce ? { call: callAt(view, win, hall, now, true) } : {}) });
      return view;
    });
  }

  function callAt(view: StaffTicket, win: { id: string; name: string; number: number }, hall: HallQueue, at: Date, recall: boolean): DisplayCall {
    return {
      number: view.number,
      windowName: win.name,
      windowNumber: win.number,
      windowId: win.id,
      serviceName: view.serviceName,
      calledAt: formatInstant(at.getTime(), hall.zone),
      recall,
    };
  }

  async function update(tx: Db, id: string, set: Partial<typeof tickets.$inferInsert>): Promise<TicketRow> {
    const [row] = await tx.update(tickets).set(set).where(eq(tickets.id, id)).returning();
    return row!;
  }

  /** Service time of the visit ending now, kept on the event for the estimate. */
  const serviceMs = (t: TicketRow, now: Date) => now.getTime() - (t.startedAt ?? t.calledAt ?? now).getTime();

  async function displayState(hallId: string) {
    const hall = await hallQueue(db, hallId);
    const now = clock.now();
    return loadDisplayState(db, { hallId, hallName: hall.hallName, zone: hall.zone, now, ...dayOf(hall, now) });
  }

  const issuing = createIssuing(db, (tx, hall, ids, today, now) => notifyNearFront(tx, hall, inArray(tickets.id, ids), today, now));

  return {
    prepareIssue,

    /**
     * Writes the ticket of a prepared plan in the caller's transaction and returns its id (an appointment's
     * check-in uses this, then reads the ticket with `get` once committed).
     */
    issueIn: (tx: Db, actor: Actor, plan: IssuePlan, input: TicketInput, options: IssueOptions = {}) =>
      issuing.writeOne(tx, { actor, plan, input, options }),

    /**
     * Takes a ticket: checked here, then written with the other requests arriving at this node meanwhile
     * (group commit, issuing.ts). With an Idempotency-Key a retry (a kiosk that timed out) gets the ticket
     * of the first try, so it never prints two numbers, even after closing.
     */
    async issue(actor: Actor, hallId: string, input: TicketInput, options: IssueOptions = {}): Promise<Issued> {
      let plan: IssuePlan;
      try {
        plan = await prepareIssue(hallId, input);
      } catch (err) {
        const key = options.idempotencyKey;
        const earlier = key && err instanceof DomainError ? await replayOf(db, await hallQueue(db, hallId), key, input.serviceCode) : null;
        if (earlier) return earlier;
        throw err;
      }
      return issuing.submit({ actor, plan, input, options });
    },

    async get(id: string) {
      const ticket = await ticketOrThrow(db, id, null);
      return publicTicket(db, await hallQueue(db, ticket.hallId), id);
    },

    async getForStaff(user: AuthUser, id: string) {
      await ticketOrThrow(db, id, user.hallId);
      return staffTicket(db, await hallQueue(db, user.hallId), id);
    },

    /** The visitor withdraws (or a kiosk whose printer failed), so no phantom number stays in line. */
    async cancel(actor: Actor, id: string) {
      return db.transaction(async (tx) => {
        const ticket = await ticketOrThrow(tx, id, null, true);
        if (move(ticket.status, 'cancel') === null) throw invalid(ticket, 'cancel');
        const now = clock.now();
        await update(tx, id, { status: 'cancelled', finishedAt: now });
        await event(tx, ticket, 'cancelled', now);
        await recordAudit(tx, actor, { hallId: ticket.hallId, action: 'ticket.cancel', entityType: 'ticket', entityId: id, before: { status: ticket.status }, after: { status: 'cancelled' } });
        await signalQueue(tx, { hallId: ticket.hallId });
        const hall = await hallQueue(tx, ticket.hallId);
        // Everyone behind moved up one place.
        await notifyNearFront(tx, hall, eq(tickets.serviceId, ticket.serviceId), ticket.localDate, now);
        return publicTicket(tx, hall, id);
      });
    },

    /**
     * Calls the next visitor for the window across the services it takes. The window row is locked, so
     * one window never calls twice at once; the ticket is claimed with FOR UPDATE SKIP LOCKED, so windows
     * calling at the same instant each get a different ticket and none waits for another.
     */
    async callNext(user: AuthUser, windowId: string) {
      return db.transaction(async (tx) => {
        const win = await windowFor(tx, user, windowId, true);
        if (win.status !== 'open') {
          throw new DomainError(409, 'WINDOW_PAUSED', `窗口${win.status === 'paused' ? '已暂停' : '已关闭'}，请先恢复服务再叫号`, { status: win.status });
        }
        if (win.currentId) {
          const [busy] = await tx.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, win.currentId));
          throw new DomainError(409, 'WINDOW_BUSY', `请先办结、过号或转移当前的 ${busy?.number ?? ''} 号，再叫下一位`, {
            ticketId: win.currentId,
            number: busy?.number,
          });
        }
        const hall = await hallQueue(tx, user.hallId);
        const now = clock.now();
        const { today, dayStart } = dayOf(hall, now);
        const line = windowLine(user.hallId, today, windowId);
        // Which classes wait in this line: one EXISTS per class, each the first matching entry of the
        // waiting-order index (migration 0024), not a DISTINCT over the whole line (thousands on a busy day).
        const policy = { order: hall.settings.priorityOrder, guard: hall.settings.guard };
        const probes = policy.order.map((p) => sql`exists (${tx.select({ one: sql`1` }).from(tickets).where(and(line, eq(tickets.priority, p)))}) as ${sql.identifier(p)}`);
        const [present] = rowsOf<Record<Priority, boolean>>(await tx.execute(sql`select ${sql.join(probes, sql`, `)}`));
        const classes = policy.order.filter((p) => present?.[p]);
        if (classes.length === 0) return null;
        const need = historyNeeded(policy);
        const recent = need
          ? (
              await tx
                .select({ priority: ticketEvents.priority })
                .from(ticketEvents)
                .where(and(eq(ticketEvents.windowId, windowId), eq(ticketEvents.type, 'called'), gte(ticketEvents.at, dayStart)))
                .orderBy(desc(ticketEvents.id))
                .limit(need)
            )
              .map((r) => r.priority ?? 'normal')
              .reverse()
          : [];
        let called: TicketRow | undefined;
        for (const priority of callOrder(policy, classes, recent)) {
          const head = tx
            .select({ id: tickets.id })
            .from(tickets)
            .where(and(line, eq(tickets.priority, priority)))
            .orderBy(asc(tickets.seq))
            .limit(1)
            .for('update', { skipLocked: true });
          [called] = await tx
            .update(tickets)
            .set({ status: 'called', windowId, staffId: user.id, calledAt: now, startedAt: null, recallCount: 0, targetWindowId: null })
            .where(and(eq(tickets.id, sql`(${head})`), eq(tickets.status, 'waiting')))
            .returning();
          if (called) break;
        }
        if (!called) return null;
        await event(tx, called, 'called', now, { windowId, staffId: user.id });
        await recordAudit(tx, actorOfUser(user), { hallId: user.hallId, action: 'ticket.call', entityType: 'ticket', entityId: called.id, after: { number: called.number, windowId } });
        const view = await staffTicket(tx, hall, called.id);
        await signalQueue(tx, { hallId: user.hallId, windowId, call: callAt(view, win, hall, now, false) });
        await notifyNearFront(tx, hall, forWindowServices(windowId), today, now);
        return view;
      });
    },

    /** Calls the same visitor again; past the hall's limit the ticket counts as missed. */
    recall: (user: AuthUser, id: string) =>
      act(user, id, 'recall', async (tx, t, hall, now) => {
        if (t.recallCount >= hall.settings.recallLimit) {
          const after = await update(tx, t.id, { status: 'skipped', skippedAt: now });
          await event(tx, t, 'skipped', now, { windowId: t.windowId, staffId: user.id, details: { reason: 'recall_limit' } });
          return { after };
        }
        const after = await update(tx, t.id, { recallCount: t.recallCount + 1 });
        await event(tx, t, 'recalled', now, { windowId: t.windowId, staffId: user.id, details: { recall: after.recallCount } });
        return { after, announce: true };
      }),

    start: (user: AuthUser, id: string) =>
      act(user, id, 'start', async (tx, t, _hall, now) => {
        const after = await update(tx, t.id, { status: 'serving', startedAt: now, staffId: user.id });
        await event(tx, t, 'started', now, { windowId: t.windowId, staffId: user.id });
        return { after };
      }),

    /** Finishes the visit; on a one-window chain the ticket queues for the next step on the same number. */
    complete: (user: AuthUser, id: string) =>
      act(user, id, 'complete', async (tx, t, hall, now) => {
        await event(tx, t, 'finished', now, { windowId: t.windowId, staffId: user.id, details: { serviceMs: serviceMs(t, now) } });
        const [next, ...rest] = t.nextServiceIds;
        if (!next) return { after: await update(tx, t.id, { status: 'done', finishedAt: now }) };
        const after = await update(tx, t.id, {
          status: move(t.status, 'nextStep')!,
          serviceId: next,
          nextServiceIds: rest,
          step: t.step + 1,
          queuedAt: now,
          targetWindowId: null,
          recallCount: 0,
          nearNotifiedAt: null,
        });
        await event(tx, after, 'transferred', now, { windowId: t.windowId, staffId: user.id, details: { reason: 'next_step', fromServiceId: t.serviceId } });
        await notifyNearFront(tx, hall, eq(tickets.serviceId, next), t.localDate, now);
        return { after };
      }),

    /** The visitor did not come: a no-show, which the window can restore within the grace period. */
    skip: (user: AuthUser, id: string) =>
      act(user, id, 'skip', async (tx, t, _hall, now) => {
        const after = await update(tx, t.id, { status: 'skipped', skippedAt: now });
        await event(tx, t, 'skipped', now, { windowId: t.windowId, staffId: user.id });
        return { after };
      }),

    /** Puts a missed ticket back at its place in line, within the hall's grace period on the same day. */
    restore: (user: AuthUser, id: string) =>
      act(user, id, 'restore', async (tx, t, hall, now) => {
        const graceEnd = (t.skippedAt?.getTime() ?? 0) + hall.settings.restoreGraceMinutes * 60_000;
        if (now.getTime() > graceEnd || t.localDate !== dayOf(hall, now).today) {
          throw new DomainError(409, 'RESTORE_EXPIRED', `号票 ${t.number} 过号已超过 ${hall.settings.restoreGraceMinutes} 分钟，不能恢复，请重新取号`, {
            restorableUntil: formatInstant(graceEnd, hall.zone),
          });
        }
        const after = await update(tx, t.id, { status: 'waiting', queuedAt: now, recallCount: 0 });
        await event(tx, t, 'restored', now, { windowId: t.windowId, staffId: user.id });
        return { after };
      }),

    /** Sends the visitor to another service or window, keeping the ticket's place in line. */
    async transfer(user: AuthUser, id: string, input: { serviceCode: string; windowId?: string }) {
      const target = await serviceByCode(db, user.hallId, input.serviceCode);
      if (input.windowId && !target.windows.some((w) => w.id === input.windowId)) {
        throw validationFailed(`所选窗口不办理“${target.name}”`, { windowId: input.windowId });
      }
      if (target.windows.length === 0) throw new DomainError(409, 'NO_WINDOW', `“${target.name}”暂无办理窗口`, { serviceCode: target.code });
      return act(user, id, 'transfer', async (tx, t, hall, now) => {
        const after = await update(tx, t.id, { status: 'waiting', serviceId: target.id, targetWindowId: input.windowId ?? null, queuedAt: now, recallCount: 0 });
        await event(tx, after, 'transferred', now, {
          windowId: t.windowId,
          staffId: user.id,
          details: { fromServiceId: t.serviceId, serviceMs: serviceMs(t, now), toWindowId: input.windowId ?? null },
        });
        await notifyNearFront(tx, hall, eq(tickets.serviceId, target.id), t.localDate, now);
        return { after };
      });
    },

    /** Sets the steps that follow the current one (一窗受理), e.g. after the first window sorted the matter. */
    async setSteps(user: AuthUser, id: string, codes: string[]) {
      const next: string[] = [];
      for (const code of codes) next.push((await serviceByCode(db, user.hallId, code)).id);
      return db.transaction(async (tx) => {
        const ticket = await ticketOrThrow(tx, id, user.hallId, true);
        if (ticket.status === 'done' || ticket.status === 'cancelled') throw invalid(ticket, 'transfer');
        if (ticket.windowId) await windowFor(tx, user, ticket.windowId);
        else if (!user.roles.some((r) => MANAGERS.includes(r))) throw forbidden('号票尚未被叫号，只有管理人员可以修改环节');
        await update(tx, id, { nextServiceIds: next });
        await recordAudit(tx, actorOfUser(user), { hallId: user.hallId, action: 'ticket.steps_set', entityType: 'ticket', entityId: id, before: { next: ticket.nextServiceIds }, after: { next: codes } });
        return staffTicket(tx, await hallQueue(tx, user.hallId), id);
      });
    },

    async pause(user: AuthUser, windowId: string, reason: string) {
      return db.transaction(async (tx) => {
        const win = await windowFor(tx, user, windowId, true);
        if (win.status !== 'open') throw new DomainError(409, 'INVALID_TRANSITION', '窗口不在服务中，不能暂停', { status: win.status });
        await tx.update(windows).set({ status: 'paused', pauseReason: reason }).where(eq(windows.id, windowId));
        await event(tx, null, 'paused', clock.now(), { hallId: user.hallId, windowId, staffId: user.id, details: { reason } });
        await recordAudit(tx, actorOfUser(user), { hallId: user.hallId, action: 'window.paused', entityType: 'window', entityId: windowId, after: { reason } });
        await signalQueue(tx, { hallId: user.hallId, windowId });
        return { id: windowId, status: 'paused' as const, pauseReason: reason };
      });
    },

    async resume(user: AuthUser, windowId: string) {
      return db.transaction(async (tx) => {
        const win = await windowFor(tx, user, windowId, true);
        if (win.status !== 'paused') throw new DomainError(409, 'INVALID_TRANSITION', '窗口未暂停', { status: win.status });
        await tx.update(windows).set({ status: 'open', pauseReason: null }).where(eq(windows.id, windowId));
        await event(tx, null, 'resumed', clock.now(), { hallId: user.hallId, windowId, staffId: user.id, details: { reason: win.pauseReason } });
        await recordAudit(tx, actorOfUser(user), { hallId: user.hallId, action: 'window.resumed', entityType: 'window', entityId: windowId, before: { reason: win.pauseReason } });
        await signalQueue(tx, { hallId: user.hallId, windowId });
        return { id: windowId, status: 'open' as const, pauseReason: null };
      });
    },

    /** Everything the window's console shows: its state, the visitor at the counter, who is next, who missed. */
    async console(user: AuthUser, windowId: string) {
      const win = await windowFor(db, user, windowId);
      const hall = await hallQueue(db, user.hallId);
      const now = clock.now();
      const { today } = dayOf(hall, now);
      const svc = await db
        .select({ id: services.id, code: services.code, name: services.name })
        .from(services)
        .where(sql`${services.id} in ${servicesOfWindow(windowId)}`)
        .orderBy(asc(services.code));
      const waiting = await db
        .select({ id: tickets.id, number: tickets.number, priority: tickets.priority, serviceId: tickets.serviceId, queuedAt: tickets.queuedAt })
        .from(tickets)
        .where(windowLine(user.hallId, today, windowId))
        .orderBy(rankOf(hall.settings.priorityOrder, outer(tickets.priority)), asc(tickets.seq));
      const graceStart = new Date(now.getTime() - hall.settings.restoreGraceMinutes * 60_000);
      const missed = await db
        .select({ id: tickets.id, number: tickets.number, skippedAt: tickets.skippedAt })
        .from(tickets)
        .where(and(eq(tickets.windowId, windowId), eq(tickets.status, 'skipped'), eq(tickets.localDate, today), gte(tickets.skippedAt, graceStart)))
        .orderBy(desc(tickets.skippedAt));
      const nameOf = new Map(svc.map((s) => [s.id, s.name]));
      const at = (d: Date) => formatInstant(d.getTime(), hall.zone);
      return {
        window: { id: win.id, name: win.name, number: win.number, status: win.status, pauseReason: win.pauseReason },
        services: svc.map((s) => ({ code: s.code, name: s.name })),
        current: win.currentId ? await staffTicket(db, hall, win.currentId) : null,
        waitingCount: waiting.length,
        nextUp: waiting.slice(0, 10).map((w) => ({
          id: w.id,
          number: w.number,
          priority: w.priority,
          priorityLabel: PRIORITY_LABELS[w.priority],
          serviceName: nameOf.get(w.serviceId) ?? '',
          waitingMinutes: Math.floor((now.getTime() - w.queuedAt.getTime()) / 60_000),
        })),
        missed: missed.map((m) => ({
          id: m.id,
          number: m.number,
          skippedAt: at(m.skippedAt!),
          restorableUntil: at(new Date(m.skippedAt!.getTime() + hall.settings.restoreGraceMinutes * 60_000)),
        })),
        recallLimit: hall.settings.recallLimit,
      };
    },

    /** What a kiosk or phone offers: every service some window takes, by department, with its line and hours. */
    async ticketServices(hallId: string) {
      const hall = await hallQueue(db, hallId);
      const now = clock.now();
      const { today } = dayOf(hall, now);
      const rows = await db
        .select({
          code: services.code,
          name: services.name,
          prefix: services.queuePrefix,
          departmentName: departments.name,
          windows: windowsOfService,
          waiting: sql<number>`(
            select count(*)::int from tickets t
            where t.service_id = ${outer(services.id)} and t.local_date = ${today} and t.status = 'waiting')`,
        })
        .from(services)
        .innerJoin(departments, eq(departments.id, services.departmentId))
        .where(and(eq(services.hallId, hallId), sql`exists (select 1 from window_services ws where ws.service_id = ${outer(services.id)})`))
        .orderBy(asc(departments.sortOrder), asc(departments.name), asc(services.code));
      const [calendar, hours] = await Promise.all([calendars.calendarFor(hallId), calendars.hoursFor(hallId)]);
      return rows.map(({ windows: serviceWindows, ...row }) => {
          const availability = availabilityOf(hall, row.code, calendar, serviceWindows.map((w) => w.hours ?? hours), now);
          return {
            ...row,
            waiting: Number(row.waiting),
            open: availability.open,
            nextOpening: availability.open || availability.nextOpening === null ? null : formatInstant(availability.nextOpening, hall.zone),
          };
        });
    },

    displayState,

    /** One window's small screen: its current call and the people waiting for it. */
    async windowDisplay(hallId: string, windowId: string) {
      const state = await displayState(hallId);
      const win = state.windows.find((w) => w.id === windowId);
      if (!win) throw notFound('窗口');
      return { hallName: state.hallName, at: state.at, window: win, recentCalls: state.recentCalls.filter((c) => c.windowId === windowId) };
    },

    async settings(hallId: string) {
      return (await hallQueue(db, hallId)).settings;
    },

    async setSettings(actor: Actor, hallId: string, settings: QueueSettings) {
      const result = await db.transaction(async (tx) => {
        const before = await loadHall(tx, hallId);
        await tx
          .update(halls)
          .set({ settings: sql`jsonb_set(${halls.settings}, '{queue}', ${JSON.stringify(settings)}::jsonb)` })
          .where(eq(halls.id, hallId));
        await recordAudit(tx, actor, { hallId, action: 'queue.settings_set', entityType: 'hall', entityId: hallId, before: before.settings, after: settings });
        return settings;
      });
      hallCache.delete(hallId);
      return result;
    },

    /** Waiting, walking, service, no-shows and idle time from the event log, for local dates from..to. */
    async stats(hallId: string, from: string, to: string): Promise<QueueStats> {
      const hall = await hallQueue(db, hallId);
      const start = new Date(fromLocal(from, 0, hall.zone));
      const end = new Date(fromLocal(to, 24 * 60, hall.zone));
      const rows = await db
        .select({
          ticketId: ticketEvents.ticketId,
          type: ticketEvents.type,
          at: ticketEvents.at,
          serviceId: ticketEvents.serviceId,
          windowId: ticketEvents.windowId,
          staffId: ticketEvents.staffId,
          reason: sql<string | null>`${ticketEvents.details}->>'reason'`,
        })
        .from(ticketEvents)
        .where(and(eq(ticketEvents.hallId, hallId), gte(ticketEvents.at, start), lt(ticketEvents.at, end)))
        .orderBy(asc(ticketEvents.id));
      const events: StatEvent[] = rows.map((r) => ({ ...r, at: r.at.getTime() }));
      const raw = computeStats(events, hall.zone);
      const [svcRows, winRows, staffRows] = await Promise.all([
        db.select({ id: services.id, code: services.code, name: services.name }).from(services).where(eq(services.hallId, hallId)),
        db.select({ id: windows.id, name: windows.name, number: windows.number }).from(windows).where(eq(windows.hallId, hallId)),
        db.select({ id: users.id, name: users.displayName, username: users.username }).from(users).where(eq(users.hallId, hallId)),
      ]);
      const svc = new Map(svcRows.map((s) => [s.id, s]));
      const win = new Map(winRows.map((w) => [w.id, w]));
      const staff = new Map(staffRows.map((s) => [s.id, s.name || s.username]));
      return {
        from,
        to,
        totals: summarize(raw.totals),
        byService: [...raw.byService]
          .map(([id, t]) => ({ serviceCode: svc.get(id)?.code ?? '', serviceName: svc.get(id)?.name ?? '', ...summarize(t) }))
          .sort((a, b) => a.serviceCode.localeCompare(b.serviceCode)),
        byWindow: [...raw.byWindow]
          .sort(([a], [b]) => (win.get(a)?.number ?? 0) - (win.get(b)?.number ?? 0))
          .map(([id, t]) => ({ windowId: id, windowName: win.get(id)?.name ?? '', ...summarize(t), idleMinutes: idleMinutes(t) })),
        byStaff: [...raw.byStaff].map(([id, t]) => ({ staffId: id, staffName: staff.get(id) ?? '', ...summarize(t), idleMinutes: idleMinutes(t) })),
        byHour: [...raw.byHour].sort(([a], [b]) => a - b).map(([hour, t]) => ({ hour, ...summarize(t) })),
      };
    },
  };
}
export type QueueService = ReturnType<typeof createQueueService>;
