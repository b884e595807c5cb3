import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../testing/test-app.js';
import { PERSON, act, as, stationApp, type Station } from './test-helpers.js';

// 上报件 within the network: a village station takes a county item in and the county centre decides it.
describe('forwarding a case between halls', () => {
  let t: TestApp;
  let station: Station;
  beforeEach(async () => {
    ({ t, station } = await stationApp(t));
  });
  afterAll(() => t?.close());

  const receiveAtVillage = (body: Record<string, unknown> = {}) =>
    station.village.call({ method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: PERSON, materials: [], ...body } });
  const villageAct = (n: string, body: Record<string, unknown>) => station.village.call({ method: 'POST', url: `/cases/${n}/actions`, payload: body });
  const view = async (n: string, who: 'village' | 'county') => (who === 'village' ? station.village.call({ method: 'GET', url: `/cases/${n}` }) : as(t, 'staff', { method: 'GET', url: `/cases/${n}` })).then((r) => r.json());
  const ok = async (res: Promise<{ statusCode: number; body: string; json: () => any }>) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('received at a village station, signed, decided and returned by the county centre, stays one case with one history for both halls and the applicant', async () => {
    const received = await receiveAtVillage();
    expect(received.statusCode, received.body).toBe(201);
    const n = received.json().caseNumber as string;
    // The station only takes the item in: a complete application goes up at once, with a time to sign.
    expect(n).toMatch(/^VA-20250930-/);
    expect(received.json()).toMatchObject({ status: 'transferred', kind: 'escalated', side: 'origin', allowedActions: [], light: 'green' });
    expect(received.json().route).toMatchObject({ from: { code: 'VA' }, to: { code: 'TEST' }, department: { id: t.hall.departmentId }, stage: 'to_sign', signedAt: null });
    expect(received.json().deadline).not.toBeNull();

    // The county's inbox, waiting to be signed; overdue to sign the next working day but one.
    const inbox = await ok(as(t, 'staff', { method: 'GET', url: '/cases/inbox' }));
    expect(inbox.items).toEqual([expect.objectContaining({ caseNumber: n, stage: 'to_sign', fromHall: { code: 'VA', name: '一村便民服务站' }, light: 'green' })]);
    t.clock.set('2025-10-10T09:30:00+08:00');
    expect((await ok(as(t, 'staff', { method: 'GET', url: '/cases/inbox' }))).items[0].light).toBe('red');

    // While it waits, the station cannot act on it; the county can only sign or decline.
    const early = await villageAct(n, { action: 'sign' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'INVALID_TRANSITION', message: '办件已转报上级中心，待对方签收' });
    expect((await view(n, 'county')).allowedActions).toEqual(['sign', 'decline']);

    const signed = await ok(act(t, n, { action: 'sign' }));
    expect(signed).toMatchObject({ status: 'received', side: 'upper', route: { stage: 'deciding' }, deadline: null });
    expect((await villageAct(n, { action: 'return', reason: '申请人撤回' })).json().error.message).toBe('办件由上级中心办理中，结果回传后才能继续');
    await ok(act(t, n, { action: 'accept' }));
    const done = await ok(act(t, n, { action: 'complete', result: '准予许可' }));
    expect(done.status).toBe('completed');
    // The result is handed over where the applicant applied, once it is back there.
    expect((await villageAct(n, { action: 'pick_up' })).statusCode).toBe(409);
    expect((await act(t, n, { action: 'pick_up' })).json().error.message).toBe('结果由收件中心交给申请人，请先回传结果');
    const back = await ok(act(t, n, { action: 'send_back' }));
    expect(back).toMatchObject({ status: 'completed', route: { stage: 'returned' }, allowedActions: [] });
    expect((await view(n, 'village')).allowedActions).toEqual(['schedule_pickup', 'pick_up', 'mail']);
    await ok(villageAct(n, { action: 'pick_up' }));

    const steps = [
      ['receive', '一村便民服务站'],
      ['transfer', '一村便民服务站'],
      ['sign', '测试政务服务中心'],
      ['accept', '测试政务服务中心'],
      ['complete', '测试政务服务中心'],
      ['send_back', '测试政务服务中心'],
      ['pick_up', '一村便民服务站'],
    ];
    for (const who of ['village', 'county'] as const) {
      const seen = await view(n, who);
      expect(seen.caseNumber).toBe(n);
      expect(seen.status).toBe('delivered');
      expect(seen.history.map((h: { action: string; hall: string }) => [h.action, h.hall])).toEqual(steps);
    }
    // The applicant finds one case under the station's number, with where it went in plain words.
    const pub = await as(t, null, { method: 'GET', url: `/public/cases/${n}?idLast4=002X` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ caseNumber: n, status: 'delivered', detail: { hallName: '一村便民服务站' } });
    const notes = pub.json().detail.history.map((h: { note: string | null }) => h.note);
    expect(notes).toEqual(expect.arrayContaining(['报送测试政务服务中心审批', '测试政务服务中心已签收，开始审查', '审批结果已送回一村便民服务站']));
    expect(JSON.stringify(pub.json())).not.toContain(PERSON.idNumber);
    // Every move audited under the hall that made it.
    const audit = await t.database.query<{ action: string; code: string }>(
      `SELECT a.action, h.code FROM audit_events a JOIN halls h ON h.id = a.hall_id WHERE a.entity_id = $1 ORDER BY a.id`,
      [n],
    );
    expect(audit.map((a) => `${a.action}@${a.code}`)).toEqual(steps.map(([action, hall]) => `case.${action}@${hall === '一村便民服务站' ? 'VA' : 'TEST'}`));
    expect((await t.database.query(`SELECT 1 FROM cases`)).length).toBe(1);
  });

  it('hides the case from a third hall, and from the deciding hall before it is sent there', async () => {
    const held = (await receiveAtVillage({ decision: { action: 'receive' } })).json();
    const n = held.caseNumber as string;
    // The station may send it up or hand it back, never decide it.
    expect(held.allowedActions).toEqual(['correct', 'return', 'transfer']);
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${n}` })).statusCode).toBe(404);
    await ok(villageAct(n, { action: 'transfer' }));
    // The township between them neither decides the item nor holds the case.
    for (const res of [
      await station.township.call({ method: 'GET', url: `/cases/${n}` }),
      await station.township.call({ method: 'POST', url: `/cases/${n}/actions`, payload: { action: 'sign' } }),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    expect((await station.township.call({ method: 'GET', url: '/cases/inbox' })).json().items).toEqual([]);
  });

  it('refuses a transfer to a hall not above or not deciding the item, and a decision where the item is only taken in, changing nothing', async () => {
    const n = (await receiveAtVillage({ decision: { action: 'receive' } })).json().caseNumber as string;
    const before = await t.counts();
    const accept = await villageAct(n, { action: 'accept' });
    expect(accept.statusCode).toBe(409);
    expect(accept.json().error.message).toBe('本中心对该事项只收件转报，请转报上级中心办理');
    const sideways = await villageAct(n, { action: 'transfer', hall: 'VA' });
    expect(sideways.statusCode).toBe(409);
    expect(sideways.json().error).toMatchObject({ code: 'TRANSFER_NOT_ALLOWED', message: '只能转报给本中心的上级中心' });
    const township = await villageAct(n, { action: 'transfer', hall: 'TA' });
    expect(township.json().error).toMatchObject({ code: 'TRANSFER_NOT_ALLOWED', message: '甲镇为民服务中心不办理该事项' });
    expect((await villageAct(n, { action: 'transfer', hall: 'x!' })).statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
  });

  it('a declined case goes back to the station with the reason, which may send it up again', async () => {
    const n = (await receiveAtVillage()).json().caseNumber as string;
    expect((await act(t, n, { action: 'decline' })).statusCode).toBe(400);
    const declined = await ok(act(t, n, { action: 'decline', reason: '请补充村委会证明后再报' }));
    expect(declined).toMatchObject({ status: 'received', route: null });
    // Out of the county's reach again, back in the station's hands.
    expect((await as(t, 'staff', { method: 'GET', url: `/cases/${n}` })).statusCode).toBe(404);
    const again = await ok(villageAct(n, { action: 'transfer', hall: 'TEST' }));
    expect(again).toMatchObject({ status: 'transferred', route: { to: { code: 'TEST' }, stage: 'to_sign' } });
    const pub = (await as(t, null, { method: 'GET', url: `/public/cases/${n}?idLast4=002X` })).json();
    expect(pub.detail.history.map((h: { note: string | null }) => h.note)).toContain('测试政务服务中心退回一村便民服务站：请补充村委会证明后再报');
  });
});
