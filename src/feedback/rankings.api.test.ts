import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../auth/roles.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { addUser, api, runTimers } from './test-helpers.js';

describe('the monthly 12345 red and black lists', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T09:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const intake = async (departmentId: string) => (await api(t, 'manager', { method: 'POST', url: '/appeals', payload: { type: 'help', content: '路灯不亮', appellantPhone: '13700001111', departmentId } })).json().id as string;
  const act = async (id: string, payload: Record<string, unknown>, role: Role | string = 'leader') => {
    const res = await api(t, role, { method: 'POST', url: `/appeals/${id}/actions`, payload });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('ranks units by the month’s appeal log and gives the lists as JSON and as a workbook', async () => {
    const mine = t.hall.departmentId;
    const other = t.hall.otherDepartmentId;
    await addUser(t, 'other.leader', ['leader'], other);
    // 测试局: two answered; one visited back very satisfied, one dissatisfied (sent back to redo); a third taken over after another unit returned it.
    for (const satisfaction of ['very_satisfied', 'dissatisfied']) {
      const id = await intake(mine);
      await act(id, { action: 'sign' });
      await act(id, { action: 'answer', answer: '已修复' });
      await act(id, { action: 'revisit', satisfaction }, 'manager');
    }
    const bounced = await intake(other);
    await act(bounced, { action: 'return', reason: '非本单位职责' }, 'other.leader');
    await act(bounced, { action: 'dispatch', departmentId: mine }, 'manager');
    await act(bounced, { action: 'sign' });
    // The other unit signs for one only after it was supervised for signing late, then answers well.
    const late = await intake(other);
    t.clock.set('2025-10-13T09:00:00+08:00');
    expect(await runTimers(t)).toBeGreaterThan(0);
    await act(late, { action: 'sign' }, 'other.leader');
    await act(late, { action: 'answer', answer: '已处理' }, 'other.leader');
    await act(late, { action: 'revisit', satisfaction: 'satisfied' }, 'manager');

    const res = await api(t, 'leader', { method: 'GET', url: '/feedback/appeal-rankings?month=2025-10' });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.weights).toEqual({ volume: 10, satisfaction: 30, onTimeSign: 15, returns: 10, redos: 10, onTimeClose: 25 });
    expect(r.units.map((u: { name: string; dispatched: number; lateSigns: number; returns: number; redos: number; satisfied: number; revisits: number; score: number }) => [u.name, u.dispatched, u.lateSigns, u.returns, u.redos, u.satisfied, u.revisits, u.score])).toEqual([
      // 10×2/3 + 30×1 + 15×1/2 + 10×1/2 + 10 + 25 = 84.2
      ['另一局', 2, 1, 1, 0, 1, 1, 84.2],
      // 10 + 30×1/2 + 15 + 10 + 10×2/3 + 25 = 81.7
      ['测试局', 3, 0, 0, 1, 1, 2, 81.7],
    ]);
    // Five a list by default: two units are both on the red list and none on the black.
    expect([r.red.length, r.black.length]).toEqual([2, 0]);

    // A hall of few units shows one a list.
    const settings = (await api(t, 'manager', { method: 'GET', url: '/feedback/settings' })).json();
    settings.appeal.ranking.listSize = 1;
    expect((await api(t, 'manager', { method: 'PUT', url: '/feedback/settings', payload: settings })).statusCode).toBe(200);
    const one = (await api(t, 'leader', { method: 'GET', url: '/feedback/appeal-rankings?month=2025-10' })).json();
    expect([one.red.map((u: { name: string }) => u.name), one.black.map((u: { name: string }) => u.name)]).toEqual([['另一局'], ['测试局']]);

    const file = await api(t, 'supervisor', { method: 'GET', url: '/feedback/appeal-rankings?month=2025-10&format=xlsx' });
    expect(file.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(file.headers['content-disposition']))).toContain('12345红黑榜-2025-10.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const values = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1));
    const lists = values('红黑榜');
    expect(lists[0]![0]).toContain('2025年10月 12345 诉求办理红黑榜');
    expect(lists).toContainEqual(['红榜（前 1 名）']);
    expect(lists).toContainEqual([1, '另一局', 84.2, 2, '100.0%', '50.0%', 1, 0, '100.0%']);
    expect(lists).toContainEqual([2, '测试局', 81.7, 3, '50.0%', '100.0%', 0, 1, '100.0%']);
    expect(values('评分权重')).toContainEqual(['满意率', 30]);

    // Another month is empty; staff cannot see the lists; a bad month is refused.
    expect((await api(t, 'leader', { method: 'GET', url: '/feedback/appeal-rankings?month=2025-09' })).json().units).toEqual([]);
    expect((await api(t, 'staff', { method: 'GET', url: '/feedback/appeal-rankings?month=2025-10' })).statusCode).toBe(403);
    expect((await api(t, 'leader', { method: 'GET', url: '/feedback/appeal-rankings?month=2025-1' })).statusCode).toBe(400);
  });
});
