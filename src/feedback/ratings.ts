// Ratings (好差评): one rating per service given (一次一评) — a ticket or a case, with its window and staff
// member — or an item rated online (一事一评). Channels: the window pad, the QR code of a ticket or notice,
// the SMS link after a case completes, the online guide, and paper forms entered by the office.
import { createHash, randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { and, asc, desc, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, forbidden, notFound, validationFailed } from '../server/errors.js';
import { PUBLIC_ACTOR, SYSTEM_ACTOR, recordAudit, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users, userWindows } from '../auth/tables.js';
import { caseActions, cases } from '../cases/tables.js';
import { isOpen as isCaseOpen } from '../cases/states.js';
import { openContacts, personalData } from '../cases/personal.js';
import { fromLocal, localDate, workingDaysBetween } from '../calendar/index.js';
import { departments, halls, services, windows } from '../org/tables.js';
import { ticketEvents, tickets } from '../queue/tables.js';
import { keyring } from '../shared/data-key.js';
import { isMobilePhone, maskPhone } from '../shared/identity.js';
import { iso, isUniqueViolation, parseFeedbackSettings, shownPhone, textCitizen, type HallTime, type HallTimes } from './common.js';
import { followRatingEdit, noteDisputeUpheld, openFollowup } from './followups.js';
import { signRatingToken, verifyRatingToken, peekRatingToken, type RatingTokenPayload, type TokenKind } from './rating-token.js';
import {
  BAD_TAGS,
  GOOD_TAGS,
  GRADE_LABELS,
  GRADE_SCORES,
  OFFLINE_CRITERIA,
  ONLINE_CRITERIA,
  REASON_TAG_LABELS,
  RATING_CHANNEL_LABELS,
  isBadGrade,
  type Criteria,
  type Grade,
  type RatingChannel,
  type ReasonTag,
} from './schemas.js';
import { hallSecret } from './secret.js';
import { ratingDisputes, ratingInvitations, ratings, type RatingRow } from './tables.js';
import type { z } from 'zod';
import type { DisputeDecision, DisputeInput, FeedbackSettings, InvitationInput, RatingEdit, RatingFormInput, RatingInput, SubjectQuery } from './schemas.js';

const DAY_MS = 86_400_000;
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** The service a rating is about, with who gave it and where. */
export interface Subject {
  kind: 'ticket' | 'case' | 'service';
  hallId: string;
  ticketId: string | null;
  caseId: string | null;
  caseNumber: string | null;
  /** What the rater recognises: the ticket number, the case number or the item's name. */
  label: string;
  serviceId: string | null;
  serviceName: string;
  departmentId: string | null;
  windowId: string | null;
  windowName: string | null;
  staffId: string | null;
  staffName: string | null;
  servedAt: Date | null;
  finished: boolean;
  /** Every staff member who served it: none of them may rate it. */
  servedBy: string[];
}

async function ticketSubject(db: Db, id: string): Promise<Subject> {
  const [row] = await db
    .select({ t: tickets, serviceName: services.name, departmentId: services.departmentId, windowName: windows.name, staffName: users.displayName })
    .from(tickets)
    .leftJoin(services, eq(services.id, tickets.serviceId))
    .leftJoin(windows, eq(windows.id, tickets.windowId))
    .leftJoin(users, eq(users.id, tickets.staffId))
    .where(eq(tickets.id, id));
  if (!row) throw notFound('号票', { ticketId: id });
  const staff = await db.selectDistinct({ id: ticketEvents.staffId }).from(ticketEvents).where(and(eq(ticketEvents.ticketId, id), isNotNull(ticketEvents.staffId)));
  const t = row.t;
  return {
    kind: 'ticket',
    hallId: t.hallId,
    ticketId: t.id,
    caseId: null,
    caseNumber: null,
    label: t.number,
    serviceId: t.serviceId,
    serviceName: row.serviceName ?? '',
    departmentId: row.departmentId,
    windowId: t.windowId,
    windowName: row.windowName,
    staffId: t.staffId,
    staffName: row.staffName,
    servedAt: t.finishedAt,
    finished: t.status === 'done',
    servedBy: [...new Set([t.staffId, ...staff.map((s) => s.id)].filter((s): s is string => s !== null))],
  };
}

async function caseSubject(db: Db, where: SQL, what: Record<string, unknown>): Promise<Subject> {
  const [row] = await db
    .select({ c: cases, windowName: windows.name, staffName: users.displayName })
    .from(cases)
    .leftJoin(windows, eq(windows.id, cases.windowId))
    .leftJoin(users, eq(users.id, cases.handlerId))
    .where(where);
  if (!row) throw notFound('办件', what);
  const c = row.c;
  const actors = await db.selectDistinct({ id: caseActions.actorId }).from(caseActions).where(and(eq(caseActions.caseId, c.id), isNotNull(caseActions.actorId)));
  return {
    kind: 'case',
    hallId: c.hallId,
    ticketId: null,
    caseId: c.id,
    caseNumber: c.caseNumber,
    label: c.caseNumber,
    serviceId: c.serviceId,
    serviceName: c.serviceName,
    departmentId: c.departmentId,
    windowId: c.windowId,
    windowName: row.windowName,
    staffId: c.handlerId,
    staffName: row.staffName,
    servedAt: c.finishedAt ?? (isCaseOpen(c.status) ? null : c.updatedAt),
    // A case has been served once it reached an end: completed, delivered, or refused with reasons.
    finished: !isCaseOpen(c.status),
    servedBy: [...new Set([c.handlerId, ...actors.map((a) => a.id)].filter((s): s is string => s !== null))],
  };
}

async function serviceSubject(db: Db, hallId: string, code: string): Promise<Subject> {
  const [row] = await db
    .select({ id: services.id, name: services.name, departmentId: services.departmentId })
    .from(services)
    .where(and(eq(services.hallId, hallId), eq(services.code, code)));
  if (!row) throw notFound(`事项“${code}”`, { serviceCode: code });
  return {
    kind: 'service',
    hallId,
    ticketId: null,
    caseId: null,
    caseNumber: null,
    label: row.name,
    serviceId: row.id,
    serviceName: row.name,
    departmentId: row.departmentId,
    windowId: null,
    windowName: null,
    staffId: null,
    staffName: null,
    servedAt: null,
    finished: true,
    servedBy: [],
  };
}

/** Why a service cannot be rated now, or null: not finished yet, or its rating period is over. */
export function rateableProblem(subject: Pick<Subject, 'finished' | 'servedAt' | 'kind'>, settings: HallTime['settings']['rating'], now: Date): string | null {
  if (!subject.finished) return subject.kind === 'case' ? '办件尚未办结，办结后才能评价' : '号票尚未办结，办结后才能评价';
  if (subject.servedAt) {
    // Under the Guangdong rule an unrated service counts as 基本满意 after the days given: it closes then.
    const days = settings.unratedCountsBasic ? Math.min(settings.windowDays, settings.unratedBasicDays) : settings.windowDays;
    if (now.getTime() > subject.servedAt.getTime() + days * DAY_MS) return `办结已超过 ${days} 天，评价期已过`;
  }
  return null;
}

const notRateable = (message: string) => new DomainError(409, 'NOT_RATEABLE', message);

export function createRatingService(ctx: AppContext, times: HallTimes) {
  const { db, clock } = ctx;

  async function subjectOf(input: { ticketId?: string; caseNumber?: string; serviceCode?: string }, hallId: () => Promise<string>, token: RatingTokenPayload | null): Promise<Subject> {
    if (token) {
      const subject = token.ticketId ? await ticketSubject(db, token.ticketId) : await caseSubject(db, eq(cases.id, token.caseId!), {});
      const named = (input.ticketId && input.ticketId !== subject.ticketId) || (input.caseNumber && input.caseNumber !== subject.caseNumber) || input.serviceCode;
      if (named || subject.hallId !== token.hallId) throw new DomainError(400, 'INVALID_TOKEN', '评价链接与所评价的服务不符');
      return subject;
    }
    if (input.ticketId) return ticketSubject(db, input.ticketId);
    if (input.caseNumber) return caseSubject(db, eq(cases.caseNumber, input.caseNumber), { caseNumber: input.caseNumber });
    return serviceSubject(db, await hallId(), input.serviceCode!);
  }

  /** Checks a signed link: genuine, unexpired, of the kind expected, and (for SMS and QR) not used yet. */
  async function checkToken(token: string, kinds: readonly TokenKind[]): Promise<RatingTokenPayload> {
    const peeked = peekRatingToken(token);
    if (!peeked) throw new DomainError(400, 'INVALID_TOKEN', '评价链接无效，请核对短信或二维码');
    const result = verifyRatingToken(await hallSecret(db, peeked.hallId), token, clock.now().getTime());
    if (result === 'expired') throw new DomainError(409, 'TOKEN_EXPIRED', '评价链接已过期');
    if (typeof result === 'string' || !kinds.includes(result.kind)) throw new DomainError(400, 'INVALID_TOKEN', '评价链接无效，请核对短信或二维码');
    if (result.kind !== 'pad') {
      const [used] = await db.select({ id: ratings.id }).from(ratings).where(eq(ratings.tokenNonce, result.nonce));
      if (used) throw new DomainError(409, 'TOKEN_USED', '该评价链接已使用过，每个链接只能评价一次');
    }
    return result;
  }

  function checkCriteria(criteria: Criteria, online: boolean) {
    const allowed: readonly string[] = online ? ONLINE_CRITERIA : OFFLINE_CRITERIA;
    const wrong = Object.keys(criteria).filter((k) => !allowed.includes(k));
    if (wrong.length) throw validationFailed(`${online ? '网上' : '现场'}评价不含这些分项：${wrong.join('、')}`, { criteria: wrong });
  }

  function checkTags(grade: Grade, tags: readonly ReasonTag[]) {
    // Praise goes with a good grade, problems with the others: a rater cannot tick "态度不好" with 非常满意.
    const allowed: readonly string[] = grade === 'very_satisfied' || grade === 'satisfied' ? GOOD_TAGS : BAD_TAGS;
    const wrong = tags.filter((t) => !allowed.includes(t));
    if (wrong.length) throw validationFailed(`所选原因与评价等级不符：${wrong.map((t) => REASON_TAG_LABELS[t]).join('、')}`, { tags: wrong });
  }

  async function insertRating(
    tx: Db,
    time: HallTime,
    subject: Subject,
    values: { grade: Grade; tags: readonly ReasonTag[]; comment: string; criteria: Criteria; channel: RatingChannel; raterPhone?: string; ratedAt: Date; timely: boolean; tokenNonce?: string },
    actor: Actor,
  ) {
    const now = clock.now();
    const editKey = randomBytes(18).toString('base64url');
    const editableUntil = new Date(now.getTime() + time.settings.rating.editMinutes * 60_000);
    let row: RatingRow;
    try {
      [row] = (await tx
        .insert(ratings)
        .values({
          hallId: subject.hallId,
          subject: subject.kind,
          ticketId: subject.ticketId,
          caseId: subject.caseId,
          caseNumber: subject.caseNumber,
          serviceId: subject.serviceId,
          departmentId: subject.departmentId,
          windowId: subject.windowId,
          staffId: subject.staffId,
          grade: values.grade,
          score: GRADE_SCORES[values.grade],
          criteria: values.criteria,
          tags: [...values.tags],
          comment: values.comment,
          channel: values.channel,
          raterPhoneEnc: (await personalData(tx)).seal(values.raterPhone),
          servedAt: subject.servedAt,
          ratedAt: values.ratedAt,
          recordedAt: now,
          timely: values.timely,
          tokenNonce: values.tokenNonce ?? null,
          editKeyHash: values.channel === 'form' ? null : hashKey(editKey),
          editableUntil: values.channel === 'form' ? null : editableUntil,
        })
        .returning()) as [RatingRow];
    } catch (err) {
      // Two raters racing for one service: the second finds it rated.
      if (isUniqueViolation(err)) throw alreadyRated();
      throw err;
    }
    await recordAudit(tx, actor, { hallId: subject.hallId, action: 'rating.created', entityType: 'rating', entityId: row.id, after: { grade: row.grade, channel: row.channel, subject: subject.kind, label: subject.label } });
    if (isBadGrade(values.grade)) await openFollowup(tx, time, row, now);
    return { row, editKey, editableUntil };
  }

  const alreadyRated = () => new DomainError(409, 'ALREADY_RATED', '该服务已评价过，一次服务只能评价一次');

  async function assertNotRated(subject: Subject) {
    if (subject.kind === 'service') return;
    const [rated] = await db
      .select({ id: ratings.id })
      .from(ratings)
      .where(subject.ticketId ? eq(ratings.ticketId, subject.ticketId) : eq(ratings.caseId, subject.caseId!));
    if (rated) throw alreadyRated();
  }

  function assertNotOwn(user: AuthUser | null, subject: Subject) {
    if (user && subject.servedBy.includes(user.id)) throw new DomainError(403, 'SELF_RATING', '工作人员不能评价自己经办的服务');
  }

  const service = {
    /** What the public rating page shows before rating: the service, and whether it can be rated. */
    async subject(user: AuthUser | null, query: z.infer<typeof SubjectQuery>, hallId: () => Promise<string>) {
      const token = query.token ? await checkToken(query.token, ['sms', 'qr']) : null;
      const subject = await subjectOf({ ticketId: query.ticket, caseNumber: query.case, serviceCode: query.service }, hallId, token);
      const time = await times(subject.hallId);
      await assertCaseLink(time, subject, token);
      const problem = rateableProblem(subject, time.settings.rating, clock.now());
      let rated = false;
      if (subject.kind !== 'service') {
        const [r] = await db.select({ id: ratings.id }).from(ratings).where(subject.ticketId ? eq(ratings.ticketId, subject.ticketId) : eq(ratings.caseId, subject.caseId!));
        rated = Boolean(r);
      }
      const own = Boolean(user && subject.servedBy.includes(user.id));
      return {
        kind: subject.kind,
        label: subject.label,
        serviceName: subject.serviceName,
        windowName: subject.windowName,
        staffName: subject.staffName,
        servedAt: iso(subject.servedAt, time.zone),
        rateable: !problem && !rated && !own,
        reason: own ? '工作人员不能评价自己经办的服务' : rated ? '该服务已评价过，感谢您的评价' : problem,
        alreadyRated: rated,
        criteria: subject.kind === 'service' ? [...ONLINE_CRITERIA] : [...OFFLINE_CRITERIA],
        hallName: time.hallName,
      };
    },

    async rate(user: AuthUser | null, input: z.output<typeof RatingInput>, hallId: () => Promise<string>) {
      const token = input.token ? await checkToken(input.token, ['sms', 'qr']) : input.padToken ? await checkToken(input.padToken, ['pad']) : null;
      const subject = await subjectOf(input, hallId, input.padToken ? null : token);
      if (input.padToken && token!.ticketId !== subject.ticketId) throw new DomainError(400, 'INVALID_TOKEN', '评价器显示的号票已更换，请重新评价');
      const time = await times(subject.hallId);
      await assertCaseLink(time, subject, token);
      assertNotOwn(user, subject);
      const problem = rateableProblem(subject, time.settings.rating, clock.now());
      if (problem) throw notRateable(problem);
      await assertNotRated(subject);
      checkCriteria(input.criteria, subject.kind === 'service');
      checkTags(input.grade, input.tags);
      const channel: RatingChannel = input.padToken ? 'pad' : token ? token.kind === 'sms' ? 'sms' : 'qr' : subject.kind === 'service' ? 'online' : 'qr';
      const created = await db.transaction((tx) =>
        insertRating(
          tx,
          time,
          subject,
          { ...input, channel, ratedAt: clock.now(), timely: true, tokenNonce: token && token.kind !== 'pad' ? token.nonce : undefined },
          user ? actorOf(user) : PUBLIC_ACTOR,
        ),
      );
      return { id: created.row.id, grade: created.row.grade, editKey: created.editKey, editableUntil: iso(created.editableUntil, time.zone)! };
    },

    /** The rater changes the rating within the hall's edit time, with the key given at rating. */
    async edit(id: string, input: z.output<typeof RatingEdit>) {
      const [current] = await db.select().from(ratings).where(eq(ratings.id, id));
      if (!current) throw notFound('评价');
      const time = await times(current.hallId);
      const now = clock.now();
      if (!current.editKeyHash || current.editKeyHash !== hashKey(input.editKey)) throw new DomainError(403, 'FORBIDDEN', '修改凭证不正确，只有评价人本人可以修改');
      if (!current.editableUntil || now > current.editableUntil) throw new DomainError(409, 'EDIT_CLOSED', '评价提交已超过可修改时间，不能再修改');
      const grade = input.grade ?? current.grade;
      const tags = input.tags ?? (input.grade ? [] : (current.tags as ReasonTag[]));
      checkTags(grade, tags);
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(ratings)
          .set({ grade, score: GRADE_SCORES[grade], tags, comment: input.comment ?? current.comment, updatedAt: now })
          .where(eq(ratings.id, id))
          .returning();
        if (grade !== current.grade) await followRatingEdit(tx, time, row!, isBadGrade(grade), now);
        await recordAudit(tx, PUBLIC_ACTOR, { hallId: current.hallId, action: 'rating.edited', entityType: 'rating', entityId: id, before: { grade: current.grade }, after: { grade } });
      });
      return { id, grade };
    },

    /** A paper rating form entered by the office; late entry counts against data timeliness. */
    async enterForm(user: AuthUser, input: z.output<typeof RatingFormInput>) {
      const subject = await subjectOf(input, async () => user.hallId, null);
      if (subject.hallId !== user.hallId) throw notFound(subject.kind === 'ticket' ? '号票' : '办件');
      assertNotOwn(user, subject);
      const time = await times(user.hallId);
      const now = clock.now();
      const ratedAt = new Date(fromLocal(input.ratedOn, 12 * 60, time.zone));
      const today = localDate(now.getTime(), time.zone);
      if (input.ratedOn > today) throw validationFailed('评价日期不能晚于今天', { ratedOn: input.ratedOn });
      if (subject.servedAt && input.ratedOn < localDate(subject.servedAt.getTime(), time.zone)) throw validationFailed('评价日期不能早于办结日期', { ratedOn: input.ratedOn });
      if (!subject.finished) throw notRateable('该服务尚未办结，不能评价');
      await assertNotRated(subject);
      checkTags(input.grade, input.tags);
      const timely = workingDaysBetween(time.calendar, ratedAt.getTime(), now.getTime(), time.zone) <= time.settings.rating.formEntryDays;
      const created = await db.transaction((tx) => insertRating(tx, time, subject, { ...input, criteria: {}, channel: 'form', ratedAt, timely }, actorOf(user)));
      return { id: created.row.id, grade: created.row.grade, timely };
    },

    /** Sends the rating link by SMS (a case's applicant, or a ticket holder who left a phone). */
    async invite(user: AuthUser, input: z.output<typeof InvitationInput>, origin: string | null) {
      const subject = input.caseNumber ? await caseSubject(db, eq(cases.caseNumber, input.caseNumber), { caseNumber: input.caseNumber }) : await ticketSubject(db, input.ticketId!);
      if (subject.hallId !== user.hallId) throw notFound(subject.kind === 'ticket' ? '号票' : '办件');
      const time = await times(user.hallId);
      const problem = rateableProblem(subject, time.settings.rating, clock.now());
      if (problem) throw notRateable(problem);
      await assertNotRated(subject);
      const phone = input.phone ?? (await contactPhone(db, subject));
      if (!phone) throw validationFailed('没有可发送短信的手机号码，请填写', { phone: null });
      const url = await db.transaction((tx) => inviteToRate(tx, time, subject, phone, clock.now(), actorOf(user), origin));
      return { sent: true, phone: maskPhone(phone), url: url.replace(/token=.*/, 'token=…') };
    },

    /** The QR code of a rating link: public for a ticket (its id is on the ticket), staff-only for a case. */
    async qr(user: AuthUser | null, query: { ticket?: string; case?: string }, origin: string | null) {
      if (!query.ticket && !query.case) throw validationFailed('请指明号票或受理编号');
      if (query.case && !user) throw new DomainError(401, 'UNAUTHENTICATED', '办件的评价二维码须由工作人员生成');
      const subject = query.ticket ? await ticketSubject(db, query.ticket) : await caseSubject(db, eq(cases.caseNumber, query.case!), { caseNumber: query.case });
      if (user && subject.hallId !== user.hallId) throw notFound(subject.kind === 'ticket' ? '号票' : '办件');
      const time = await times(subject.hallId);
      const url = await ratingLink(db, time, subject, 'qr', origin, clock.now());
      if (user) await db.transaction((tx) => recordInvitation(tx, subject, 'qr', clock.now(), actorOf(user)));
      // The kiosk prints the code on the ticket only where the hall chose to (`qrOnTickets`).
      return { url, svg: await qrDataUrl(url), onTicket: subject.kind === 'ticket' && time.settings.rating.qrOnTickets };
    },

    /** The window pad: the ticket this window finished last, while it may still be rated there. */
    async pad(user: AuthUser, windowId: string) {
      const [win] = await db.select().from(windows).where(and(eq(windows.id, windowId), eq(windows.hallId, user.hallId)));
      if (!win) throw notFound('窗口');
      const managerial = user.roles.some((r) => r === 'admin' || r === 'manager');
      const leads = user.roles.includes('leader') && win.departmentId !== null && win.departmentId === user.departmentId;
      if (!managerial && !leads && !user.windowIds.includes(windowId)) throw forbidden('您不是该窗口的工作人员');
      const time = await times(user.hallId);
      const now = clock.now();
      const since = new Date(now.getTime() - time.settings.rating.padMinutes * 60_000);
      const [last] = await db
        .select({ ticketId: ticketEvents.ticketId })
        .from(ticketEvents)
        .where(and(eq(ticketEvents.windowId, windowId), eq(ticketEvents.type, 'finished'), gte(ticketEvents.at, since)))
        .orderBy(desc(ticketEvents.id))
        .limit(1);
      const window = { id: win.id, name: win.name, number: win.number };
      if (!last?.ticketId) return { window, ticket: null, hallName: time.hallName };
      const subject = await ticketSubject(db, last.ticketId);
      if (!subject.finished || subject.windowId !== windowId) return { window, ticket: null, hallName: time.hallName };
      const [rated] = await db.select({ id: ratings.id }).from(ratings).where(eq(ratings.ticketId, subject.ticketId!));
      if (rated) return { window, ticket: null, hallName: time.hallName };
      await db.transaction((tx) => recordInvitation(tx, subject, 'pad', now, actorOf(user)));
      const padToken = signRatingToken(await hallSecret(db, subject.hallId), {
        kind: 'pad',
        hallId: subject.hallId,
        ticketId: subject.ticketId!,
        expires: Math.floor((subject.servedAt!.getTime() + time.settings.rating.padMinutes * 60_000) / 1000),
      });
      return {
        window,
        hallName: time.hallName,
        ticket: { id: subject.ticketId!, number: subject.label, serviceName: subject.serviceName, staffName: subject.staffName, finishedAt: iso(subject.servedAt, time.zone)!, padToken },
      };
    },

    /** Ratings for staff: a month of the hall's, a leader's department's, a staff member's own. */
    async list(user: AuthUser, query: { month?: string; grade?: Grade; windowId?: string; mine?: boolean }) {
      const time = await times(user.hallId);
      const where: SQL[] = [eq(ratings.hallId, user.hallId)];
      const broad = user.roles.some((r) => r === 'admin' || r === 'manager' || r === 'supervisor');
      if (query.mine || !broad) {
        if (user.roles.includes('leader') && !query.mine) where.push(eq(ratings.departmentId, user.departmentId ?? '00000000-0000-0000-0000-000000000000'));
        else where.push(eq(ratings.staffId, user.id));
      }
      if (query.month) {
        const from = new Date(fromLocal(`${query.month}-01`, 0, time.zone));
        const [y, m] = query.month.split('-').map(Number) as [number, number];
        const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
        where.push(gte(ratings.ratedAt, from), lt(ratings.ratedAt, new Date(fromLocal(`${next}-01`, 0, time.zone))));
      }
      if (query.grade) where.push(eq(ratings.grade, query.grade));
      if (query.windowId) where.push(eq(ratings.windowId, query.windowId));
      const rows = await db
        .select({ r: ratings, windowName: windows.name, staffName: users.displayName, serviceName: services.name, departmentName: departments.name, ticketNumber: tickets.number, dispute: ratingDisputes })
        .from(ratings)
        .leftJoin(windows, eq(windows.id, ratings.windowId))
        .leftJoin(users, eq(users.id, ratings.staffId))
        .leftJoin(services, eq(services.id, ratings.serviceId))
        .leftJoin(departments, eq(departments.id, ratings.departmentId))
        .leftJoin(tickets, eq(tickets.id, ratings.ticketId))
        .leftJoin(ratingDisputes, eq(ratingDisputes.ratingId, ratings.id))
        .where(and(...where))
        .orderBy(desc(ratings.ratedAt))
        .limit(500);
      const clear = user.roles.includes('supervisor');
      const pd = await personalData(db);
      return rows.map(({ r, dispute, ...names }) => ({
        id: r.id,
        subject: r.subject,
        label: r.caseNumber ?? names.ticketNumber ?? names.serviceName,
        grade: r.grade,
        gradeLabel: GRADE_LABELS[r.grade],
        score: r.score,
        tags: r.tags.map((t) => REASON_TAG_LABELS[t as ReasonTag] ?? t),
        comment: r.comment,
        criteria: r.criteria,
        channel: r.channel,
        channelLabel: RATING_CHANNEL_LABELS[r.channel],
        windowName: names.windowName,
        staffName: names.staffName,
        serviceName: names.serviceName,
        departmentName: names.departmentName,
        raterPhone: shownPhone(pd.open(r.raterPhoneEnc, r.raterPhone), clear),
        servedAt: iso(r.servedAt, time.zone),
        ratedAt: iso(r.ratedAt, time.zone)!,
        excluded: r.excluded,
        dispute: dispute ? { id: dispute.id, status: dispute.status, reason: dispute.reason, filedByName: dispute.filedByName, decisionNote: dispute.decisionNote } : null,
        mayDispute: isBadGrade(r.grade) && !dispute && (r.staffId === user.id || (user.roles.includes('leader') && r.departmentId === user.departmentId)),
      }));
    },

    /** 申诉复核: the rated staff member or the department's leader contests a bad review within the limit. */
    async dispute(user: AuthUser, ratingId: string, input: z.output<typeof DisputeInput>) {
      const [r] = await db.select().from(ratings).where(and(eq(ratings.id, ratingId), eq(ratings.hallId, user.hallId)));
      if (!r) throw notFound('评价');
      const own = r.staffId === user.id || (user.roles.includes('leader') && r.departmentId !== null && r.departmentId === user.departmentId);
      if (!own) throw forbidden('只有被评价的工作人员或所在部门负责人可以申诉');
      if (!isBadGrade(r.grade)) throw new DomainError(409, 'NOT_DISPUTABLE', '只有差评可以申诉复核');
      const time = await times(user.hallId);
      const now = clock.now();
      const limit = time.settings.followup.disputeDays;
      if (workingDaysBetween(time.calendar, r.ratedAt.getTime(), now.getTime(), time.zone) > limit) {
        throw new DomainError(409, 'DISPUTE_CLOSED', `差评申诉须在评价后 ${limit} 个工作日内提出`);
      }
      const actor = actorOf(user);
      return db.transaction(async (tx) => {
        let id: string;
        try {
          [{ id }] = (await tx
            .insert(ratingDisputes)
            .values({ hallId: r.hallId, ratingId, filedBy: user.id, filedByName: actor.name, reason: input.reason, status: 'pending', filedAt: now })
            .returning({ id: ratingDisputes.id })) as [{ id: string }];
        } catch (err) {
          if (isUniqueViolation(err)) throw new DomainError(409, 'ALREADY_DISPUTED', '该差评已申诉过');
          throw err;
        }
        await recordAudit(tx, actor, { hallId: r.hallId, action: 'rating.disputed', entityType: 'rating', entityId: ratingId, after: { reason: input.reason } });
        return { id, status: 'pending' as const };
      });
    },

    async disputes(user: AuthUser, status: 'pending' | 'decided' | 'all') {
      const time = await times(user.hallId);
      const where: SQL[] = [eq(ratingDisputes.hallId, user.hallId)];
      if (status === 'pending') where.push(eq(ratingDisputes.status, 'pending'));
      if (status === 'decided') where.push(sql`${ratingDisputes.status} <> 'pending'`);
      const rows = await db
        .select({ d: ratingDisputes, r: ratings, windowName: windows.name, staffName: users.displayName })
        .from(ratingDisputes)
        .innerJoin(ratings, eq(ratings.id, ratingDisputes.ratingId))
        .leftJoin(windows, eq(windows.id, ratings.windowId))
        .leftJoin(users, eq(users.id, ratings.staffId))
        .where(and(...where))
        .orderBy(asc(ratingDisputes.filedAt));
      return rows.map(({ d, r, windowName, staffName }) => ({
        id: d.id,
        ratingId: r.id,
        status: d.status,
        reason: d.reason,
        filedByName: d.filedByName,
        filedAt: iso(d.filedAt, time.zone)!,
        decidedByName: d.decidedByName,
        decisionNote: d.decisionNote,
        rating: { grade: r.grade, gradeLabel: GRADE_LABELS[r.grade], comment: r.comment, tags: r.tags.map((t) => REASON_TAG_LABELS[t as ReasonTag] ?? t), windowName, staffName, ratedAt: iso(r.ratedAt, time.zone)! },
      }));
    },

    /** A supervisor decides; upheld, the review no longer counts in any indicator. */
    async decideDispute(user: AuthUser, disputeId: string, input: z.output<typeof DisputeDecision>) {
      const now = clock.now();
      const actor = actorOf(user);
      await db.transaction(async (tx) => {
        const [d] = await tx.select().from(ratingDisputes).where(and(eq(ratingDisputes.id, disputeId), eq(ratingDisputes.hallId, user.hallId))).for('update');
        if (!d) throw notFound('申诉');
        if (d.status !== 'pending') throw new DomainError(409, 'ALREADY_DECIDED', '该申诉已复核');
        await tx.update(ratingDisputes).set({ status: input.decision, decidedBy: user.id, decidedByName: actor.name, decisionNote: input.note, decidedAt: now }).where(eq(ratingDisputes.id, d.id));
        if (input.decision === 'upheld') {
          await tx.update(ratings).set({ excluded: true }).where(eq(ratings.id, d.ratingId));
          await noteDisputeUpheld(tx, d.ratingId, actor, now, input.note);
        }
        await recordAudit(tx, actor, { hallId: d.hallId, action: `rating.dispute_${input.decision}`, entityType: 'rating', entityId: d.ratingId, after: { note: input.note } });
      });
      return { id: disputeId, status: input.decision };
    },
  };

  /** Under `caseTokenRequired`, a case is rated only through its signed link (case numbers can be guessed). */
  async function assertCaseLink(time: HallTime, subject: Subject, token: RatingTokenPayload | null) {
    if (subject.kind === 'case' && time.settings.rating.caseTokenRequired && !token) {
      throw new DomainError(403, 'TOKEN_REQUIRED', '请通过短信或告知书上的评价二维码进行评价');
    }
  }

  return service;
}
export type RatingService = ReturnType<typeof createRatingService>;

