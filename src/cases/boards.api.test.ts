import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTimerRunner } from '../jobs/timers.js';
import { hallCatalog } from '../catalog/tables.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { FIVE_MATERIALS, PERSON, act, addDepartment, addService, addStation, addUser, as, receive } from './test-helpers.js';

describe('lists, boards and who sees which case', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('shows a department its open cases by light, overdue and soon due first', async () => {
    await addService(t, 'I-001', { kind: 'immediate', promisedLimitDays: 0 });
    await addService(t, 'S-005', { materials: FIVE_MATERIALS });
    const promised = (await receive(t, {})).json().caseNumber;
    const immediate = (await receive(t, { serviceCode: 'I-001' })).json().caseNumber;
    const waiting = (await receive(t, { serviceCode: 'S-005' })).json().caseNumber;
    const done = (await receive(t, { serviceCode: 'I-001', decision: { action: 'accept', completeNow: true } })).json().caseNumber;
    // 14:00: the 即办件 due at 17:00 is yellow (the workers' light timer has fired); the next morning it is overdue.
    t.clock.set('2025-09-30T14:00:00+08:00');
    await createTimerRunner({ db: t.ctx.db, clock: t.clock }, timerHandlers(t.ctx)).runDue();
    let board = (await as(t, 'leader', { method: 'GET', url: '/cases/board?scope=department' })).json();
    expect(board.counts).toEqual({ green: 1, reminder: 0, yellow: 1, red: 0, none: 1, total: 3 });
    expect(board.cases.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([immediate, promised, waiting]);
    expect(board.cases.map((c: { caseNumber: string }) => c.caseNumber)).not.toContain(done);
    t.clock.set('2025-10-09T09:00:00+08:00');
    board = (await as(t, 'leader', { method: 'GET', url: '/cases/board' })).json();
    expect(board.counts).toMatchObject({ red: 1, green: 1, none: 1 });
    expect(board.cases[0]).toMatchObject({ caseNumber: immediate, light: 'red' });

    const red = (await as(t, 'staff', { method: 'GET', url: '/cases?light=red' })).json();
    expect(red.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([immediate]);
    const dueSoon = (await as(t, 'staff', { method: 'GET', url: '/cases?due_before=2025-10-01' })).json();
    expect(dueSoon.items.map((c: { caseNumber: string }) => c.caseNumber).sort()).toEqual([immediate, done].sort());
    const supplements = (await as(t, 'staff', { method: 'GET', url: '/cases?status=awaiting_supplement' })).json();
    expect(supplements).toMatchObject({ total: 1, items: [{ caseNumber: waiting, kind: 'supplement' }] });
  });

  it('gives supervisors the whole hall, counts per department, and keeps other departments out', async () => {
    const own = (await receive(t, {})).json().caseNumber;
    const third = await addDepartment(t, '第三局');
    const otherStaff = await addUser(t, 'other.staff', 'staff', t.hall.otherDepartmentId);
    const otherLeader = await addUser(t, 'other.leader', 'leader', t.hall.otherDepartmentId);
    const joint = (
      await receive(t, { joint: { tasks: [t.hall.departmentId, t.hall.otherDepartmentId, third].map((departmentId) => ({ departmentId, task: '审查', limitDays: 3 })) } })
    ).json().caseNumber;

    // Staff of another department: the case does not exist for them; a joint case they take part in does.
    expect((await otherStaff.call({ method: 'GET', url: `/cases/${own}` })).statusCode).toBe(404);
    expect((await otherStaff.call({ method: 'POST', url: `/cases/${own}/actions`, payload: { action: 'complete' } })).statusCode).toBe(404);
    expect((await otherStaff.call({ method: 'GET', url: `/cases/${own}/notices/1` })).statusCode).toBe(404);
    expect((await otherStaff.call({ method: 'GET', url: `/cases/${joint}` })).statusCode).toBe(200);
    expect((await otherStaff.call({ method: 'GET', url: '/cases' })).json().items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([joint]);
    // Boards: staff have none, a leader only their own department's, which includes their joint tasks.
    expect((await otherStaff.call({ method: 'GET', url: '/cases/board' })).statusCode).toBe(403);
    expect((await otherLeader.call({ method: 'GET', url: `/cases/board?department=${t.hall.departmentId}` })).statusCode).toBe(403);
    expect((await otherLeader.call({ method: 'GET', url: '/cases/board?scope=hall' })).statusCode).toBe(403);
    const theirs = (await otherLeader.call({ method: 'GET', url: '/cases/board' })).json();
    expect(theirs.cases.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([joint]);

    const hall = await as(t, 'supervisor', { method: 'GET', url: '/cases/board?scope=hall' });
    expect(hall.statusCode).toBe(200);
    expect(hall.json().counts).toMatchObject({ green: 2, total: 2 });
    expect(hall.json().departments.find((d: { department: { name: string } }) => d.department.name === '测试局')).toMatchObject({ green: 2, total: 2 });
    expect((await as(t, 'supervisor', { method: 'GET', url: `/cases/${own}` })).statusCode).toBe(200);
    // Supervisors watch; they do not handle cases.
    expect((await act(t, own, { action: 'complete' }, 'supervisor')).statusCode).toBe(403);
    expect((await as(t, 'manager', { method: 'GET', url: `/cases/board?scope=department&department=${t.hall.otherDepartmentId}` })).json().counts.total).toBe(1);
  });

  it('shows a county supervisor the board of a station below or of the whole subtree, and keeps a township to its own', async () => {
    const station = await addStation(t, [t.hall.serviceId]);
    const county = (await receive(t, {})).json().caseNumber;
    // An item the station decides itself stays there, open, in the station's own figures.
    await t.ctx.db.update(hallCatalog).set({ mode: 'decide' }).where(eq(hallCatalog.hallId, station.va));
    const atVillage = await station.village.call({ method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: PERSON, materials: [] } });
    expect(atVillage.statusCode, atVillage.body).toBe(201);
    const village = atVillage.json().caseNumber as string;
    const numbers = (board: { cases: { caseNumber: string }[] }) => board.cases.map((c) => c.caseNumber).sort();

    const own = (await as(t, 'supervisor', { method: 'GET', url: '/cases/board?scope=hall' })).json();
    expect(numbers(own)).toEqual([county]);
    const below = (await as(t, 'supervisor', { method: 'GET', url: '/cases/board?scope=hall&hall=VA' })).json();
    expect(numbers(below)).toEqual([village]);
    const whole = await as(t, 'supervisor', { method: 'GET', url: '/cases/board?scope=hall&subtree=1' });
    expect(whole.statusCode, whole.body).toBe(200);
    expect(numbers(whole.json())).toEqual([county, village].sort());
    expect(whole.json().counts.total).toBe(2);
    // Across halls every department carries its hall's name, so two halls' 测试局 are told apart.
    const row = whole.json().cases.find((c: { caseNumber: string }) => c.caseNumber === village);
    expect(row.department.name).toMatch(/^一村便民服务站·/);

    const townshipSupervisor = await addUser(t, 'ta.supervisor', 'supervisor', null, [], station.ta);
    expect(numbers((await townshipSupervisor.call({ method: 'GET', url: '/cases/board?scope=hall&subtree=1' })).json())).toEqual([village]);
    const up = await townshipSupervisor.call({ method: 'GET', url: '/cases/board?scope=hall&hall=TEST' });
    expect(up.statusCode).toBe(403);
    expect((await townshipSupervisor.call({ method: 'GET', url: '/cases/board?scope=hall&hall=NOPE' })).statusCode).toBe(404);
  });

  it('receives a case from a served ticket only', async () => {
    const ticket = (await as(t, null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'kiosk' } })).json();
    const early = await receive(t, { ticketId: ticket.id });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('TICKET_NOT_SERVED');
    expect((await as(t, 'staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` })).json().id).toBe(ticket.id);
    const res = await receive(t, { ticketId: ticket.id });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ticketId: ticket.id, window: { id: t.hall.windowId, name: '测试窗口' } });
    const desk = (await as(t, 'staff', { method: 'GET', url: '/cases/desk' })).json();
    expect(desk.tickets.map((x: { id: string }) => x.id)).toEqual([ticket.id]);
    expect(desk.windows[0].services.map((s: { code: string }) => s.code)).toEqual(['T-001']);
  });
});
