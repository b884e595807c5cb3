import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { users, userWindows } from '../auth/tables.js';
import { lastCode, PDF, uploadFile, type Applicant } from '../online/test-helpers.js';
import { idNumberOf } from '../testing/people.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { departments, halls } from './tables.js';

// Staff of one township must not read or change another township's records. The county centre TEST has
// townships TA and TB, each with a department, window, item, staff and records of every kind; A's staff,
// leader, manager and supervisor then walk every staff route with B's ids and read every list, and no
// answer may carry B's case numbers, ticket numbers, names or ids. A new route is either walked by the
// rules below or exempted in EXEMPT with its reason, or this test fails.

const WALKERS = ['staff', 'leader', 'manager', 'supervisor'] as const;
type Walker = (typeof WALKERS)[number];
const NOW = '2025-10-09T09:30:00+08:00';
const MONTH = '2025-10';

interface Township {
  code: string;
  hallId: string;
  departmentId: string;
  windowId: string;
  serviceCode: string;
  serviceId: string;
  caseNumber: string;
  doneCaseNumber: string;
  people: Record<Walker, { id: string; token: string }>;
}

let t: TestApp;
let A: Township;
let B: Township;
/** What must never reach A: B's ids of every table with a hall_id, case and ticket numbers, names. */
let bMarkers: string[] = [];
/** B's record of each table: the substitute for an `:id` in a route. */
let bIds: Record<string, string> = {};
/** The tables with a hall_id. */
let hallTables: string[] = [];

const call = (token: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, payload: payload as object, headers: { authorization: `Bearer ${token}`, ...headers } });
const ok = (res: LightMyRequestResponse, what: string) => {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json();
};

/** A township centre under TEST with its department, window, item and four people (names carry the town). */
async function township(code: string, town: string, prefix: string): Promise<Township> {
  ok(await t.api('manager', { method: 'POST', url: '/org/halls', payload: { parentCode: 'TEST', code, name: `${town}镇为民服务中心`, level: 'township' } }), 'hall');
  const [hall] = await t.ctx.db.select({ id: halls.id }).from(halls).where(eq(halls.code, code));
  const hallId = hall!.id;
  const [dept] = await t.ctx.db.insert(departments).values({ hallId, name: `${town}镇社保所`, sortOrder: 1 }).returning({ id: departments.id });
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  const people = {} as Township['people'];
  for (const role of WALKERS) {
    const username = `${code.toLowerCase()}${role}`;
    const [u] = await t.ctx.db
      .insert(users)
      .values({ hallId, username, displayName: `${town}${role === 'staff' ? '窗口员' : role === 'leader' ? '所长' : role === 'manager' ? '主任' : '督查员'}`, passwordHash: model!.hash, roles: [role], departmentId: role === 'staff' || role === 'leader' ? dept!.id : null })
      .returning({ id: users.id });
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    people[role] = { id: u!.id, token: ok(login, 'login').token };
  }
  const serviceCode = `${code}-001`;
  const service = ok(
    await call(people.manager.token, 'POST', '/services', {
      code: serviceCode, name: `${town}镇社保卡补办`, departmentId: dept!.id, legalLimitDays: 20, promisedLimitDays: 3, kind: 'promised', queuePrefix: prefix,
      bookable: true, appointment: { slotMinutes: 30, capacity: 3, daysAhead: 7 }, onlineApplicable: true, materials: [{ id: 'form', name: '申请表', required: true }],
    }),
    'service',
  );
  const win = ok(await call(people.manager.token, 'POST', '/windows', { name: `${town}镇综合窗口`, number: 1, departmentId: dept!.id, serviceCodes: [serviceCode] }), 'window');
  await t.ctx.db.insert(userWindows).values({ userId: people.staff.id, windowId: win.id });
  return { code, hallId, departmentId: dept!.id, windowId: win.id, serviceCode, serviceId: service.id, caseNumber: '', doneCaseNumber: '', people };
}

