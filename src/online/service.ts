import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound, unauthenticated, validationFailed } from '../server/errors.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/audit.js';
import { actorOf, type AuthUser } from '../auth/service.js';
import { users } from '../auth/tables.js';
import { keyring, type Keyring } from '../shared/data-key.js';
import { createCalendarService } from '../calendar/service.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { formatInstant, localDate } from '../calendar/zone.js';
import { createCatalogService } from '../catalog/service.js';
import { services } from '../catalog/tables.js';
import { createCaseService } from '../cases/service.js';
import type { ActionInput, CaseInput } from '../cases/schemas.js';
import { STATUS_LABELS as CASE_STATUS_LABELS } from '../cases/states.js';
import { caseNotices, cases } from '../cases/tables.js';
import { ratings } from '../feedback/tables.js';
import { scheduleTimer, type TimerHandler } from '../jobs/timers.js';
import { enqueueNotice } from '../notify/outbox.js';
import { departments, halls, windows, windowServices } from '../org/tables.js';
import {
  CREDIT_CODE_MESSAGES,
  ID_NUMBER_MESSAGES,
  creditCodeProblem,
  idNumberProblem,
  maskIdNumber,
  maskPhone,
  normalizeCreditCode,
  normalizeIdNumber,
} from '../shared/identity.js';
import { editableByApplicant, isAwaitingReview, reviewDeadline, reviewLight, selfCheck } from './prereview.js';
import type { ApplicationListItem, ApplicationView, CheckResult, DraftInput, FileView, Inbox, OnlineService, Profile, ProfileInput, ReviewInput } from './schemas.js';
import { applicantCodes, applicants, applicantSessions, onlineApplications, onlineEvents, onlineFiles, type ApplicantRow, type ApplicationRow } from './tables.js';
import { checkUpload } from './uploads.js';

/** Timer kind: the 5-working-day pre-review limit of an application ran out. */
export const PREREVIEW_TIMER = 'online.prereview';

const CODE_MINUTES = 5;
const CODE_ATTEMPTS = 5;
/** Citizens sign in on shared and borrowed phones: a short session, renewed by a new code. */
export const SESSION_HOURS = 2;
const HALL_WIDE = ['admin', 'manager', 'supervisor'] as const;
const FINISHED_CASE = ['completed', 'delivered'];

const sha256 = (value: string | Uint8Array) => createHash('sha256').update(value).digest('hex');
const iso = (d: Date | null, zone?: string) => (d ? formatInstant(d.getTime(), zone) : null);
const hasRole = (user: AuthUser, roles: readonly string[]) => user.roles.some((r) => roles.includes(r));

/** The signed-in applicant of a request (or of a staff member's download, null). */
export interface Applicant {
  id: string;
  hallId: string;
}

export interface RequestInfo {
  origin: string;
}

const refused = () => new DomainError(400, 'INVALID_CODE', '验证码不正确或已过期，请重新获取');
/** Everything the self-check still finds, in one refusal. */
const incomplete = (check: CheckResult) =>
  new DomainError(400, 'INCOMPLETE', `还有 ${check.problems.length} 项未完成：${check.problems.map((p) => p.message).join('；')}`, { problems: check.problems });
/** An agent's sealed numbers. */
const agentNumbers = (keys: Keyring, sealed: string | null) => (sealed ? (JSON.parse(keys.open(sealed)) as { idNumber: string; phone: string }) : null);

