import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

// The fixed core of ../shared/api.md, walked as the teams who build kiosks, screens and the provincial link
// against it would: every path, status, machine code and field that document names. Capabilities test their
// rules in depth beside their code; this file fails when the contract itself moves.

const PERSON = { name: '欧阳明', idNumber: '11010519491231002X', phone: '13812345678' };
const ERROR_SHAPE = { error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.stringMatching(/[\u4e00-\u9fa5]/), details: expect.any(Object) } };
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

describe('the fixed core of shared/api.md', () => {
  let t: TestApp;
  const as = (token: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, payload: payload as never, headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers });
  let admin: string;
  let clerk: string;
  let windowId: string;
  let materials: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const login = await as(null, 'POST', '/auth/login', { username: 'admin', password: 'Passw0rd!' });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ token: expect.any(String), user: { id: expect.any(String), username: 'admin', roles: ['admin'] } });
    admin = login.json().token;
  });
  afterAll(() => t?.close());

  it('organisation: departments, services, windows, hours and users as the admin sets up a hall', async () => {
    const dept = await as(admin, 'POST', '/departments', { name: '契约测试局' });
    expect(dept.statusCode).toBe(201);
    expect(dept.json()).toMatchObject({ id: expect.any(String), name: '契约测试局' });
    const service = {
      code: 'C-100',
      name: '契约测试事项',
      departmentId: dept.json().id,
      legalLimitDays: 20,
      promisedLimitDays: 3,
      kind: 'promised',
      queuePrefix: 'K',
      bookable: true,
      appointment: { slotMinutes: 30, capacity: 3, daysAhead: 7 },
      materials: [
        { id: 'm-form', name: '申请表', required: true },
        { id: 'm-id', name: '身份证复印件', required: true },
        { id: 'm-extra', name: '其他材料', required: false },
      ],
    };
    const created = await as(admin, 'POST', '/services', service);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'C-100', name: '契约测试事项', kind: 'promised', queuePrefix: 'K', bookable: true });
    const again = await as(admin, 'POST', '/services', service);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'DUPLICATE' } });
    materials = ['m-form', 'm-id', 'm-extra'];

    const win = await as(admin, 'POST', '/windows', { name: '契约窗口', departmentId: dept.json().id, serviceCodes: ['C-100'] });
    expect(win.statusCode).toBe(201);
    windowId = win.json().id;
    const hours = await as(admin, 'PUT', '/hall/hours', { workday: [['09:00', '11:45'], ['13:00', '16:45']], weekend: [], ticketCutoffMinutes: 30 });
    expect(hours.statusCode).toBe(200);
    const user = await as(admin, 'POST', '/users', { username: 'contract.clerk', password: 'Contract#2025', roles: ['staff'], windowIds: [windowId] });
    expect(user.statusCode).toBe(201);
    expect(user.json()).toMatchObject({ id: expect.any(String) });
    clerk = (await as(null, 'POST', '/auth/login', { username: 'contract.clerk', password: 'Contract#2025' })).json().token;

    expect((await as(null, 'GET', '/services')).statusCode).toBe(200);
    expect((await as(null, 'GET', '/services/C-100')).json()).toMatchObject({ code: 'C-100' });
  });

  it('errors: the envelope with a machine code and a Chinese message, 400/401/403/404', async () => {
    const bad = await as(admin, 'POST', '/departments', { name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(bad.json()).toMatchObject(ERROR_SHAPE);
    expect((await as(null, 'POST', '/departments', { name: '无令牌' })).json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await as(clerk, 'POST', '/departments', { name: '无权限' })).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const missing = await as(null, 'GET', '/services/NO-SUCH');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('calendar: days with their kind, and working days added after a date', async () => {
    const days = await as(null, 'GET', '/calendar/days?from=2025-09-28&to=2025-10-01');
    expect(days.statusCode).toBe(200);
    expect(days.json()).toEqual([
      expect.objectContaining({ date: '2025-09-28', workday: true, kind: 'makeup' }),
      expect.objectContaining({ date: '2025-09-29', workday: true, kind: 'workday' }),
      expect.objectContaining({ date: '2025-09-30', workday: true, kind: 'workday' }),
      expect.objectContaining({ date: '2025-10-01', workday: false, kind: 'holiday', name: expect.any(String) }),
    ]);
    expect((await as(null, 'GET', '/calendar/add-working-days?from=2025-09-30&days=3')).json()).toEqual({ date: '2025-10-11' });
  });

  it('queue: take a number, follow it, call, recall, complete; the screens hear the call', async () => {
    const take = (key?: string) => as(null, 'POST', '/tickets', { serviceCode: 'C-100', channel: 'kiosk', priority: 'normal' }, key ? { 'idempotency-key': key } : {});
    const first = await take('kiosk-7-0001');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ id: expect.any(String), number: 'K001', serviceCode: 'C-100', status: 'waiting', ahead: 0, issuedAt: expect.stringMatching(INSTANT) });
    expect((await take('kiosk-7-0001')).json().id).toBe(first.json().id);
    const second = await take();
    expect(second.json()).toMatchObject({ number: 'K002', ahead: 1 });

    const called = await as(clerk, 'POST', `/windows/${windowId}/call-next`);
    expect(called.statusCode).toBe(200);
    expect(called.json()).toMatchObject({ id: first.json().id, status: 'called' });
    const mine = await as(null, 'GET', `/tickets/${first.json().id}`);
    expect(mine.json()).toMatchObject({ status: 'called', ahead: 0, windowName: '契约窗口' });
    expect((await as(clerk, 'POST', `/tickets/${first.json().id}/recall`)).statusCode).toBe(200);
    expect((await as(clerk, 'POST', `/tickets/${first.json().id}/complete`)).statusCode).toBe(200);
    expect((await as(null, 'GET', `/tickets/${first.json().id}`)).json().status).toBe('done');

    expect((await as(clerk, 'POST', `/windows/${windowId}/call-next`)).json().id).toBe(second.json().id);
    expect((await as(clerk, 'POST', `/tickets/${second.json().id}/skip`)).statusCode).toBe(200);
    expect((await as(null, 'GET', `/tickets/${second.json().id}`)).json().status).toBe('skipped');
    expect((await as(clerk, 'POST', `/windows/${windowId}/call-next`)).statusCode).toBe(204);

    t.clock.set('2025-10-01T10:00:00+08:00');
    const closed = await take();
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ error: { code: 'HALL_CLOSED' } });
    t.clock.set('2025-09-30T09:00:00+08:00');
  });

  it('appointments: slots, a booking refused on a bad ID, a check-in that gives a ticket', async () => {
    const slots = await as(null, 'GET', '/services/C-100/slots?date=2025-09-30');
    expect(slots.statusCode).toBe(200);
    const open = (slots.json() as { start: string; remaining: number }[]).filter((s) => s.start >= '2025-09-30T10:00');
    expect(open[0]).toMatchObject({ start: expect.stringMatching(INSTANT), end: expect.stringMatching(INSTANT), capacity: 3, remaining: 3 });
    const start = open[0]!.start;
    const badId = await as(null, 'POST', '/appointments', { serviceCode: 'C-100', start, ...PERSON, idNumber: '110105194912310021' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({ error: { code: 'INVALID_ID_NUMBER' } });
    const booked = await as(null, 'POST', '/appointments', { serviceCode: 'C-100', start, ...PERSON });
    expect(booked.statusCode).toBe(201);
    expect(booked.json()).toMatchObject({ id: expect.any(String), code: expect.any(String), serviceCode: 'C-100', start, end: expect.stringMatching(INSTANT), status: 'booked' });
    const past = await as(null, 'POST', '/appointments', { serviceCode: 'C-100', start: '2025-09-29T09:00:00+08:00', ...PERSON });
    expect(past.json()).toMatchObject({ error: { code: 'SLOT_UNAVAILABLE' } });

    t.clock.set(start);
    // The one change to this part of the core (docs/decisions.md): check-in and cancel carry the booker's proof.
    const ticket = await as(null, 'POST', `/appointments/${booked.json().id}/check-in`, { idNumber: PERSON.idNumber });
    expect(ticket.statusCode).toBe(201);
    expect(ticket.json()).toMatchObject({ number: expect.stringMatching(/^K\d{3}$/), status: 'waiting' });
    t.clock.set('2025-09-30T09:00:00+08:00');
    const other = await as(null, 'POST', '/appointments', { serviceCode: 'C-100', start: open[1]!.start, ...PERSON, idNumber: '110105194912310038', phone: '13900001111' });
    const cancelled = await as(null, 'POST', `/appointments/${other.json().id}/cancel`, { code: other.json().code, idNumber: '110105194912310038' });
    expect(cancelled.json()).toMatchObject({ id: other.json().id, status: 'cancelled' });
    expect((await as(null, 'POST', `/appointments/${booked.json().id}/cancel`, { code: booked.json().code, idNumber: '110105194912310038' })).statusCode).toBe(404);
  });

  it('cases: receipt missing materials, materials arriving, completion, the masked public query', async () => {
    const received = await as(clerk, 'POST', '/cases', { serviceCode: 'C-100', applicant: PERSON, materials: [materials[0]] });
    expect(received.statusCode).toBe(201);
    expect(received.json()).toMatchObject({ caseNumber: expect.any(String), kind: 'supplement', status: expect.any(String), missingMaterials: [expect.anything()], deadline: null });
    const n = received.json().caseNumber;
    const supplied = await as(clerk, 'POST', `/cases/${n}/actions`, { action: 'supplement', materials: [materials[1]] });
    expect(supplied.statusCode).toBe(200);
    const staffView = await as(clerk, 'GET', `/cases/${n}`);
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json()).toMatchObject({ caseNumber: n, deadline: expect.stringMatching(INSTANT), light: expect.stringMatching(/^(green|reminder|yellow|red)$/) });
    const wrongMove = await as(clerk, 'POST', `/cases/${n}/actions`, { action: 'resume' });
    expect(wrongMove.statusCode).toBe(409);
    expect(wrongMove.json()).toMatchObject({ error: { code: 'INVALID_TRANSITION' } });
    expect((await as(clerk, 'POST', `/cases/${n}/actions`, { action: 'complete' })).statusCode).toBe(200);

    const pub = await as(null, 'GET', `/public/cases/${n}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ caseNumber: n, serviceName: '契约测试事项', department: '契约测试局', acceptedAt: expect.stringMatching(INSTANT), status: expect.any(String), deadline: expect.stringMatching(INSTANT) });
    expect(pub.json().applicant.name).toBe('欧阳*');
    expect(pub.body).not.toContain(PERSON.idNumber);
    expect(pub.body).not.toContain(PERSON.phone);
    expect((await as(null, 'GET', '/public/cases/TEST-20250930-99999')).statusCode).toBe(404);

    // Ratings of the finished case; once only; an unfinished service is not rateable.
    const rated = await as(null, 'POST', '/ratings', { caseNumber: n, grade: 'dissatisfied', comment: '等候时间太长' });
    expect(rated.statusCode).toBe(201);
    expect(rated.json()).toMatchObject({ id: expect.any(String), grade: 'dissatisfied' });
    expect((await as(null, 'POST', '/ratings', { caseNumber: n, grade: 'satisfied' })).json()).toMatchObject({ error: { code: 'ALREADY_RATED' } });
    const open = await as(clerk, 'POST', '/cases', { serviceCode: 'C-100', applicant: PERSON, materials: materials.slice(0, 2) });
    expect((await as(null, 'POST', '/ratings', { caseNumber: open.json().caseNumber, grade: 'satisfied' })).json()).toMatchObject({ error: { code: 'NOT_RATEABLE' } });
    const followups = await as(await t.tokenFor('supervisor'), 'GET', '/followups?status=open');
    expect(followups.statusCode).toBe(200);
    const list = (Array.isArray(followups.json()) ? followups.json() : followups.json().items) as { ratingId: string; deadline: string }[];
    expect(list).toContainEqual(expect.objectContaining({ ratingId: rated.json().id, deadline: expect.any(String) }));
  });

  it('monthly bulletin: the named figures, and the xlsx and pdf documents', async () => {
    const manager = await t.tokenFor('manager');
    const month = await as(manager, 'GET', '/reports/monthly?month=2025-09');
    expect(month.statusCode).toBe(200);
    expect(month.json()).toMatchObject({
      month: '2025-09',
      casesAccepted: expect.any(Number),
      casesFinished: expect.any(Number),
      immediate: expect.any(Number),
      promised: expect.any(Number),
      onTimeRate: expect.anything(),
      satisfaction: expect.anything(),
      topWindows: expect.arrayContaining([expect.objectContaining({ windowName: '契约窗口', cases: expect.any(Number) })]),
    });
    const xlsx = await as(manager, 'GET', '/reports/monthly?month=2025-09&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await as(manager, 'GET', '/reports/monthly?month=2025-09&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('health and Open311 discovery answer outside /api/v1', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
    const discovery = await t.app.inject({ method: 'GET', url: '/open311/discovery.json' });
    expect(discovery.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/open311/v2/services.json' })).statusCode).toBe(200);
  });
});