/** B's records of every kind, made through the API as B's own people and B's public pages. */
async function recordsOf(x: Township, town: string, n: number): Promise<void> {
  const { staff, leader, manager, supervisor } = x.people;
  const applicant = { name: `${town}申请人`, idNumber: idNumberOf(n), phone: `1380000${String(n).padStart(4, '0')}` };
  // Queue: one ticket served and finished, one waiting.
  ok(await t.api(null, { method: 'POST', url: `/tickets?hall=${x.code}`, payload: { serviceCode: x.serviceCode, channel: 'kiosk' } }), 'ticket');
  ok(await t.api(null, { method: 'POST', url: `/tickets?hall=${x.code}`, payload: { serviceCode: x.serviceCode, channel: 'kiosk' } }), 'ticket');
  const called = ok(await call(staff.token, 'POST', `/windows/${x.windowId}/call-next`), 'call');
  ok(await call(staff.token, 'POST', `/tickets/${called.id}/complete`), 'complete');
  // A promised case with its acceptance notice, rated dissatisfied (a follow-up) and disputed.
  const kase = ok(await call(staff.token, 'POST', '/cases', { serviceCode: x.serviceCode, applicant, materials: ['form'] }), 'case');
  const rating = ok(await t.api(null, { method: 'POST', url: `/ratings?hall=${x.code}`, payload: { ticketId: called.id, grade: 'dissatisfied', comment: `${town}评价意见`, raterPhone: applicant.phone } }), 'rating');
  ok(await call(staff.token, 'POST', `/ratings/${rating.id}/disputes`, { reason: `${town}申诉理由：当事人未到窗口` }), 'dispute');
  // A booking for tomorrow morning.
  ok(await t.api(null, { method: 'POST', url: `/appointments?hall=${x.code}`, payload: { serviceCode: x.serviceCode, start: '2025-10-10T09:00:00+08:00', name: `${town}预约人`, idNumber: idNumberOf(n + 1), phone: applicant.phone } }), 'booking');
  // The feedback ledgers.
  ok(await call(manager.token, 'POST', '/complaints', { channel: 'on_site', complainantName: `${town}投诉人`, complainantPhone: applicant.phone, content: `${town}窗口态度生硬`, windowId: x.windowId, staffId: staff.id }), 'complaint');
  const petition = ok(await call(supervisor.token, 'POST', '/petitions', { name: `${town}信访人`, sex: 'male', issue: `${town}土地确权`, phone: applicant.phone }), 'petition');
  ok(await call(supervisor.token, 'POST', `/petitions/${petition.id}/receptions`, { leaderId: leader.id, scheduledAt: '2025-10-10T09:00:00+08:00' }), 'reception');
  ok(await call(supervisor.token, 'POST', '/suggestions', { source: 'box', receivedOn: '2025-10-09', content: `${town}增加座椅`, contactName: `${town}建议人`, contactPhone: applicant.phone }), 'suggestion');
  ok(await call(supervisor.token, 'POST', '/suggestion-openings', { source: 'box', openedOn: '2025-10-09', found: 1 }), 'opening');
  ok(await call(manager.token, 'POST', '/appeal-categories', { code: `${x.code}LIGHT`, name: `${town}路灯`, type: 'help', departmentId: x.departmentId }), 'category');
  ok(await call(manager.token, 'POST', '/appeals', { type: 'help', content: `${town}路灯坏了`, appellantName: `${town}诉求人`, appellantPhone: applicant.phone, departmentId: x.departmentId, level: 'grid' }), 'appeal');
  ok(await call(manager.token, 'POST', '/open311/keys', { name: `${town}12345 平台` }), 'open311 key');
  // An agent (代办员) whose account is the window staff member, carrying the case.
  const agent = ok(await call(manager.token, 'POST', '/agents', { name: `${town}代办员`, phone: applicant.phone, userId: staff.id }), 'agent');
  ok(await call(staff.token, 'PUT', `/cases/${kase.caseNumber}/agent`, { agentId: agent.id }), 'case agent');
  // Staff: attendance, going out, leave, register, inspection, AB backup, chief.
  ok(await call(staff.token, 'POST', '/staff/attendance/sign-in', {}), 'sign-in');
  ok(await call(staff.token, 'POST', '/staff/going-outs', { reason: `${town}送审`, expectedReturnAt: '2025-10-09T10:30:00+08:00' }), 'going out');
  ok(await call(staff.token, 'POST', '/staff/leaves', { kind: 'personal', fromDate: '2025-10-13', toDate: '2025-10-13', reason: `${town}家事` }), 'leave');
  ok(await call(manager.token, 'POST', '/staff/register', { kind: 'good_deed', occurredOn: '2025-10-09', title: `${town}拾金不昧`, userIds: [staff.id] }), 'register');
  ok(await call(leader.token, 'POST', '/staff/inspections', { windowIds: [x.windowId], findings: `${town}巡查发现` }), 'inspection');
  ok(await call(manager.token, 'PUT', `/staff/backups/${x.windowId}`, { aUserId: staff.id, bUserId: leader.id }), 'backup');
  ok(await call(manager.token, 'PUT', `/staff/chiefs/${x.departmentId}`, { userId: leader.id }), 'chief');
  const done = ok(await call(staff.token, 'POST', '/cases', { serviceCode: x.serviceCode, applicant: { ...applicant, name: `${town}办结人` }, materials: ['form'] }), 'case');
  ok(await call(staff.token, 'POST', `/cases/${done.caseNumber}/actions`, { action: 'complete' }), 'complete case');
  // The item's attachment, a confirmed award and an online application.
  ok(await call(manager.token, 'POST', `/catalog/services/${x.serviceCode}/attachments?filename=guide.pdf`, PDF, { 'content-type': 'application/pdf' }), 'attachment');
  ok(await call(manager.token, 'POST', `/staff/assessment/${MONTH}/awards`, { kind: 'other', name: `${town}巾帼文明岗` }), 'award');
  // Applicants sign in at a hall's portal (?hall=), and apply there.
  ok(await t.api(null, { method: 'POST', url: `/online/codes?hall=${x.code}`, payload: { phone: applicant.phone } }), 'code');
  const session = ok(await t.api(null, { method: 'POST', url: `/online/sessions?hall=${x.code}`, payload: { phone: applicant.phone, code: await lastCode(t, applicant.phone) } }), 'sign in');
  const online: Applicant = { token: session.token, call: (o) => call(session.token, o.method, o.url, o.payload, o.headers) };
  ok(await online.call({ method: 'PUT', url: '/online/me', payload: { kind: 'person', name: `${town}网上申请人`, idNumber: applicant.idNumber } }), 'profile');
  const draft = ok(await online.call({ method: 'POST', url: '/online/applications', payload: { serviceCode: x.serviceCode } }), 'online draft');
  ok(await online.call({ method: 'PUT', url: `/online/applications/${draft.id}`, payload: { finish: 'online', deliveryMethod: 'post', deliveryAddress: `${town}镇人民路 1 号` } }), 'online details');
  ok(await uploadFile(online, draft.id, 'form', 'form.pdf', PDF), 'online upload');
  ok(await online.call({ method: 'POST', url: `/online/applications/${draft.id}/submit`, payload: {} }), 'online submit');
  x.caseNumber = kase.caseNumber;
  x.doneCaseNumber = done.caseNumber;
}

