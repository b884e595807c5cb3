import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import { PERSON, act, as, stationApp, type Station } from '../cases/test-helpers.js';

// Agents (代办员) of a village station, carrying its residents' cases to the county centre and back.
describe('agents', () => {
  let t: TestApp;
  let station: Station;
  beforeEach(async () => {
    ({ t, station } = await stationApp(t));
  });
  afterAll(() => t?.close());

  const register = (payload: object) => as(t, 'manager', { method: 'POST', url: '/agents', payload });
  const receiveFor = (agentId: string) =>
    station.village.call({ method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: PERSON, materials: [], agentId } });

  it('registers an agent at a station with a training record, and refuses bad input and other roles, changing nothing', async () => {
    const res = await register({ hall: 'VA', name: '王代办', phone: '13900001111', userId: station.village.id });
    expect(res.statusCode, res.body).toBe(201);
    const agent = res.json();
    expect(agent).toMatchObject({ hall: { code: 'VA', name: '一村便民服务站' }, name: '王代办', phone: '139****1111', status: 'active', linkedUser: true, openCases: 0, maxOpenCases: 20, overloaded: false });
    const trained = await as(t, 'manager', { method: 'POST', url: `/agents/${agent.id}/trainings`, payload: { course: '代办员岗前培训', trainedOn: '2025-09-20', certificate: 'DB-2025-001' } });
    expect(trained.statusCode).toBe(201);
    expect(trained.json().trainings).toEqual([{ course: '代办员岗前培训', trainedOn: '2025-09-20', certificate: 'DB-2025-001' }]);

    const before = await t.counts();
    const badPhone = await register({ hall: 'VA', name: '李代办', phone: '1390000' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.code).toBe('VALIDATION_FAILED');
    expect((await as(t, 'manager', { method: 'POST', url: `/agents/${agent.id}/trainings`, payload: { course: '', trainedOn: '2025-13-01' } })).statusCode).toBe(400);
    expect((await as(t, 'manager', { method: 'PUT', url: `/agents/${agent.id}/status`, payload: { status: 'suspended' } })).statusCode).toBe(400);
    expect((await station.village.call({ method: 'POST', url: '/agents', payload: { name: '李代办', phone: '13900002222' } })).statusCode).toBe(403);
    // An account of another hall cannot be the agent's.
    expect((await register({ hall: 'VA', name: '李代办', phone: '13900002222', userId: station.township.id })).statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
    const audit = await t.database.query<{ action: string }>(`SELECT action FROM audit_events WHERE entity_type = 'agent' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['agent.registered', 'agent.trained']);
    // The phone is sealed at rest.
    expect(JSON.stringify(await t.database.query(`SELECT * FROM agents`))).not.toContain('13900001111');
  });

  it('carries cases up and back: the agent’s board says what to do, and the county sees who is overloaded', async () => {
    const agent = (await register({ hall: 'VA', name: '王代办', phone: '13900001111', userId: station.village.id })).json();
    const limit = await as(t, 'manager', { method: 'PUT', url: '/agents/settings', payload: { maxOpenCases: 1 }, headers: { 'x-hall': 'VA' } });
    expect(limit.statusCode, limit.body).toBe(200);
    const first = (await receiveFor(agent.id)).json().caseNumber as string;
    const second = (await receiveFor(agent.id)).json().caseNumber as string;

    const county = await as(t, 'manager', { method: 'GET', url: '/agents' });
    expect(county.json().items).toEqual([expect.objectContaining({ name: '王代办', hall: { code: 'VA', name: '一村便民服务站' }, openCases: 2, maxOpenCases: 1, overloaded: true })]);

    // The county decides the first and sends the result back: the agent delivers it.
    for (const action of ['sign', 'accept', 'complete', 'send_back']) expect((await act(t, first, { action })).statusCode).toBe(200);
    const board = await station.village.call({ method: 'GET', url: '/agents/me/board' });
    expect(board.statusCode, board.body).toBe(200);
    const rows = board.json().cases as { caseNumber: string; todo: string; todoNote: string; heldBy: string; light: string | null }[];
    expect(rows.find((r) => r.caseNumber === first)).toMatchObject({ todo: 'deliver', todoNote: '到一村便民服务站领取结果', heldBy: '一村便民服务站' });
    expect(rows.find((r) => r.caseNumber === second)).toMatchObject({ todo: 'wait', heldBy: '一村便民服务站', light: 'green' });
    // Handed over: off the board and off the load.
    expect((await station.village.call({ method: 'POST', url: `/cases/${first}/actions`, payload: { action: 'pick_up' } })).statusCode).toBe(200);
    expect((await as(t, 'manager', { method: 'GET', url: `/agents/${agent.id}/board` })).json().cases.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([second]);
    // A township's staff member is no reader of the county's agents.
    expect((await station.township.call({ method: 'GET', url: '/agents' })).statusCode).toBe(403);
  });

  it('a suspended agent takes no new case; a case’s agent is changed later with an audit record', async () => {
    const agent = (await register({ hall: 'VA', name: '王代办', phone: '13900001111' })).json();
    const n = (await station.village.call({ method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: PERSON, materials: [], decision: { action: 'receive' } } })).json().caseNumber as string;
    const linked = await station.village.call({ method: 'PUT', url: `/cases/${n}/agent`, payload: { agentId: agent.id } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().agent).toMatchObject({ name: '王代办', openCases: 1 });
    const suspended = await as(t, 'manager', { method: 'PUT', url: `/agents/${agent.id}/status`, payload: { status: 'suspended', reason: '培训证书过期' } });
    expect(suspended.json()).toMatchObject({ status: 'suspended', statusReason: '培训证书过期' });
    const before = await t.counts();
    const refused = await receiveFor(agent.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'AGENT_SUSPENDED', message: '代办员王代办已暂停代办，不能再承接办件' });
    expect(await t.counts()).toEqual(before);
    // The county cannot name agents on the station's cases.
    expect((await as(t, 'staff', { method: 'PUT', url: `/cases/${n}/agent`, payload: { agentId: null } })).statusCode).toBe(404);
    expect((await station.village.call({ method: 'PUT', url: `/cases/${n}/agent`, payload: { agentId: null } })).json().agent).toBeNull();
    const audit = await t.database.query<{ after: { agentId: string | null } }>(`SELECT after FROM audit_events WHERE action = 'case.agent' ORDER BY id`);
    expect(audit.map((a) => a.after.agentId)).toEqual([agent.id, null]);
  });
});