/** What a rating link needs to know of its hall. */
type LinkHall = Pick<HallTime, 'hallName' | 'publicUrl'> & { settings: { rating: { windowDays: number } } };

/** The rating link of a ticket or a case, for an SMS or a QR code; a case's link carries a signed token. */
async function ratingLink(db: Db, hall: LinkHall, subject: Pick<Subject, 'kind' | 'hallId' | 'ticketId' | 'caseId'>, kind: 'sms' | 'qr', origin: string | null, now: Date): Promise<string> {
  const base = hall.publicUrl ?? origin ?? '';
  if (subject.kind === 'ticket' && kind === 'qr') return `${base}/portal/rate?ticket=${subject.ticketId}`;
  const expires = Math.floor(now.getTime() / 1000) + hall.settings.rating.windowDays * 86_400;
  const token = signRatingToken(await hallSecret(db, subject.hallId), { kind, hallId: subject.hallId, ticketId: subject.ticketId ?? undefined, caseId: subject.caseId ?? undefined, expires });
  return `${base}/portal/rate?token=${token}`;
}

/** Records that a service was offered a rating channel (coverage of evaluation), once per channel. */
async function recordInvitation(tx: Db, subject: Pick<Subject, 'hallId' | 'ticketId' | 'caseId'>, channel: 'pad' | 'sms' | 'qr', at: Date, actor: Actor) {
  const inserted = await tx
    .insert(ratingInvitations)
    .values({ hallId: subject.hallId, ticketId: subject.ticketId, caseId: subject.caseId, channel, at })
    .onConflictDoNothing()
    .returning({ id: ratingInvitations.id });
  if (inserted.length) {
    await recordAudit(tx, actor, { hallId: subject.hallId, action: 'rating.invited', entityType: subject.ticketId ? 'ticket' : 'case', entityId: (subject.ticketId ?? subject.caseId)!, after: { channel } });
  }
}