export function createOnlineService(ctx: AppContext) {
  const { db, clock } = ctx;

  // Inside a transaction every read goes through it (PGlite has one connection): the calendar and the
  // catalogue are asked through the handle in use.
  async function hallTime(tx: Db, hallId: string) {
    const [hall] = await tx.select().from(halls).where(eq(halls.id, hallId));
    if (!hall) throw notFound('服务中心');
    return { hall, calendar: await createCalendarService({ ...ctx, db: tx }).calendarFor(hallId), zone: hall.timeZone };
  }

  /**
   * A case service whose clock reads `at` and that works inside `tx`: an online application is received,
   * and accepted, as of when the hall received it (行政许可法 第32条), whenever the window gets to it,
   * and its case moves commit or roll back with the application's.
   */
  const casesAsOf = (tx: Db, at: Date) => createCaseService({ ...ctx, db: tx, clock: { now: () => at } });

  /**
   * The hall's online desk: the account cases record as the receiver of applications submitted online and
   * as the actor of acceptance by law. It cannot sign in (inactive, no password) and is given no window in
   * the database: it acts at the application's window, in memory only.
   */
  async function onlineDesk(tx: Db, app: ApplicationRow): Promise<AuthUser> {
    const [hall] = await tx.select({ code: halls.code }).from(halls).where(eq(halls.id, app.hallId));
    const username = `online-desk-${hall!.code.toLowerCase()}`;
    await tx.insert(users).values({ hallId: app.hallId, username, displayName: '网上申报', passwordHash: '!', roles: ['staff'], active: false }).onConflictDoNothing();
    const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
    return { id: row!.id, username, displayName: '网上申报', roles: ['staff'], hallId: app.hallId, departmentId: app.departmentId, windowIds: app.windowId ? [app.windowId] : [] };
  }

  // ---- applicants: one-time codes, sessions, real-name details

  async function phoneHash(phone: string) {
    return (await keyring(db)).hash('applicant-phone', phone);
  }

  async function sendCode(hallId: string, phone: string) {
    const now = clock.now();
    const hash = await phoneHash(phone);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
    const [hall] = await db.select({ name: halls.name }).from(halls).where(eq(halls.id, hallId));
    await db.transaction(async (tx) => {
      const [row] = await tx.insert(applicantCodes).values({ hallId, phoneHash: hash, codeHash: sha256(`${hash}:${code}`), expiresAt, createdAt: now }).returning({ id: applicantCodes.id });
      await enqueueNotice(tx, {
        hallId,
        channel: 'sms',
        recipient: phone,
        template: 'online.code',
        secret: true,
        body: `【${hall?.name ?? '政务服务中心'}】您的网上办事登录验证码为 ${code}，${CODE_MINUTES} 分钟内有效。工作人员不会向您索要验证码，请勿告诉他人。`,
        at: now,
      });
      await recordAudit(tx, { id: null, name: `申请人 ${maskPhone(phone)}`, roles: [] }, { hallId, action: 'online.code_sent', entityType: 'applicant_code', entityId: row!.id });
    });
    return { sent: true as const, expiresAt: formatInstant(expiresAt.getTime()) };
  }

  async function signIn(hallId: string, phone: string, code: string) {
    const now = clock.now();
    const hash = await phoneHash(phone);
    const keys = await keyring(db);
    const result = await db.transaction(async (tx) => {
      const [latest] = await tx
        .select()
        .from(applicantCodes)
        .where(and(eq(applicantCodes.hallId, hallId), eq(applicantCodes.phoneHash, hash), isNull(applicantCodes.usedAt), gt(applicantCodes.expiresAt, now)))
        .orderBy(desc(applicantCodes.createdAt))
        .limit(1)
        .for('update');
      if (!latest || latest.attempts >= CODE_ATTEMPTS) return null;
      const matches = timingSafeEqual(Buffer.from(latest.codeHash), Buffer.from(sha256(`${hash}:${code}`)));
      if (!matches) {
        await tx.update(applicantCodes).set({ attempts: latest.attempts + 1 }).where(eq(applicantCodes.id, latest.id));
        return null;
      }
      await tx.update(applicantCodes).set({ usedAt: now }).where(eq(applicantCodes.id, latest.id));
      await tx.insert(applicants).values({ hallId, phoneHash: hash, phoneEnc: keys.seal(phone), createdAt: now, updatedAt: now }).onConflictDoNothing();
      const [applicant] = await tx.select().from(applicants).where(and(eq(applicants.hallId, hallId), eq(applicants.phoneHash, hash)));
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
      await tx.insert(applicantSessions).values({ hallId, applicantId: applicant!.id, tokenHash: sha256(token), expiresAt, createdAt: now });
      await recordAudit(tx, applicantActor(applicant!), { hallId, action: 'online.sign_in', entityType: 'applicant', entityId: applicant!.id });
      return { token, expiresAt: formatInstant(expiresAt.getTime()), profile: profileOf(keys, applicant!) };
    });
    if (!result) throw refused();
    return result;
  }

  /** Applicants are not staff: the trail names them, the id column stays for staff. */
  const applicantActor = (a: ApplicantRow): Actor => ({ id: null, name: a.name ? `申请人 ${a.name}` : '申请人', roles: [] });

  function profileOf(keys: Keyring, a: ApplicantRow): Profile {
    const number = a.numberEnc ? keys.open(a.numberEnc) : null;
    return {
      phone: maskPhone(keys.open(a.phoneEnc)),
      kind: a.kind,
      name: a.name,
      number: number ? maskIdNumber(number) : null,
      contactName: a.contactName,
      verified: Boolean(a.kind && a.name && number),
    };
  }

  /** The applicant of a token, or null (unknown, expired or signed out). */
  async function authenticate(token: string | null): Promise<Applicant | null> {
    if (!token) return null;
    const [row] = await db
      .select({ id: applicantSessions.applicantId, hallId: applicantSessions.hallId })
      .from(applicantSessions)
      .where(and(eq(applicantSessions.tokenHash, sha256(token)), gt(applicantSessions.expiresAt, clock.now()), isNull(applicantSessions.revokedAt)));
    return row ?? null;
  }

  async function requireApplicant(token: string | null): Promise<ApplicantRow> {
    const who = await authenticate(token);
    if (!who) throw unauthenticated('请先用手机号和验证码登录');
    const [row] = await db.select().from(applicants).where(eq(applicants.id, who.id));
    return row!;
  }

  async function updateProfile(token: string | null, input: ProfileInput): Promise<Profile> {
    const me = await requireApplicant(token);
    const now = clock.now();
    const { hall, zone } = await hallTime(db, me.hallId);
    let number: string;
    if (input.kind === 'person') {
      const problem = idNumberProblem(input.idNumber!, localDate(now.getTime(), zone));
      if (problem) throw new DomainError(400, 'INVALID_ID_NUMBER', ID_NUMBER_MESSAGES[problem], { field: 'idNumber' });
      number = normalizeIdNumber(input.idNumber!);
    } else {
      const problem = creditCodeProblem(input.creditCode!);
      if (problem) throw new DomainError(400, 'INVALID_CREDIT_CODE', CREDIT_CODE_MESSAGES[problem], { field: 'creditCode' });
      number = normalizeCreditCode(input.creditCode!);
    }
    const keys = await keyring(db);
    return db.transaction(async (tx) => {
      const [row] = await tx
        .update(applicants)
        .set({ kind: input.kind, name: input.name, numberEnc: keys.seal(number), contactName: input.kind === 'company' ? (input.contactName ?? null) : null, updatedAt: now })
        .where(eq(applicants.id, me.id))
        .returning();
      await recordAudit(tx, applicantActor(row!), { hallId: hall.id, action: 'online.profile', entityType: 'applicant', entityId: me.id, after: { kind: input.kind, name: input.name } });
      return profileOf(keys, row!);
    });
  }

  async function signOut(token: string | null) {
    if (!token) return;
    await db.update(applicantSessions).set({ revokedAt: clock.now() }).where(eq(applicantSessions.tokenHash, sha256(token)));
  }

  // ---- the catalogue side

  async function onlineServices(hallId: string): Promise<OnlineService[]> {
    const rows = await db
      .select({ code: services.code, name: services.name, department: departments.name, promisedLimitDays: services.promisedLimitDays, bookable: services.bookable })
      .from(services)
      .innerJoin(departments, eq(departments.id, services.departmentId))
      .where(and(eq(services.hallId, hallId), eq(services.onlineApplicable, true), sql`${services.currentGuideVersion} is not null`))
      .orderBy(asc(departments.sortOrder), asc(services.code));
    return rows;
  }

  async function guideMaterials(tx: Db, app: Pick<ApplicationRow, 'hallId' | 'serviceCode' | 'guideVersion'>) {
    if (app.guideVersion === null) return [];
    return (await createCatalogService({ ...ctx, db: tx }).guideFor(app.hallId, app.serviceCode, app.guideVersion)).content.materials;
  }

  // ---- applications

  async function ownApplication(tx: Db, me: ApplicantRow, id: string, lock = false): Promise<ApplicationRow> {
    const query = tx.select().from(onlineApplications).where(and(eq(onlineApplications.id, id), eq(onlineApplications.applicantId, me.id)));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('申请', { id });
    return row;
  }

  /** Staff of the application's window or department, or hall-wide roles of its hall; others get 404. */
  function staffSees(user: AuthUser, app: ApplicationRow): boolean {
    if (app.hallId !== user.hallId) return false;
    if (hasRole(user, HALL_WIDE)) return true;
    return (app.windowId !== null && user.windowIds.includes(app.windowId)) || app.departmentId === user.departmentId;
  }

  async function staffApplication(tx: Db, user: AuthUser, id: string, lock = false): Promise<ApplicationRow> {
    const query = tx.select().from(onlineApplications).where(eq(onlineApplications.id, id));
    const [row] = lock ? await query.for('update') : await query;
    if (!row || !staffSees(user, row)) throw notFound('申请', { id });
    return row;
  }

  async function logEvent(tx: Db, app: ApplicationRow, action: string, actorName: string, note: string | null, at: Date) {
    await tx.insert(onlineEvents).values({ hallId: app.hallId, applicationId: app.id, action, actorName, note, at });
  }

  async function create(token: string | null, serviceCode: string): Promise<ApplicationView> {
    const me = await requireApplicant(token);
    const now = clock.now();
    const [service] = await db.select().from(services).where(and(eq(services.hallId, me.hallId), eq(services.code, serviceCode)));
    if (!service) throw notFound(`事项“${serviceCode}”`, { serviceCode });
    if (!service.onlineApplicable || service.currentGuideVersion === null) {
      throw new DomainError(409, 'NOT_ONLINE', '该事项暂不支持网上申报，请到大厅窗口办理或预约', { serviceCode });
    }
    // The inbox of the first window (by number) that takes the item; none: the department's own inbox.
    const [win] = await db
      .select({ id: windows.id })
      .from(windowServices)
      .innerJoin(windows, eq(windows.id, windowServices.windowId))
      .where(eq(windowServices.serviceId, service.id))
      .orderBy(asc(windows.number))
      .limit(1);
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(onlineApplications)
        .values({
          hallId: me.hallId,
          applicantId: me.id,
          serviceId: service.id,
          serviceCode: service.code,
          serviceName: service.name,
          departmentId: service.departmentId,
          windowId: win?.id ?? null,
          guideVersion: service.currentGuideVersion,
          status: 'draft',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordAudit(tx, applicantActor(me), { hallId: me.hallId, action: 'online.create', entityType: 'online_application', entityId: row!.id, after: { serviceCode } });
      return row!.id;
    });
    return view(db, me, await ownApplication(db, me, id), 'applicant');
  }

  async function saveDraft(token: string | null, id: string, input: DraftInput): Promise<ApplicationView> {
    const me = await requireApplicant(token);
    const now = clock.now();
    if (input.agent) {
      const problem = idNumberProblem(input.agent.idNumber);
      if (problem) throw new DomainError(400, 'INVALID_ID_NUMBER', `代办员${ID_NUMBER_MESSAGES[problem]}`, { field: 'agent.idNumber' });
    }
    const keys = await keyring(db);
    await db.transaction(async (tx) => {
      const app = await ownApplication(tx, me, id, true);
      if (app.status !== 'draft') throw new DomainError(409, 'NOT_EDITABLE', '申请已提交，不能再修改', { status: app.status });
      const materials = await guideMaterials(tx, app);
      const unknown = input.notApplicable.filter((m) => !materials.some((x) => x.id === m && x.condition));
      if (unknown.length) throw validationFailed('只有附条件的材料可以标为不适用', { notApplicable: unknown });
      const agent = input.finish === 'agent' ? input.agent : null;
      await tx
        .update(onlineApplications)
        .set({
          note: input.note,
          notApplicable: input.notApplicable,
          finish: input.finish,
          agent: agent ? { name: agent.name, authorization: agent.authorization } : null,
          agentEnc: agent ? keys.seal(JSON.stringify({ idNumber: normalizeIdNumber(agent.idNumber), phone: agent.phone })) : null,
          deliveryMethod: input.deliveryMethod,
          deliveryAddress: input.deliveryMethod === 'post' ? input.deliveryAddress : null,
          updatedAt: now,
        })
        .where(eq(onlineApplications.id, id));
      await recordAudit(tx, applicantActor(me), { hallId: me.hallId, action: 'online.save', entityType: 'online_application', entityId: id, after: { finish: input.finish, deliveryMethod: input.deliveryMethod, agent: Boolean(agent) } });
    });
    return view(db, me, await ownApplication(db, me, id), 'applicant');
  }

  async function upload(token: string | null, id: string, materialId: string, filename: string, bytes: Buffer): Promise<FileView> {
    const me = await requireApplicant(token);
    const now = clock.now();
    const checked = checkUpload(filename, bytes);
    if (!checked.ok) throw new DomainError(400, 'INVALID_FILE', checked.reason, { filename });
    return db.transaction(async (tx) => {
      const app = await ownApplication(tx, me, id, true);
      if (!editableByApplicant(app.status)) throw new DomainError(409, 'NOT_EDITABLE', '申请正在预审或已办结，不能再上传材料', { status: app.status });
      if (!(await guideMaterials(tx, app)).some((m) => m.id === materialId)) throw validationFailed('该材料不在本事项的材料清单中', { materialId });
      const [file] = await tx
        .insert(onlineFiles)
        .values({ hallId: app.hallId, applicationId: id, materialId, filename: checked.filename, mimeType: checked.mimeType, size: bytes.byteLength, sha256: sha256(bytes), data: bytes, createdAt: now })
        .returning();
      await tx.update(onlineApplications).set({ updatedAt: now }).where(eq(onlineApplications.id, id));
      await recordAudit(tx, applicantActor(me), { hallId: app.hallId, action: 'online.upload', entityType: 'online_application', entityId: id, after: { materialId, filename: checked.filename, size: bytes.byteLength } });
      return fileView(file!);
    });
  }

  async function removeFile(token: string | null, id: string, fileId: string): Promise<void> {
    const me = await requireApplicant(token);
    await db.transaction(async (tx) => {
      const app = await ownApplication(tx, me, id, true);
      const [file] = await tx.select({ id: onlineFiles.id, createdAt: onlineFiles.createdAt, filename: onlineFiles.filename }).from(onlineFiles).where(and(eq(onlineFiles.id, fileId), eq(onlineFiles.applicationId, id)));
      if (!file) throw notFound('文件', { fileId });
      // While answering corrections, what the window already reviewed stays as it was submitted.
      const removable = app.status === 'draft' || (app.status === 'corrections' && app.decidedAt !== null && file.createdAt > app.decidedAt);
      if (!removable) throw new DomainError(409, 'NOT_EDITABLE', '已提交预审的材料不能删除', { status: app.status });
      await tx.delete(onlineFiles).where(eq(onlineFiles.id, fileId));
      await recordAudit(tx, applicantActor(me), { hallId: app.hallId, action: 'online.remove_file', entityType: 'online_application', entityId: id, before: { filename: file.filename } });
    });
  }

  /** A file for the applicant who uploaded it, or staff who may see the application; anyone else 404. */
  async function file(fileId: string, who: { user: AuthUser | null; applicant: Applicant | null }) {
    const [row] = await db
      .select({ file: onlineFiles, app: onlineApplications })
      .from(onlineFiles)
      .innerJoin(onlineApplications, eq(onlineApplications.id, onlineFiles.applicationId))
      .where(eq(onlineFiles.id, fileId));
    const allowed = row && ((who.applicant !== null && row.app.applicantId === who.applicant.id) || (who.user !== null && staffSees(who.user, row.app)));
    if (!allowed) throw notFound('文件', { fileId });
    return row.file;
  }

  function fileView(f: Pick<typeof onlineFiles.$inferSelect, 'id' | 'materialId' | 'filename' | 'mimeType' | 'size' | 'createdAt'>): FileView {
    return { id: f.id, materialId: f.materialId, filename: f.filename, mimeType: f.mimeType, size: f.size, uploadedAt: formatInstant(f.createdAt.getTime()) };
  }

  async function checkOf(tx: Db, me: ApplicantRow, app: ApplicationRow) {
    const materials = await guideMaterials(tx, app);
    const files = await tx
      .select({ id: onlineFiles.id, materialId: onlineFiles.materialId, filename: onlineFiles.filename, mimeType: onlineFiles.mimeType, size: onlineFiles.size, createdAt: onlineFiles.createdAt })
      .from(onlineFiles)
      .where(eq(onlineFiles.applicationId, app.id))
      .orderBy(asc(onlineFiles.createdAt));
    const since = app.status === 'corrections' ? app.decidedAt : null;
    const check = selfCheck({
      profileComplete: Boolean(me.kind && me.name && me.numberEnc),
      materials,
      notApplicable: app.notApplicable,
      uploaded: new Set(files.map((f) => f.materialId)),
      toReupload: app.status === 'corrections' ? app.corrections.flatMap((c) => (c.materialId ? [c.materialId] : [])) : [],
      reuploaded: new Set(files.filter((f) => since && f.createdAt > since).map((f) => f.materialId)),
      draft: { finish: app.finish, agent: app.agent ? { ...app.agent, idNumber: '', phone: '' } : null, deliveryMethod: app.deliveryMethod, deliveryAddress: app.deliveryAddress },
    });
    return { materials, files, check };
  }

  // ---- submission and answers

  async function submit(token: string | null, id: string, info: RequestInfo): Promise<ApplicationView> {
    const me = await requireApplicant(token);
    const now = clock.now();
    const keys = await keyring(db);
    await db.transaction(async (tx) => {
      const app = await ownApplication(tx, me, id, true);
      if (app.status !== 'draft') throw new DomainError(409, 'NOT_EDITABLE', '申请已提交', { status: app.status });
      const { files, check } = await checkOf(tx, me, app);
      if (!check.ready) throw incomplete(check);
      const number = keys.open(me.numberEnc!);
      const phone = keys.open(me.phoneEnc);
      const agent = agentNumbers(keys, app.agentEnc);
      // 收件登记: the case is registered on receipt, with its case number, and waits for the pre-review.
      const input: CaseInput = {
        serviceCode: app.serviceCode,
        applicant: {
          type: me.kind!,
          name: me.name,
          idNumber: me.kind === 'person' ? number : undefined,
          creditCode: me.kind === 'company' ? number : undefined,
          phone,
          contactName: me.contactName ?? undefined,
        },
        agent: app.agent && agent ? { ...app.agent, ...agent } : null,
        materials: [...new Set(files.map((f) => f.materialId))],
        notApplicable: app.notApplicable,
        windowId: app.windowId ?? undefined,
        delivery: { method: app.deliveryMethod, address: app.deliveryAddress ?? undefined },
        decision: { action: 'receive' },
      };
      const received = await casesAsOf(tx, now).receive(await onlineDesk(tx, app), input, { origin: info.origin });
      const { hall, calendar, zone } = await hallTime(tx, app.hallId);
      const due = reviewDeadline(calendar, hall.hours, now.getTime(), zone);
      await tx
        .update(onlineApplications)
        .set({ status: 'submitted', caseId: received.view.id, caseNumber: received.view.caseNumber, receivedAt: now, reviewDueAt: new Date(due.at), updatedAt: now })
        .where(eq(onlineApplications.id, id));
      await scheduleTimer(tx, { hallId: app.hallId, kind: PREREVIEW_TIMER, key: app.id, dueAt: new Date(due.at), payload: { applicationId: app.id } });
      await logEvent(tx, app, 'submitted', '申请人', `办件编号 ${received.view.caseNumber}`, now);
      await recordAudit(tx, applicantActor(me), { hallId: app.hallId, action: 'online.submit', entityType: 'online_application', entityId: id, after: { caseNumber: received.view.caseNumber, reviewDue: formatInstant(due.at) } });
    });
    return view(db, me, await ownApplication(db, me, id), 'applicant');
  }

  async function answer(token: string | null, id: string, note: string): Promise<ApplicationView> {
    const me = await requireApplicant(token);
    const now = clock.now();
    await db.transaction(async (tx) => {
      const app = await ownApplication(tx, me, id, true);
      if (app.status !== 'corrections') throw new DomainError(409, 'NOT_EDITABLE', '该申请现在不需要补正', { status: app.status });
      const { check } = await checkOf(tx, me, app);
      if (!check.ready) throw incomplete(check);
      // The corrected application is received now; the window has 5 working days again to decide.
      const { hall, calendar, zone } = await hallTime(tx, app.hallId);
      const due = reviewDeadline(calendar, hall.hours, now.getTime(), zone);
      await tx
        .update(onlineApplications)
        .set({ status: 'resubmitted', answerNote: note || null, receivedAt: now, reviewDueAt: new Date(due.at), updatedAt: now })
        .where(eq(onlineApplications.id, id));
      await scheduleTimer(tx, { hallId: app.hallId, kind: PREREVIEW_TIMER, key: app.id, dueAt: new Date(due.at), payload: { applicationId: app.id } });
      await logEvent(tx, app, 'answered', '申请人', note || null, now);
      await recordAudit(tx, applicantActor(me), { hallId: app.hallId, action: 'online.answer', entityType: 'online_application', entityId: id, after: { reviewDue: formatInstant(due.at) } });
    });
    return view(db, me, await ownApplication(db, me, id), 'applicant');
  }

  // ---- pre-review

  /** Accepts as of receipt: the case's clock starts when the hall received the complete application. */
  async function accept(tx: Db, app: ApplicationRow, user: AuthUser, by: 'staff' | 'law', info: RequestInfo, now: Date) {
    const action: ActionInput =
      app.status === 'submitted'
        ? { action: 'accept', completeNow: false, reason: by === 'law' ? '逾期未预审，依法视为受理' : undefined }
        : { action: 'supplement', materials: [], reason: by === 'law' ? '补正后逾期未预审，依法视为受理' : undefined };
    await casesAsOf(tx, app.receivedAt!).act(user, app.caseNumber!, action, { origin: info.origin });
    await tx.update(onlineApplications).set({ status: 'accepted', acceptedBy: by, decidedAt: now, updatedAt: now }).where(eq(onlineApplications.id, app.id));
  }

  async function review(user: AuthUser, id: string, input: ReviewInput, info: RequestInfo): Promise<ApplicationView> {
    const now = clock.now();
    const actor = actorOf(user);
    await db.transaction(async (tx) => {
      const app = await staffApplication(tx, user, id, true);
      if (!isAwaitingReview(app.status)) throw new DomainError(409, 'INVALID_TRANSITION', '该申请不在待预审状态', { status: app.status });
      const kase = createCaseService({ ...ctx, db: tx });
      switch (input.decision) {
        case 'accept':
          await accept(tx, app, user, 'staff', info, now);
          await logEvent(tx, app, 'accepted', actor.name, input.note ?? null, now);
          break;
        case 'correct': {
          // 一次性告知: a second round would tell the applicant piecemeal, which the law forbids.
          if (app.status === 'resubmitted') throw new DomainError(409, 'CORRECTIONS_ONCE', '补正须一次性告知，本申请已告知过一次，请受理或退回', { status: app.status });
          const materials = await guideMaterials(tx, app);
          const unknown = input.corrections.filter((c) => c.materialId && !materials.some((m) => m.id === c.materialId));
          if (unknown.length) throw validationFailed('补正的材料不在本事项的材料清单中', { materials: unknown.map((c) => c.materialId) });
          const texts = input.corrections.map((c) => {
            const m = materials.find((x) => x.id === c.materialId);
            return m ? `${m.name}：${c.text}` : c.text;
          });
          await kase.act(user, app.caseNumber!, { action: 'correct', corrections: texts }, { origin: info.origin });
          await tx.update(onlineApplications).set({ status: 'corrections', corrections: input.corrections, decidedAt: now, updatedAt: now }).where(eq(onlineApplications.id, id));
          await logEvent(tx, app, 'corrections', actor.name, texts.join('；'), now);
          break;
        }
        case 'reject': {
          const action: ActionInput = input.competentAuthority
            ? { action: 'reject', reason: input.reason, competentAuthority: input.competentAuthority }
            : { action: 'return', reason: input.reason };
          await kase.act(user, app.caseNumber!, action, { origin: info.origin });
          await tx.update(onlineApplications).set({ status: 'rejected', decisionReason: input.reason, decidedAt: now, updatedAt: now }).where(eq(onlineApplications.id, id));
          await logEvent(tx, app, 'rejected', actor.name, input.reason, now);
          break;
        }
      }
      await recordAudit(tx, actor, { hallId: app.hallId, action: `online.review.${input.decision}`, entityType: 'online_application', entityId: id, before: { status: app.status }, after: input });
    });
    return view(db, null, await staffApplication(db, user, id), 'staff');
  }

  /** Timer 'online.prereview': 5 working days passed without a decision, so the law accepts it. */
  async function onPrereviewTimer(tx: Db, timer: { payload: Record<string, unknown> }) {
    const id = typeof timer.payload.applicationId === 'string' ? timer.payload.applicationId : null;
    if (!id) return;
    const now = clock.now();
    const [app] = await tx.select().from(onlineApplications).where(eq(onlineApplications.id, id)).for('update');
    // Decided in time, or answered since (the answer moved the timer): nothing to do.
    if (!app || !isAwaitingReview(app.status) || !app.reviewDueAt || app.reviewDueAt > now) return;
    await accept(tx, app, await onlineDesk(tx, app), 'law', { origin: '' }, now);
    await logEvent(tx, app, 'accepted_by_law', '系统', '窗口未在 5 个工作日内告知补正，依《行政许可法》第三十二条自收到申请之日起视为受理', now);
    await recordAudit(tx, SYSTEM_ACTOR, { hallId: app.hallId, action: 'online.accepted_by_law', entityType: 'online_application', entityId: app.id, after: { caseNumber: app.caseNumber } });
  }

  // ---- views

  async function view(tx: Db, me: ApplicantRow | null, app: ApplicationRow, audience: 'applicant' | 'staff'): Promise<ApplicationView> {
    const keys = await keyring(db);
    const [owner] = me ? [me] : await tx.select().from(applicants).where(eq(applicants.id, app.applicantId));
    const { materials, files, check } = await checkOf(tx, owner!, app);
    const [service] = await tx.select({ bookable: services.bookable }).from(services).where(eq(services.id, app.serviceId));
    const [dept] = await tx.select({ name: departments.name }).from(departments).where(eq(departments.id, app.departmentId));
    const [kase] = app.caseId ? await tx.select().from(cases).where(eq(cases.id, app.caseId)) : [];
    const [rated] = kase ? await tx.select({ id: ratings.id }).from(ratings).where(eq(ratings.caseId, kase.id)).limit(1) : [];
    const notices = kase
      ? await tx.select({ seq: caseNotices.seq, title: caseNotices.title, issuedAt: caseNotices.issuedAt }).from(caseNotices).where(eq(caseNotices.caseId, kase.id)).orderBy(asc(caseNotices.seq))
      : [];
    const events = await tx.select().from(onlineEvents).where(eq(onlineEvents.applicationId, app.id)).orderBy(asc(onlineEvents.id));
    const { hall, calendar, zone } = await hallTime(tx, app.hallId);
    const number = owner!.numberEnc ? keys.open(owner!.numberEnc) : null;
    const phone = keys.open(owner!.phoneEnc);
    const clear = audience === 'staff';
    const agent = agentNumbers(keys, app.agentEnc);
    return {
      id: app.id,
      status: app.status,
      service: { code: app.serviceCode, name: app.serviceName, guideVersion: app.guideVersion, bookable: service?.bookable ?? false },
      department: dept?.name ?? '',
      applicant: { kind: owner!.kind, name: owner!.name, number: number ? (clear ? number : maskIdNumber(number)) : null, phone: clear ? phone : maskPhone(phone) },
      note: app.note,
      finish: app.finish,
      agent:
        app.agent && agent
          ? { ...app.agent, idNumber: clear ? agent.idNumber : maskIdNumber(agent.idNumber), phone: clear ? agent.phone : maskPhone(agent.phone) }
          : null,
      deliveryMethod: app.deliveryMethod,
      deliveryAddress: app.deliveryAddress,
      materials: materials.map((m) => ({
        id: m.id,
        name: m.name,
        required: m.required,
        condition: m.condition,
        notes: m.notes,
        notApplicable: app.notApplicable.includes(m.id),
        files: files.filter((f) => f.materialId === m.id).map(fileView),
      })),
      check,
      receivedAt: iso(app.receivedAt, zone),
      reviewDue: iso(app.reviewDueAt, zone),
      reviewLight: lightOfApp(app, calendar, hall.hours, zone, clock.now()),
      corrections: app.corrections,
      answerNote: app.answerNote,
      decisionReason: app.decisionReason,
      acceptedBy: app.acceptedBy,
      case: kase
        ? {
            caseNumber: kase.caseNumber,
            status: kase.status,
            statusLabel: CASE_STATUS_LABELS[kase.status],
            acceptedAt: iso(kase.acceptedAt, zone),
            deadline: iso(kase.deadlineAt, zone),
            finishedAt: iso(kase.finishedAt, zone),
            result: kase.result,
            delivery: { method: kase.deliveryMethod, trackingNumber: kase.trackingNumber, pickupAt: iso(kase.pickupAt, zone), deliveredAt: iso(kase.deliveredAt, zone) },
            rateable: FINISHED_CASE.includes(kase.status) && !rated,
          }
        : null,
      notices: notices.map((n) => ({ seq: n.seq, title: n.title, issuedAt: iso(n.issuedAt, zone)! })),
      events: events.map((e) => ({ action: e.action, actor: e.actorName, note: e.note, at: iso(e.at, zone)! })),
      createdAt: iso(app.createdAt, zone)!,
      updatedAt: iso(app.updatedAt, zone)!,
    };
  }

  /** Waiting: the light on the 5-day limit. Accepted by law: red, the window let the limit pass. */
  function lightOfApp(app: Pick<ApplicationRow, 'status' | 'reviewDueAt' | 'acceptedBy'>, calendar: WorkingCalendar, hours: typeof halls.$inferSelect.hours, zone: string, now: Date) {
    if (app.acceptedBy === 'law') return 'red' as const;
    if (!isAwaitingReview(app.status) || !app.reviewDueAt) return null;
    return reviewLight(calendar, hours, app.reviewDueAt.getTime(), now.getTime(), zone);
  }

  const listColumns = {
    app: onlineApplications,
    applicantName: applicants.name,
    department: departments.name,
    deadlineAt: cases.deadlineAt,
  };

  async function listItems(where: SQL, hallId: string, order: SQL[], limit: number): Promise<ApplicationListItem[]> {
    const rows = await db
      .select(listColumns)
      .from(onlineApplications)
      .innerJoin(applicants, eq(applicants.id, onlineApplications.applicantId))
      .innerJoin(departments, eq(departments.id, onlineApplications.departmentId))
      .leftJoin(cases, eq(cases.id, onlineApplications.caseId))
      .where(where)
      .orderBy(...order)
      .limit(limit);
    const { hall, calendar, zone } = await hallTime(db, hallId);
    const now = clock.now();
    return rows.map((r) => ({
      id: r.app.id,
      status: r.app.status,
      serviceName: r.app.serviceName,
      caseNumber: r.app.caseNumber,
      applicantName: r.applicantName,
      department: r.department,
      receivedAt: iso(r.app.receivedAt, zone),
      reviewDue: iso(r.app.reviewDueAt, zone),
      reviewLight: lightOfApp(r.app, calendar, hall.hours, zone, now),
      acceptedBy: r.app.acceptedBy,
      deadline: iso(r.deadlineAt, zone),
      updatedAt: iso(r.app.updatedAt, zone)!,
    }));
  }

  async function mine(token: string | null): Promise<ApplicationListItem[]> {
    const me = await requireApplicant(token);
    return listItems(eq(onlineApplications.applicantId, me.id), me.hallId, [desc(onlineApplications.updatedAt)], 200);
  }

  async function inbox(user: AuthUser, query: { window?: string; department?: string; status: 'waiting' | 'corrections' | 'decided' }): Promise<Inbox> {
    const where: SQL[] = [eq(onlineApplications.hallId, user.hallId)];
    if (!hasRole(user, HALL_WIDE)) {
      const mineOnly: SQL[] = [];
      if (user.windowIds.length) mineOnly.push(inArray(onlineApplications.windowId, user.windowIds));
      if (user.departmentId) mineOnly.push(eq(onlineApplications.departmentId, user.departmentId));
      where.push(mineOnly.length ? or(...mineOnly)! : sql`false`);
    }
    if (query.window) where.push(eq(onlineApplications.windowId, query.window));
    if (query.department) where.push(eq(onlineApplications.departmentId, query.department));
    if (query.status === 'waiting') {
      // Awaiting a decision, and those the law accepted while the case is still open: the window owes both.
      where.push(or(inArray(onlineApplications.status, ['submitted', 'resubmitted']), and(eq(onlineApplications.acceptedBy, 'law'), isNull(cases.finishedAt)))!);
    } else if (query.status === 'corrections') {
      where.push(eq(onlineApplications.status, 'corrections'));
    } else {
      where.push(inArray(onlineApplications.status, ['accepted', 'rejected']));
    }
    const order = query.status === 'decided' ? [desc(onlineApplications.decidedAt)] : [sql`${onlineApplications.reviewDueAt} asc nulls last`];
    const items = await listItems(and(...where)!, user.hallId, order, 200);
    const counts = { green: 0, reminder: 0, yellow: 0, red: 0 };
    for (const item of items) if (item.reviewLight) counts[item.reviewLight]++;
    return { asOf: formatInstant(clock.now().getTime()), counts, items };
  }

  async function notice(token: string | null, id: string, seq: number): Promise<string> {
    const me = await requireApplicant(token);
    const app = await ownApplication(db, me, id);
    const [row] = app.caseId ? await db.select({ html: caseNotices.html }).from(caseNotices).where(and(eq(caseNotices.caseId, app.caseId), eq(caseNotices.seq, seq))) : [];
    if (!row) throw notFound('通知书', { seq });
    return row.html;
  }

  return {
    authenticate,
    sendCode,
    signIn,
    signOut,
    profile: async (token: string | null) => profileOf(await keyring(db), await requireApplicant(token)),
    updateProfile,
    onlineServices,
    create,
    saveDraft,
    upload,
    removeFile,
    file,
    submit,
    answer,
    review,
    onPrereviewTimer,
    mine,
    inbox,
    notice,
    get: async (token: string | null, id: string) => {
      const me = await requireApplicant(token);
      return view(db, me, await ownApplication(db, me, id), 'applicant');
    },
    staffGet: async (user: AuthUser, id: string) => view(db, null, await staffApplication(db, user, id), 'staff'),
  };
}
export type OnlineApplications = ReturnType<typeof createOnlineService>;

/** The handler line for src/server/timer-handlers.ts. */
export function onlineTimerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  const online = createOnlineService(ctx);
  return { [PREREVIEW_TIMER]: (tx, timer) => online.onPrereviewTimer(tx, timer) };
}
