import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { users, userWindows } from '../auth/tables.js';
import { createTimerRunner } from '../jobs/timers.js';
import { notifications } from '../notify/tables.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { abGaps } from './tables.js';

let t: TestApp;
afterAll(async () => t?.close());

// 2025-09-30 is a Tuesday and a working day; the fixture hall keeps 09:00-12:00 and 13:00-17:00.
beforeEach(async () => {
  await t?.close();
  t = await createTestApp({ now: '2025-09-30T08:50:00+08:00' });
});

async function addStaff(username: string, windowId?: string) {
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  const [u] = await t.ctx.db.insert(users).values({ hallId: t.hall.hallId, username, displayName: `人员${username}`, passwordHash: model!.hash, roles: ['staff'], departmentId: t.hall.departmentId }).returning({ id: users.id });
  if (windowId) await t.ctx.db.insert(userWindows).values({ userId: u!.id, windowId });
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
  return { id: u!.id, token: login.json().token as string };
}
const as = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}` } });
const idOf = async (username: string) => (await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

describe('sign in and out at the staff console', () => {
  it('marks a sign-in after the window opens as late and refuses a second sign-in without writing anything', async () => {
    t.clock.set('2025-09-30T09:20:00+08:00');
    const res = await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-in', payload: {} });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ late: true, lateMinutes: 20, sessionStart: '2025-09-30T09:00:00+08:00' });
    const before = await t.counts();
    const again = await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-in', payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_SIGNED_IN');
    expect(await t.counts()).toEqual(before);

    t.clock.set('2025-09-30T16:30:00+08:00');
    const out = await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-out', payload: {} });
    expect(out.json()).toMatchObject({ early: true, earlyMinutes: 30 });
    t.clock.set('2025-09-30T18:00:00+08:00');
    const month = await t.api('manager', { method: 'GET', url: '/staff/attendance/monthly?month=2025-09' });
    const me = month.json().persons.find((p: { name: string }) => p.name === '测试staff');
    // Late once and early once on the 30th, the hall's first day of attendance (earlier days do not count).
    expect(me).toMatchObject({ windowName: '测试窗口', late: 1, early: 1, presentDays: 1, expectedDays: 1, absentHalfDays: 0, score: 98 });
  });

  it('counts a going-out past its promised return as off post', async () => {
    t.clock.set('2025-09-30T08:55:00+08:00');
    await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-in', payload: {} });
    t.clock.set('2025-09-30T10:00:00+08:00');
    const out = await t.api('staff', { method: 'POST', url: '/staff/going-outs', payload: { reason: '送审材料', expectedReturnAt: '2025-09-30T10:30:00+08:00' } });
    expect(out.statusCode).toBe(201);
    t.clock.set('2025-09-30T11:00:00+08:00');
    const back = await t.api('staff', { method: 'POST', url: `/staff/going-outs/${out.json().id}/return`, payload: {} });
    expect(back.json().overdueMinutes).toBe(30);
    t.clock.set('2025-09-30T17:05:00+08:00');
    await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-out', payload: {} });
    const me = (await t.api('staff', { method: 'GET', url: '/staff/attendance/me' })).json();
    expect(me.month).toMatchObject({ late: 0, early: 0, offPost: 1, goingOuts: 1 });
  });
});

describe('leave', () => {
  it('needs the stamped approval for more than a day, and takes only a PDF or an image', async () => {
    const one = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'sick', fromDate: '2025-10-09', toDate: '2025-10-09' } });
    expect(one.json()).toMatchObject({ days: 1, requiresDocument: false, status: 'pending' });
    const two = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'personal', fromDate: '2025-10-13', toDate: '2025-10-14', reason: '家中有事' } });
    expect(two.json()).toMatchObject({ days: 2, requiresDocument: true });
    const id = two.json().id;
    const refused = await t.api('manager', { method: 'POST', url: `/staff/leaves/${id}/approve`, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('DOCUMENT_REQUIRED');

    const before = await t.counts();
    const text = await t.api('staff', { method: 'POST', url: `/staff/leaves/${id}/document?filename=${encodeURIComponent('请假条.pdf')}`, payload: Buffer.from('not a pdf'), headers: { 'content-type': 'application/pdf' } });
    expect(text.statusCode).toBe(400);
    expect(text.json().error.code).toBe('VALIDATION_FAILED');
    expect(await t.counts()).toEqual(before);

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
    const up = await t.api('staff', { method: 'POST', url: `/staff/leaves/${id}/document?filename=${encodeURIComponent('单位盖章请假条.pdf')}`, payload: pdf, headers: { 'content-type': 'application/pdf' } });
    expect(up.statusCode).toBe(200);
    expect(up.json().document.filename).toBe('单位盖章请假条.pdf');
    const ok = await t.api('manager', { method: 'POST', url: `/staff/leaves/${id}/approve`, payload: { note: '同意' } });
    expect(ok.json().status).toBe('approved');
    const file = await t.api('manager', { method: 'GET', url: `/staff/leaves/${id}/document` });
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.equals(pdf)).toBe(true);

    // 1 + 2 days already this month: another one-day leave passes three days in October.
    const third = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'annual', fromDate: '2025-10-20', fromHalf: 'am', toDate: '2025-10-20', toHalf: 'pm' } });
    expect(third.json()).toMatchObject({ days: 1, requiresDocument: true });
    const half = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'annual', fromDate: '2025-11-03', fromHalf: 'pm', toDate: '2025-11-03', toHalf: 'pm' } });
    expect(half.json()).toMatchObject({ days: 0.5, requiresDocument: false });
  });

  it('refuses leave on holidays only or ending before it starts, changing nothing', async () => {
    await t.tokenFor('staff');
    const before = await t.counts();
    const holiday = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'personal', fromDate: '2025-10-01', toDate: '2025-10-07' } });
    expect(holiday.statusCode).toBe(400);
    const backwards = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'personal', fromDate: '2025-10-10', toDate: '2025-10-09' } });
    expect(backwards.json().error.code).toBe('VALIDATION_FAILED');
    const bad = await t.api('staff', { method: 'POST', url: '/staff/leaves', payload: { kind: 'holiday', fromDate: '2025-10-10', toDate: '2025-10-10' } });
    expect(bad.statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
  });
});

describe('AB backup', () => {
  it('raises one alert for a window with nobody signed in during opening hours, not one per check', async () => {
    const b = await addStaff('bjiao');
    const staffId = await idOf('staff');
    const set = await t.api('manager', { method: 'PUT', url: `/staff/backups/${t.hall.windowId}`, payload: { aUserId: staffId, bUserId: b.id } });
    expect(set.statusCode).toBe(200);
    const runner = createTimerRunner(t.ctx, timerHandlers(t.ctx));
    // From 08:50 to 10:30, a check every minute: the window opens at 09:00 and nobody comes.
    for (let minute = 0; minute <= 100; minute++) {
      await runner.runDue();
      t.clock.advance(60_000);
    }
    const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.template, 'ab_gap'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ channel: 'staff', recipient: await idOf('manager') });
    expect(alerts[0]!.body).toContain('测试窗口');
    const gaps = await t.ctx.db.select().from(abGaps);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.openedAt.toISOString()).toBe('2025-09-30T01:00:00.000Z');
    expect(gaps[0]!.closedAt).toBeNull();
    // One check timer for the hall, moved on by each check: a hundred checks, still one row, still due.
    expect(await t.database.query(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE fired_at IS NULL))::int AS pending FROM timers WHERE kind = 'staff.ab_check'`)).toEqual([{ n: 1, pending: 1 }]);

    // The B signs in at the window: the gap closes at once, and no further alert comes.
    const signIn = await as(b.token, 'POST', '/staff/attendance/sign-in', { windowId: t.hall.windowId });
    expect(signIn.statusCode).toBe(201);
    const [closed] = await t.ctx.db.select().from(abGaps);
    expect(closed!.closedAt?.toISOString()).toBe(t.clock.now().toISOString());
    for (let minute = 0; minute < 20; minute++) {
      await runner.runDue();
      t.clock.advance(60_000);
    }
    expect(await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(notifications)).toEqual([{ n: 1 }]);
    const list = (await t.api('manager', { method: 'GET', url: '/staff/backups' })).json();
    expect(list[0]).toMatchObject({ coverage: 'covered', bName: '人员bjiao', openGap: null });
  });

  it('opens a gap when the staff member goes out without a B on post', async () => {
    const b = await addStaff('bjiao2');
    await t.api('manager', { method: 'PUT', url: `/staff/backups/${t.hall.windowId}`, payload: { aUserId: await idOf('staff'), bUserId: b.id } });
    t.clock.set('2025-09-30T09:00:00+08:00');
    await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-in', payload: {} });
    t.clock.set('2025-09-30T10:00:00+08:00');
    await t.api('staff', { method: 'POST', url: '/staff/going-outs', payload: { reason: '外出办事', expectedReturnAt: '2025-09-30T11:00:00+08:00' } });
    const runner = createTimerRunner(t.ctx, timerHandlers(t.ctx));
    t.clock.set('2025-09-30T10:10:00+08:00');
    await runner.runDue();
    const gaps = (await t.api('manager', { method: 'GET', url: '/staff/gaps?month=2025-09' })).json();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ reason: 'out_without_cover', openedAt: '2025-09-30T10:00:00+08:00', closedAt: null });
  });
});