/** Every table with a hall_id: its rows of B give the ids that must not leak and the ids to walk with. */
async function collectB() {
  const tables = await t.database.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.columns i ON i.table_name = c.table_name AND i.table_schema = c.table_schema AND i.column_name = 'id'
     WHERE c.column_name = 'hall_id' AND c.table_schema = current_schema() ORDER BY 1`,
  );
  hallTables = tables.map((r) => r.table_name);
  for (const { table_name } of tables) {
    const rows = await t.database.query<{ id: string }>(`SELECT id::text AS id FROM ${table_name} WHERE hall_id = $1 ORDER BY id`, [B.hallId]);
    // Serial ids (notice and event sequences) are too short to recognise; uuids are not.
    const uuids = rows.map((r) => r.id).filter((id) => id.length === 36);
    if (uuids[0]) bIds[table_name] = uuids[0];
    bMarkers.push(...uuids);
  }
  const numbers = await t.database.query<{ n: string }>(
    `SELECT case_number AS n FROM cases WHERE hall_id = $1 UNION SELECT number FROM tickets WHERE hall_id = $1`,
    [B.hallId],
  );
  bMarkers.push(...numbers.map((r) => r.n), '乙镇', '乙申请人', '乙预约人', '乙投诉人', '乙信访人', '乙建议人', '乙诉求人', '乙办结人', '乙网上申请人', '乙代办员', B.serviceCode);
  bMarkers = [...new Set(bMarkers)];
}

/** B's rows of each table, counted and fingerprinted: what no walk by A's people may change. */
async function bRows(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of hallTables) {
    const [row] = await t.database.query<{ n: number; sum: string | null }>(`SELECT count(*) AS n, md5(string_agg(r::text, '|' ORDER BY r::text)) AS sum FROM ${table} r WHERE hall_id = $1`, [B.hallId]);
    out[table] = `${row!.n} ${row!.sum ?? ''}`;
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  A = await township('TA', '甲', 'JA');
  B = await township('TB', '乙', 'YB');
  await recordsOf(A, '甲', 1);
  await recordsOf(B, '乙', 11);
  await collectB();
}, 240_000);
afterAll(() => t?.close());

/** B's markers in an answer, apart from those the request itself named (an error may echo them). */
const leaks = (body: string, asked = '') => bMarkers.filter((m) => body.includes(m) && !asked.includes(m));

const KEY = (r: { method: string; url: string }) => `${r.method} ${r.url.slice('/api/v1'.length)}`;

/** The table whose B row stands for `:id` in the routes under each path. */
const ID_OF: Record<string, string> = {
  '/departments': 'departments',
  '/windows': 'windows',
  '/users': 'users',
  '/catalog/attachments': 'guide_attachments',
  '/queue/tickets': 'tickets',
  '/tickets': 'tickets',
  '/ratings': 'ratings',
  '/rating-disputes': 'rating_disputes',
  '/pads': 'windows',
  '/followups': 'followups',
  '/complaints': 'complaints',
  '/petitions': 'petitions',
  '/petition-receptions': 'petition_receptions',
  '/suggestions': 'suggestions',
  '/appeals': 'appeals',
  '/appeal-categories': 'appeal_categories',
  '/open311/keys': 'open311_keys',
  '/staff/going-outs': 'going_outs',
  '/staff/leaves': 'leave_requests',
  '/staff/backups': 'windows',
  '/staff/register': 'staff_register',
  '/staff/chiefs': 'departments',
  '/staff/awards': 'awards',
  '/appointments': 'appointments',
  '/online/inbox': 'online_applications',
  '/agents': 'agents',
};

/** Bodies that pass validation, so a refusal is the hall check and not a 400. */
const BODY: Record<string, () => unknown> = {
  'PATCH /departments/:id': () => ({ name: '改名' }),
  'PATCH /windows/:id': () => ({ name: '改名' }),
  'PATCH /users/:id': () => ({ displayName: '改名' }),
  'POST /users/:id/reset-password': () => ({ password: 'N3w-Passw0rd!' }),
  'POST /org/halls/:code/move': () => ({ parentCode: 'TA' }),
  'POST /org/halls/:code/copy-from-parent': () => ({ parts: ['hours'] }),
  'PUT /org/halls/:code/staff/:userId': () => ({ roles: ['staff'] }),
  'PUT /catalog/services/:code/draft': () => ({ name: '改名', kind: 'promised', legalLimitDays: 20, promisedLimitDays: 3, departmentId: A.departmentId }),
  'PUT /catalog/levels/:code': () => ({ items: [{ serviceId: A.serviceId, mode: 'forward' }] }),
  'PUT /catalog/services/:code/draft/material-order': () => ({ ids: ['form'] }),
  'POST /tickets/:id/transfer': () => ({ serviceCode: A.serviceCode }),
  'PUT /tickets/:id/steps': () => ({ serviceCodes: [A.serviceCode] }),
  'POST /windows/:id/pause': () => ({ reason: '暂停' }),
  'POST /cases/:caseNumber/actions': () => ({ action: 'complete' }),
  'POST /ratings/:id/disputes': () => ({ reason: '申诉' }),
  'POST /rating-disputes/:id/decision': () => ({ decision: 'upheld', note: '成立' }),
  'POST /followups/:id/actions': () => ({ action: 'verify_valid', note: '核实' }),
  'POST /complaints/:id/answer': () => ({ outcome: '已处理', finding: 'unsubstantiated' }),
  'POST /complaints/:id/impossible': () => ({ reason: '不能办', legalBasis: '依据' }),
  'POST /petitions/:id/answer': () => ({ answer: '已答复' }),
  'POST /petitions/:id/receptions': () => ({ leaderId: A.people.leader.id, scheduledAt: '2025-10-10T09:00:00+08:00' }),
  'POST /petition-receptions/:id': () => ({ status: 'held' }),
  'POST /suggestions/:id/answer': () => ({ answer: '感谢', needsFix: false }),
  'POST /suggestions/:id/fix': () => ({ fixNote: '已改' }),
  'POST /appeals/:id/actions': () => ({ action: 'sign' }),
  'PUT /appeal-categories/:id': () => ({ code: 'X1', name: '改名', type: 'help' }),
  'PUT /staff/backups/:id': () => ({ aUserId: A.people.staff.id, bUserId: A.people.leader.id }),
  'PUT /staff/register/:id': () => ({ kind: 'good_deed', occurredOn: '2025-10-09', title: '改' }),
  'PUT /staff/chiefs/:id': () => ({ userId: A.people.leader.id }),
  'POST /appointments/:id/assign': () => ({ staffId: A.people.staff.id }),
  'POST /online/inbox/:id/review': () => ({ decision: 'accept' }),
  'POST /agents/:id/trainings': () => ({ course: '代办业务培训', trainedOn: '2025-10-09' }),
  'PUT /agents/:id/status': () => ({ status: 'active' }),
  'PUT /cases/:caseNumber/agent': () => ({ agentId: null }),
};
/** Upload routes (the body is the file) and the query naming it. */
const URL_QUERY: Record<string, string> = {
  'POST /catalog/services/:code/attachments': '?filename=a.pdf',
  'POST /staff/leaves/:id/document': '?filename=a.pdf',
};

/** Routes without a parameter whose body names records: walked with B's, and with A's to show the body is valid. */
const BODY_REFS: Record<string, { as: Walker; body: (x: Township) => unknown }> = {
  'POST /windows': { as: 'manager', body: (x) => ({ name: '新窗口', number: 9, departmentId: x.departmentId }) },
  'POST /users': { as: 'manager', body: (x) => ({ username: `n${x.code.toLowerCase()}`, displayName: '新人', password: 'N3w-Passw0rd!', roles: ['staff'], departmentId: x.departmentId, windowIds: [x.windowId] }) },
  'POST /services': { as: 'manager', body: (x) => ({ code: `${x.code}-9`, name: '新事项', departmentId: x.departmentId, legalLimitDays: 20, promisedLimitDays: 3, kind: 'promised', queuePrefix: 'N' }) },
  'POST /cases': { as: 'staff', body: (x) => ({ serviceCode: x.serviceCode, applicant: { name: '新申请人', idNumber: idNumberOf(77), phone: '13900000077' }, materials: ['form'] }) },
  'POST /ratings/invitations': { as: 'staff', body: (x) => ({ caseNumber: x.doneCaseNumber }) },
  'POST /ratings/forms': { as: 'supervisor', body: (x) => ({ caseNumber: x.doneCaseNumber, grade: 'satisfied', ratedOn: '2025-10-09' }) },
  'POST /complaints': { as: 'manager', body: (x) => ({ channel: 'on_site', complainantName: '新投诉人', content: '态度', windowId: x.windowId, staffId: x.people.staff.id }) },
  'POST /appeals': { as: 'manager', body: (x) => ({ type: 'help', content: '新诉求', departmentId: x.departmentId, level: 'grid' }) },
  'POST /appeal-categories': { as: 'manager', body: (x) => ({ code: `N${x.code}`, name: '新分类', type: 'help', departmentId: x.departmentId }) },
  'POST /staff/attendance/sign-in': { as: 'leader', body: (x) => ({ windowId: x.windowId }) },
  'POST /staff/going-outs': { as: 'leader', body: (x) => ({ reason: '外出', expectedReturnAt: '2025-10-09T11:00:00+08:00', coveredBy: x.people.staff.id }) },
  'POST /staff/leaves': { as: 'manager', body: (x) => ({ kind: 'annual', fromDate: '2025-10-20', toDate: '2025-10-20', userId: x.people.leader.id }) },
  'POST /staff/inspections': { as: 'leader', body: (x) => ({ windowIds: [x.windowId], findings: '新巡查' }) },
  'POST /staff/register': { as: 'manager', body: (x) => ({ kind: 'good_deed', occurredOn: '2025-10-09', title: '新好事', userIds: [x.people.leader.id] }) },
  'PUT /staff/assessment/:month/points': { as: 'manager', body: (x) => ({ subjectType: 'window', subjectId: x.windowId, itemKey: 'skill', points: 1, note: '加分' }) },
  'POST /catalog/levels/bulk': { as: 'manager', body: (x) => ({ under: x.code, level: 'village', serviceIds: [x.serviceId], mode: 'forward' }) },
  'POST /agents': { as: 'manager', body: (x) => ({ hall: x.code, name: '新代办员', phone: '13900000088' }) },
  'POST /staff/assessment/:month/awards': { as: 'manager', body: (x) => ({ kind: 'red_flag', subjectIds: [x.departmentId] }) },
};

/** Queries a list needs to answer (the first, asked of A's own records), and further forms to read too. */
const QUERY: Record<string, string[] | ((x: Township) => string[])> = {
  'GET /queue/stats': ['?from=2025-10-01&to=2025-10-31'],
  'GET /cases/export': ['?from=2025-10-01&to=2025-10-31', '?from=2025-10-01&to=2025-10-31&format=csv'],
  'GET /cases/board': (x) => [`?scope=department&department=${x.departmentId}`, '?scope=hall'],
  'GET /feedback/appeal-rankings': [`?month=${MONTH}`, `?month=${MONTH}&format=xlsx`],
  'GET /feedback/indicators': [`?month=${MONTH}`, `?month=${MONTH}&by=department`],
  'GET /complaints/cannot-get-done': [`?month=${MONTH}`],
  'GET /suggestion-openings': ['?from=2025-10-01&to=2025-10-31'],
  'GET /staff/going-outs': [`?month=${MONTH}`],
  'GET /staff/attendance/monthly': [`?month=${MONTH}`],
  'GET /staff/gaps': [`?month=${MONTH}`],
  'GET /staff/inspections': [`?month=${MONTH}`],
  'GET /staff/register': [`?month=${MONTH}`],
  'GET /staff/extended-services': [`?month=${MONTH}`],
  'GET /staff/assessment': [`?month=${MONTH}`],
  'GET /reports/monthly': [`?month=${MONTH}`, `?month=${MONTH}&format=xlsx`],
  'GET /reports/yearly': ['?year=2025'],
  'GET /reports/dashboard': ['?from=2025-10-01&to=2025-10-31'],
  'GET /appointments/load': ['?date=2025-10-10'],
  'GET /appointments/home-visits': ['?date=2025-10-10'],
};
/** Lists that filter by a record: asked for B's. */
const QUERY_REFS: Record<string, (x: Township) => string> = {
  'GET /cases/board': (x) => `?scope=department&department=${x.departmentId}`,
  'GET /ratings': (x) => `?windowId=${x.windowId}`,
  'GET /staff/attendance/monthly': (x) => `?month=${MONTH}&departmentId=${x.departmentId}`,
  'GET /catalog/services': (x) => `?departmentId=${x.departmentId}`,
  'GET /catalog/export': (x) => `?departmentId=${x.departmentId}`,
};

// Routes the walk cannot use to reach another hall's record, and why.
const OWN_HALL_ONLY = 'acts on the caller’s own hall and names no record: nothing of another hall to reach';
const OWN_SESSION = 'acts on the caller’s own session or account';
const EXEMPT: Record<string, string> = {
  'POST /auth/logout': OWN_SESSION,
  'POST /auth/password': OWN_SESSION,
  'PUT /hall/hours': OWN_HALL_ONLY,
  'POST /departments': OWN_HALL_ONLY,
  'POST /org/halls': 'creating a hall under another township is refused by hallScope (network.api.test.ts)',
  'PUT /calendar/days/:date': 'a date, not a record: sets the caller’s own hall calendar',
  'DELETE /calendar/days/:date': 'a date, not a record: clears the caller’s own hall calendar',
  'POST /calendar/notices': OWN_HALL_ONLY,
  'PUT /queue/settings': OWN_HALL_ONLY,
  'PUT /cases/settings': OWN_HALL_ONLY,
  'PUT /feedback/settings': OWN_HALL_ONLY,
  'PUT /staff/settings': OWN_HALL_ONLY,
  'PUT /appointments/settings': OWN_HALL_ONLY,
  'POST /appointments/close': OWN_HALL_ONLY,
  'POST /catalog/import': OWN_HALL_ONLY,
  'POST /petitions': OWN_HALL_ONLY,
  'POST /suggestions': OWN_HALL_ONLY,
  'POST /suggestion-openings': OWN_HALL_ONLY,
  'POST /open311/keys': OWN_HALL_ONLY,
  'POST /staff/attendance/sign-out': OWN_SESSION,
  'PUT /reports/monthly/:month/texts': OWN_HALL_ONLY,
  'PUT /agents/settings': OWN_HALL_ONLY,
};
/** Lists that answer only some of A's people (still read for leaks), and why. */
const OWN_MAY_REFUSE: Record<string, string> = {
  'GET /agents/me/board': 'answers only a staff account linked to an agent (A’s staff member is; the others get 404)',
};

const paramsOf = (url: string) => [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
const isList = (r: { method: string; url: string }) => r.method === 'GET' && paramsOf(r.url).length === 0;
const staffRoutes = () => t.app.apiRoutes.filter((r) => r.access !== 'public');
const walkersOf = (access: readonly string[] | 'public') => (access === 'public' ? [] : WALKERS.filter((w) => access.includes(w)));

/** The route's URL with B's record in every parameter, or the parameter no rule fills. */
function withB(url: string): { url: string } | { missing: string } {
  let out = url.slice('/api/v1'.length);
  for (const name of paramsOf(out)) {
    const prefix = out.slice(0, out.indexOf(`/:${name}`));
    let value: string | undefined;
    if (name === 'id') value = bIds[ID_OF[prefix] ?? ''];
    else if (name === 'caseNumber') value = B.caseNumber;
    else if (name === 'seq' || name === 'version') value = '1';
    else if (name === 'code') value = prefix.startsWith('/org/halls') || prefix.startsWith('/catalog/levels') ? B.code : B.serviceCode;
    else if (name === 'serviceCode') value = B.serviceCode;
    else if (name === 'userId') value = B.people.staff.id;
    else if (name === 'month') value = MONTH;
    if (!value) return { missing: `${name} (${ID_OF[prefix] ?? 'no table for ' + prefix})` };
    out = out.replace(`:${name}`, encodeURIComponent(value));
  }
  return { url: out };
}

/** The text a user would read in an answer: JSON or text as sent, a workbook's cells. */
async function readable(res: LightMyRequestResponse): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml')) {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.text)))));
    return cells.join('\n');
  }
  return res.body;
}

describe('township scope', () => {
  it('has B’s records of every kind to look for', async () => {
    const rows = await bRows();
    const kinds = ['tickets', 'cases', 'case_notices', 'ratings', 'followups', 'rating_disputes', 'appointments', 'complaints', 'petitions', 'petition_receptions', 'suggestions', 'appeals', 'leave_requests', 'going_outs', 'attendance_events', 'staff_register', 'inspections', 'awards', 'online_applications', 'guide_attachments', 'agents'];
    expect(kinds.filter((k) => !rows[k] || rows[k].startsWith('0 '))).toEqual([]);
  });

  it('walks every staff route or names why not', () => {
    const unwalked = staffRoutes()
      .filter((r) => !isList(r) && !EXEMPT[KEY(r)] && !BODY_REFS[KEY(r)])
      .map((r) => ({ key: KEY(r), fill: withB(r.url) }))
      .filter((r) => paramsOf(r.key).length === 0 || 'missing' in r.fill)
      .map((r) => ('missing' in r.fill ? `${r.key}: no B value for ${r.fill.missing}` : `${r.key}: neither walked nor exempt`));
    expect(unwalked).toEqual([]);
    const known = new Set(staffRoutes().map(KEY));
    expect([...Object.keys(EXEMPT), ...Object.keys(BODY_REFS), ...Object.keys(BODY), ...Object.keys(QUERY), ...Object.keys(QUERY_REFS), ...Object.keys(OWN_MAY_REFUSE)].filter((k) => !known.has(k))).toEqual([]);
  });

  it('refuses A’s people every route that names B’s record (403/404), leaking nothing', async () => {
    const before = await bRows();
    const failures: string[] = [];
    for (const route of staffRoutes()) {
      const key = KEY(route);
      if (isList(route) || EXEMPT[key] || BODY_REFS[key] || paramsOf(route.url).length === 0) continue;
      const fill = withB(route.url);
      if ('missing' in fill) continue;
      for (const walker of walkersOf(route.access)) {
        const upload = URL_QUERY[key] !== undefined;
        const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : upload ? PDF : (BODY[key]?.() ?? {});
        const res = await call(A.people[walker].token, route.method, fill.url + (URL_QUERY[key] ?? ''), payload, upload ? { 'content-type': 'application/pdf' } : {});
        const leaked = leaks(res.body, decodeURIComponent(fill.url) + JSON.stringify(payload ?? ''));
        if (![403, 404].includes(res.statusCode) || leaked.length) failures.push(`${key} as ${walker}: ${res.statusCode} ${leaked.length ? 'leaks ' + leaked.slice(0, 3).join(',') : res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await bRows()).toEqual(before);
  });

  it('refuses A’s people a new record that names B’s window, staff, department, ticket or case, accepting the same with A’s', async () => {
    const failures: string[] = [];
    for (const [key, walk] of Object.entries(BODY_REFS)) {
      const [method, path] = key.split(' ') as [string, string];
      const url = path.replace(':month', MONTH);
      const token = A.people[walk.as].token;
      const before = await bRows();
      const refused = await call(token, method, url, walk.body(B));
      const leaked = leaks(refused.body, JSON.stringify(walk.body(B)));
      if (refused.statusCode < 400 || refused.statusCode >= 500 || leaked.length) failures.push(`${key} with B's: ${refused.statusCode} ${leaked.join(',') || refused.body.slice(0, 160)}`);
      else if (JSON.stringify(await bRows()) !== JSON.stringify(before)) failures.push(`${key} with B's changed B's rows`);
      const accepted = await call(token, method, url, walk.body(A));
      if (accepted.statusCode >= 300) failures.push(`${key} with A's: ${accepted.statusCode} ${accepted.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  // Some eight hundred answers, workbooks among them: minutes on a busy two-core machine.
  it('shows A’s people no list, board or export with B’s numbers, names or ids, even when asked for B', async () => {
    const failures: string[] = [];
    for (const route of staffRoutes().filter(isList)) {
      const key = KEY(route);
      const path = route.url.slice('/api/v1'.length);
      const queries = QUERY[key] ?? [''];
      const [first = '', ...more] = typeof queries === 'function' ? queries(A) : queries;
      const and = first ? '&' : '?';
      const own = path + first;
      // Further forms, B's hall and the county's subtree asked for, B's record as a filter: any refusal, no leak.
      const probes = [...more.map((q) => path + q), `${path}${first}${and}hall=TB`, `${path}${first}${and}hall=TEST&subtree=1`, ...(QUERY_REFS[key] ? [path + QUERY_REFS[key](B)] : [])];
      for (const walker of walkersOf(route.access)) {
        for (const url of [own, ...probes]) {
          const res = await call(A.people[walker].token, 'GET', url);
          const leaked = leaks(await readable(res), url);
          if (leaked.length) failures.push(`${url} as ${walker}: leaks ${leaked.slice(0, 3).join(', ')}`);
          else if (url === own && res.statusCode !== 200 && !(OWN_MAY_REFUSE[key] && res.statusCode === 404)) failures.push(`${url} as ${walker}: ${res.statusCode} ${res.body.slice(0, 160)}`);
          else if (![200, 400, 403, 404].includes(res.statusCode)) failures.push(`${url} as ${walker}: ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses A’s people acting in B through the X-Hall header', async () => {
    for (const walker of WALKERS) {
      const res = await call(A.people[walker].token, 'GET', '/hall', undefined, { 'x-hall': 'TB' });
      expect(res.statusCode).toBe(403);
    }
  });
  // Last: it grants A's supervisor a role in TB.
  it('lets the county centre read a township: its manager acting there, a user granted it, and the subtree figures', async () => {
    const county = { 'x-hall': 'TB' };
    const cases = await t.api('manager', { method: 'GET', url: '/cases', headers: county });
    expect(cases.statusCode).toBe(200);
    expect(leaks(cases.body)).toContain(B.caseNumber);
    const grant = await t.api('manager', { method: 'PUT', url: `/org/halls/TB/staff/${A.people.supervisor.id}`, payload: { roles: ['supervisor'] } });
    expect(grant.statusCode).toBe(200);
    const granted = await call(A.people.supervisor.token, 'GET', '/complaints', undefined, county);
    expect(granted.statusCode).toBe(200);
    expect(leaks(granted.body)).toContain('乙投诉人');
    const home = await call(A.people.supervisor.token, 'GET', '/complaints');
    expect(leaks(home.body)).toEqual([]);
    const whole = await t.api('manager', { method: 'GET', url: '/reports/dashboard?from=2025-10-01&to=2025-10-31&hall=TEST&subtree=1' });
    const own = await t.api('manager', { method: 'GET', url: '/reports/dashboard?from=2025-10-01&to=2025-10-31&hall=TB' });
    expect([whole.statusCode, own.statusCode]).toEqual([200, 200]);
    expect((await call(A.people.manager.token, 'GET', '/reports/dashboard?from=2025-10-01&to=2025-10-31&hall=TB')).statusCode).toBe(403);
  });

});