async function contactPhone(db: Db, subject: Pick<Subject, 'ticketId' | 'caseId'>): Promise<string | null> {
  if (subject.caseId) {
    const [kase] = await db.select().from(cases).where(eq(cases.id, subject.caseId));
    return kase ? openContacts(await personalData(db), kase).phone || null : null;
  }
  const [ticket] = await db.select({ phone: tickets.phone }).from(tickets).where(eq(tickets.id, subject.ticketId!));
  return ticket?.phone ? (await keyring(db)).openOrClear(ticket.phone) : null;
}

/** Texts the signed rating link to the applicant, in the caller's transaction; returns the link. */
async function inviteToRate(tx: Db, hall: LinkHall, subject: Pick<Subject, 'kind' | 'hallId' | 'ticketId' | 'caseId' | 'label' | 'serviceName'>, phone: string, at: Date, actor: Actor, origin: string | null = null): Promise<string> {
  const url = await ratingLink(tx, hall, subject, 'sms', origin, at);
  await textCitizen(
    tx,
    subject.hallId,
    phone,
    {
      template: 'feedback.rating_invitation',
      body: `【${hall.hallName}】您办理的“${subject.serviceName}”（${subject.label}）已办结，欢迎对我们的服务作出评价：${url}`,
      params: { caseId: subject.caseId, ticketId: subject.ticketId },
      dedupeKey: `feedback.rating_invitation:${subject.caseId ?? subject.ticketId}`,
    },
    at,
  );
  await recordInvitation(tx, subject, 'sms', at, actor);
  return url;
}