describe('leader inspections', () => {
  it('lists the departments whose leaders did not inspect their windows in the month', async () => {
    t.clock.set('2025-09-12T10:00:00+08:00');
    const none = (await t.api('manager', { method: 'GET', url: '/staff/inspections?month=2025-09' })).json();
    expect(none.notInspected.map((d: { name: string }) => d.name)).toEqual(['测试局']);
    const res = await t.api('leader', { method: 'POST', url: '/staff/inspections', payload: { findings: '窗口人员在岗，桌面整洁' } });
    expect(res.statusCode).toBe(201);
    const after = (await t.api('supervisor', { method: 'GET', url: '/staff/inspections?month=2025-09' })).json();
    expect(after.notInspected).toEqual([]);
    expect(after.inspections[0]).toMatchObject({ leaderName: '测试leader', windows: ['测试窗口'], findings: '窗口人员在岗，桌面整洁' });
    const foreign = await t.api('leader', { method: 'POST', url: '/staff/inspections', payload: { windowIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(foreign.statusCode).toBe(400);
    expect((await t.api('staff', { method: 'POST', url: '/staff/inspections', payload: {} })).statusCode).toBe(403);
  });
});

describe('registers and settings', () => {
  it('refuses bad input with 400 and writes nothing', async () => {
    await t.tokenFor('manager');
    const before = await t.counts();
    for (const payload of [{ kind: 'good_deed', occurredOn: '2025-09-31', title: '拾金不昧' }, { kind: 'gossip', occurredOn: '2025-09-03', title: 'x' }, { kind: 'good_deed', occurredOn: '2025-09-03', title: '' }]) {
      const res = await t.api('manager', { method: 'POST', url: '/staff/register', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const settings = await t.api('manager', { method: 'PUT', url: '/staff/settings', payload: { latePenalty: -1 } });
    expect(settings.statusCode).toBe(400);
    expect(await t.counts()).toEqual(before);
    const defaults = (await t.api('manager', { method: 'GET', url: '/staff/settings' })).json();
    expect(defaults).toMatchObject({ disciplineBase: 100, latePenalty: 1, missedSignPenalty: 2, offPostPenalty: 3, offPostMinutes: 15, halfDayAbsentPenalty: 5, extendedServiceMinutes: 30 });
    expect(defaults.assessment.blocks).toHaveLength(3);
    expect(defaults.assessment.blocks.flatMap((b: { items: unknown[] }) => b.items)).toHaveLength(14);
  });
});

describe('manual points on the assessment sheet', () => {
  it('takes the office’s points for a manual item with a reason, scores the window with them and audits it', async () => {
    const sheetOf = async () => (await t.api('manager', { method: 'GET', url: '/staff/assessment?month=2025-09' })).json();
    const before = (await sheetOf()).windows.find((w: { id: string }) => w.id === t.hall.windowId).score.total;
    const res = await t.api('manager', { method: 'PUT', url: '/staff/assessment/2025-09/points', payload: { subjectType: 'window', subjectId: t.hall.windowId, itemKey: 'skill', points: 6, note: '业务抽查两处差错' } });
    expect(res.statusCode).toBe(200);
    const after = await sheetOf();
    // 业务水平 is worth 10 and counts in full until the office scores it: 4 points fewer now.
    expect(after.windows.find((w: { id: string }) => w.id === t.hall.windowId).score.total).toBeCloseTo(before - 4, 2);
    expect(after.points).toEqual([{ subjectType: 'window', subjectId: t.hall.windowId, itemKey: 'skill', points: 6, note: '业务抽查两处差错' }]);
    const audit = await t.ctx.database.query<{ action: string; entity_id: string }>(`select action, entity_id from audit_events where action = 'assessment.points_set'`);
    expect(audit).toEqual([{ action: 'assessment.points_set', entity_id: t.hall.windowId }]);
  });

  it('refuses points without a reason, above the item’s maximum or on an item scored from data, changing nothing', async () => {
    await t.tokenFor('manager');
    await t.tokenFor('staff');
    const before = await t.counts();
    for (const payload of [
      { subjectType: 'window', subjectId: t.hall.windowId, itemKey: 'skill', points: 6, note: '  ' },
      { subjectType: 'window', subjectId: t.hall.windowId, itemKey: 'skill', points: 11, note: '超出满分' },
      { subjectType: 'window', subjectId: t.hall.windowId, itemKey: 'attendance', points: 5, note: '考勤由系统计分' },
    ]) {
      const res = await t.api('manager', { method: 'PUT', url: '/staff/assessment/2025-09/points', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const staffTry = await t.api('staff', { method: 'PUT', url: '/staff/assessment/2025-09/points', payload: { subjectType: 'window', subjectId: t.hall.windowId, itemKey: 'skill', points: 0, note: '自评' } });
    expect(staffTry.statusCode).toBe(403);
    expect(await t.counts()).toEqual(before);
  });
});