/**
 * The SMS rating invitation of a completed case, for the case capability to call in the transaction that
 * completes it (a case completes → its applicant gets a single-use signed link). Reads only through `tx`.
 */
export async function inviteCaseRating(tx: Db, kase: { id: string; hallId: string; caseNumber: string; serviceName: string; applicantPhone: string }, at: Date): Promise<void> {
  const hall = await linkHallOf(tx, kase.hallId);
  if (!hall || !isMobilePhone(kase.applicantPhone)) return;
  await inviteToRate(
    tx,
    hall,
    { kind: 'case', hallId: kase.hallId, ticketId: null, caseId: kase.id, label: kase.caseNumber, serviceName: kase.serviceName },
    kase.applicantPhone,
    at,
    SYSTEM_ACTOR,
  );
}

/** A hall as rating links need it, read through `tx`. */
async function linkHallOf(tx: Db, hallId: string): Promise<(LinkHall & { settings: FeedbackSettings }) | null> {
  const [hall] = await tx.select({ name: halls.name, settings: halls.settings }).from(halls).where(eq(halls.id, hallId));
  if (!hall) return null;
  const publicUrl = typeof hall.settings.publicUrl === 'string' && hall.settings.publicUrl ? hall.settings.publicUrl.replace(/\/+$/, '') : (process.env.ONEWINDOW_PUBLIC_URL?.replace(/\/+$/, '') || null);
  return { hallName: hall.name, publicUrl, settings: parseFeedbackSettings(hall.settings.feedback) };
}

/**
 * The rating QR code printed on a case's result notice, when the hall prints one (`qrOnNotices`): a signed
 * link, counted as a rating channel offered. For the case capability, in the transaction that issues it.
 */
export async function caseRatingQr(tx: Db, kase: { id: string; hallId: string }, origin: string, at: Date): Promise<{ url: string; qr: string } | null> {
  const hall = await linkHallOf(tx, kase.hallId);
  if (!hall || !hall.settings.rating.qrOnNotices) return null;
  const subject = { kind: 'case' as const, hallId: kase.hallId, ticketId: null, caseId: kase.id };
  const url = await ratingLink(tx, hall, subject, 'qr', origin, at);
  await recordInvitation(tx, subject, 'qr', at, SYSTEM_ACTOR);
  return { url, qr: await qrDataUrl(url) };
}

/** A link as a QR code, an SVG data: URL that prints sharp at any size. */
async function qrDataUrl(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Window ids a user works at, for the staff pages' pad links. */
export async function windowsOf(db: Db, userId: string) {
  return db.select({ id: windows.id, name: windows.name, number: windows.number }).from(userWindows).innerJoin(windows, eq(windows.id, userWindows.windowId)).where(eq(userWindows.userId, userId)).orderBy(asc(windows.number));
}
