import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../auth/tables.js';
import { createTimerRunner } from '../jobs/timers.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.js';
import { generateMonth, seedReportHall, type GeneratedHall } from './test-month.js';

let t: TestApp;
let hall: GeneratedHall;
const MONTH = '2025-09';
const START = '2025-09-01T00:00:00+08:00';
const END = '2025-10-01T00:00:00+08:00';
const out = mkdtempSync(join(tmpdir(), 'onewindow-bulletin-'));

const one = async <T>(text: string, params: unknown[] = []) => (await t.database.query<T>(text, params))[0]!;

beforeAll(async () => {
  t = await createTestApp({ now: '2025-09-30T08:50:00+08:00' });
  const [model] = await t.ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'staff'));
  hall = await seedReportHall(t.ctx.db, t.hall.hallId, { departments: 3, windowsPerDepartment: 3, staffPerWindow: 2, passwordHash: model!.hash });
  await generateMonth(t.ctx.db, t.hall.hallId, hall, MONTH, 600);

  // Leave: two one-day leaves, a three-day one (with its stamped approval) and one rejected.
  const leave = async (userId: string, fromDate: string, toDate: string, decision: 'approve' | 'reject', kind = 'personal') => {
    const res = await t.api('manager', { method: 'POST', url: '/staff/leaves', payload: { kind, fromDate, toDate, userId } });
    expect(res.statusCode).toBe(201);
    if (res.json().requiresDocument) {
      const pdf = Buffer.from('%PDF-1.4\n%%EOF');
      await t.api('manager', { method: 'POST', url: `/staff/leaves/${res.json().id}/document?filename=approval.pdf`, payload: pdf, headers: { 'content-type': 'application/pdf' } });
    }
    expect((await t.api('manager', { method: 'POST', url: `/staff/leaves/${res.json().id}/${decision}`, payload: {} })).statusCode).toBe(200);
  };
  const [a, b, c] = hall.windows.map((w) => w.staffIds[0]!);
  await leave(a!, '2025-09-04', '2025-09-04', 'approve', 'sick');
  await leave(b!, '2025-09-10', '2025-09-12', 'approve');
  await leave(c!, '2025-09-15', '2025-09-15', 'approve', 'annual');
  await leave(c!, '2025-09-22', '2025-09-22', 'reject');

  // Going out twice, on the 30th (sessions expire after 12 hours, so the whole setup happens that day).
  t.clock.set('2025-09-30T08:55:00+08:00');
  await t.api('staff', { method: 'POST', url: '/staff/attendance/sign-in', payload: {} });
  for (const [out, back] of [['09:30', '10:00'], ['14:00', '14:40']]) {
    t.clock.set(`2025-09-30T${out}:00+08:00`);
    const g = await t.api('staff', { method: 'POST', url: '/staff/going-outs', payload: { reason: '送审', expectedReturnAt: `2025-09-30T${back}:00+08:00` } });
    expect(g.statusCode).toBe(201);
    t.clock.set(`2025-09-30T${back}:00+08:00`);
    await t.api('staff', { method: 'POST', url: `/staff/going-outs/${g.json().id}/return`, payload: {} });
  }

  // Registers: a leader visit, a media report, an information report, a good deed.
  for (const payload of [
    { kind: 'leader_visit', occurredOn: '2025-09-02', title: '县人大常委会副主任一行到中心大厅巡视', body: '对电子政务公开提出了意见' },
    { kind: 'media_report', occurredOn: '2025-09-08', title: '《湖北日报》刊发《服务群众的“最后一公里”》' },
    { kind: 'info_report', occurredOn: '2025-09-09', title: '出入境窗口工作简报', windowId: hall.windows[0]!.id },
    { kind: 'good_deed', occurredOn: '2025-09-18', title: '拾得户口本主动寄还失主', userIds: [a] },
  ]) {
    expect((await t.api('manager', { method: 'POST', url: '/staff/register', payload })).statusCode).toBe(201);
  }
  t.clock.set('2025-09-30T18:00:00+08:00');
  // Awards: the manager confirms the three best-scored staff as 服务标兵 and the top department as 红旗窗口.
  const sheetRes = await t.api("manager", { method: "GET", url: `/staff/assessment?month=${MONTH}` });
  if (sheetRes.statusCode !== 200) throw new Error(sheetRes.body);
  const sheet = sheetRes.json();
  const models = sheet.proposals.service_model.slice(0, 3).map((p: { subjectId: string }) => p.subjectId);
  expect((await t.api('manager', { method: 'POST', url: `/staff/assessment/${MONTH}/awards`, payload: { kind: 'service_model', subjectIds: models } })).statusCode).toBe(201);
  const flag = sheet.proposals.red_flag[0].subjectId;
  expect((await t.api('manager', { method: 'POST', url: `/staff/assessment/${MONTH}/awards`, payload: { kind: 'red_flag', subjectIds: [flag] } })).statusCode).toBe(201);
  await t.api('manager', {
    method: 'PUT',
    url: `/reports/monthly/${MONTH}/texts`,
    payload: { issueNo: '9', problems: '1.AB角制度落实不到位。\n2.巡查签到执行率过低。', nextSteps: '1.开展年度评先活动。' },
  });
}, 120_000);
afterAll(async () => t?.close());

describe('the monthly bulletin', () => {
  it('has every figure equal to an independent count in the database', async () => {
    const res = await t.api('leader', { method: 'GET', url: `/reports/monthly?month=${MONTH}` });
    expect(res.statusCode).toBe(200);
    const b = res.json();
    const count = (where: string) => one<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE hall_id = $1 AND ${where}`, [t.hall.hallId, START, END]).then((r) => Number(r.n));
    const finished = `finished_at >= $2 AND finished_at < $3 AND status IN ('completed', 'delivered')`;
    expect(b.casesAccepted).toBe(await count('accepted_at >= $2 AND accepted_at < $3'));
    expect(b.casesFinished).toBe(await count(finished));
    expect(b.immediate).toBe(await count(`${finished} AND accepted_kind = 'immediate'`));
    expect(b.promised).toBe(await count(`${finished} AND accepted_kind IN ('promised', 'joint')`));
    expect(b.immediate + b.promised).toBe(b.casesFinished);
    expect(b.casesAccepted).toBeGreaterThan(500);
    // 网上可办率 over the published items, and cases received in the month split by how they came in.
    const items = await one<{ n: number; online: number }>(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE online_applicable))::int AS online FROM services WHERE hall_id = $1 AND current_guide_version IS NOT NULL`, [t.hall.hallId]);
    expect(b.online).toMatchObject({ items: items.n, onlineItems: items.online, cases: await count('received_at >= $2 AND received_at < $3'), onlineCases: 0 });

    const top = await t.database.query<{ name: string; n: number }>(
      `SELECT w.name, count(*)::int AS n FROM cases c JOIN windows w ON w.id = c.window_id
       WHERE c.hall_id = $1 AND c.accepted_at >= $2 AND c.accepted_at < $3 GROUP BY w.name, w.number ORDER BY n DESC, w.number LIMIT 5`,
      [t.hall.hallId, START, END],
    );
    expect(b.topWindows.map((w: { windowName: string; cases: number }) => [w.windowName, w.cases])).toEqual(top.map((r) => [r.name, Number(r.n)]));

    const onTime = await one<{ on_time: number; with_deadline: number }>(
      `SELECT count(*) FILTER (WHERE finished_at <= deadline_at)::int AS on_time, count(deadline_at)::int AS with_deadline FROM cases WHERE hall_id = $1 AND ${finished}`,
      [t.hall.hallId, START, END],
    );
    expect(b.onTimeRate).toBe(Math.round((onTime.on_time / onTime.with_deadline) * 10_000) / 10_000);
    expect(b.onTimeRate).toBeLessThan(1);
    const sat = await one<{ good: number; n: number }>(
      `SELECT count(*) FILTER (WHERE grade IN ('very_satisfied', 'satisfied'))::int AS good, count(*)::int AS n FROM ratings
       WHERE hall_id = $1 AND NOT excluded AND coalesce(served_at, rated_at) >= $2 AND coalesce(served_at, rated_at) < $3`,
      [t.hall.hallId, START, END],
    );
    expect(b.satisfaction).toBe(Math.round((sat.good / sat.n) * 10_000) / 10_000);

    const consult = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets t WHERE t.hall_id = $1 AND t.finished_at >= $2 AND t.finished_at < $3 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.ticket_id = t.id)`,
      [t.hall.hallId, START, END],
    );
    expect(b.consultations).toBe(Number(consult.n));
    const idle = await t.database.query<{ name: string }>(
      `SELECT w.name FROM windows w WHERE w.hall_id = $1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.window_id = w.id AND c.accepted_at >= $2 AND c.accepted_at < $3) ORDER BY w.number`,
      [t.hall.hallId, START, END],
    );
    expect(b.windowsWithoutCases.map((w: { windowName: string }) => w.windowName)).toEqual(idle.map((r) => r.name));

    const leave = await one<{ times: number; days: string }>(
      `SELECT count(*)::int AS times, sum(days) AS days FROM leave_requests WHERE hall_id = $1 AND status = 'approved' AND from_date <= '2025-09-30' AND to_date >= '2025-09-01'`,
      [t.hall.hallId],
    );
    expect(b.attendance.leaveTimes).toBe(leave.times);
    expect(b.attendance.leaveDays).toBe(Number(leave.days));
    expect([b.attendance.leaveTimes, b.attendance.leaveDays]).toEqual([3, 5]);
    const outs = await one<{ n: number }>(`SELECT count(*)::int AS n FROM going_outs WHERE hall_id = $1 AND local_date BETWEEN '2025-09-01' AND '2025-09-30'`, [t.hall.hallId]);
    expect(b.attendance.goingOuts).toBe(outs.n);

    const awards = await t.database.query<{ kind: string; name: string }>(`SELECT kind, name FROM awards WHERE hall_id = $1 AND month = $2 ORDER BY confirmed_at, name`, [t.hall.hallId, MONTH]);
    expect(b.awards.service_model.map((a: { name: string }) => a.name).sort()).toEqual(awards.filter((a) => a.kind === 'service_model').map((a) => a.name).sort());
    expect(b.awards.red_flag.map((a: { name: string }) => a.name)).toEqual(awards.filter((a) => a.kind === 'red_flag').map((a) => a.name));
    expect(b.awards.service_model).toHaveLength(3);

    // Every section of the Suixian bulletin is there, in its order, with the written parts.
    const headings = b.sections.map((s: { heading: string }) => s.heading).filter(Boolean);
    expect(headings).toEqual(['一、运行情况', '（一）窗口工作', '1.业务受理。', '2.信息报送。', '3.领导督办。', '4.媒体报道。', '（二）窗口人员', '1.考勤记录。', '2.好人好事。', '3.巡查签到。', '4.AB角补位。', '5.延时服务。', '（三）投诉、留言情况', '二、量化评比', '三、存在问题', '四、下步工作打算及要求']);
    const text = b.sections.flatMap((s: { paragraphs: string[] }) => s.paragraphs).join('\n');
    expect(text).toContain(`共受理业务办件${b.casesAccepted}件，办结${b.casesFinished}件，其中，即办件${b.immediate}件，承诺件${b.promised}件`);
    expect(text).toContain('请事假、病假、公休3人次，合计5天');
    expect(text).toContain('外出办事登记2次');
    expect(text).toContain('本月未收到投诉及留言。');
    expect(text).toContain('2.巡查签到执行率过低。');
    expect(text).toContain('拾得户口本主动寄还失主');
  });

  it('prints an A4 PDF whose Chinese text is real text, and an .xlsx whose tables read back', async () => {
    const pdf = await t.api('manager', { method: 'GET', url: `/reports/monthly?month=${MONTH}&format=pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = join(out, 'bulletin.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    expect(text).toContain('9月份窗口工作情况通报');
    expect(text).toContain('测试政务服务中心');
    expect(text).toContain('二、量化评比');
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);

    const xlsx = await t.api('manager', { method: 'GET', url: `/reports/monthly?month=${MONTH}&format=xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['通报', '概况', '受理前五名', '各窗口业务', '各部门业务', '登记事项', '考勤', '量化评比']);
    const b = (await t.api('manager', { method: 'GET', url: `/reports/monthly?month=${MONTH}` })).json();
    const windowsSheet = wb.getWorksheet('各窗口业务')!;
    expect(windowsSheet.rowCount).toBe(b.windows.length + 2);
    expect(windowsSheet.getRow(windowsSheet.rowCount).values).toEqual([undefined, '合计', '', b.casesAccepted, b.casesFinished, b.consultations]);
    const top = wb.getWorksheet('受理前五名')!;
    expect(top.getRow(2).values).toEqual([undefined, 1, b.topWindows[0].windowName, b.topWindows[0].departmentName, b.topWindows[0].cases]);
    writeFileSync(join(out, 'bulletin.xlsx'), xlsx.rawPayload);
  });

  it('gives the year in figures and the dashboard, and refuses bad input with 400 and no change', async () => {
    const year = (await t.api('supervisor', { method: 'GET', url: '/reports/yearly?year=2025' })).json();
    const sep = year.months.find((m: { month: string }) => m.month === MONTH);
    const b = (await t.api('manager', { method: 'GET', url: `/reports/monthly?month=${MONTH}` })).json();
    expect(sep).toMatchObject({ casesAccepted: b.casesAccepted, casesFinished: b.casesFinished, onTimeRate: b.onTimeRate, satisfaction: b.satisfaction });
    expect(year.casesAccepted).toBe(b.casesAccepted);

    const dash = (await t.api('manager', { method: 'GET', url: '/reports/dashboard?from=2025-09-01&to=2025-09-30' })).json();
    const perDay = dash.casesPerDay.series.reduce((a: number, s: { data: number[] }) => a + s.data.reduce((x, y) => x + y, 0), 0);
    expect(perDay).toBe(b.casesAccepted);
    expect(dash.onTime.total).toBe(b.onTimeRate);
    expect(dash.heatmap.reduce((a: number, c: number[]) => a + c[2]!, 0)).toBeGreaterThan(600);

    await t.tokenFor('staff');
    const before = await t.counts();
    for (const url of ['/reports/monthly?month=2025-13', '/reports/monthly?month=2025-09&format=doc', '/reports/dashboard?from=2025-09-30&to=2025-09-01', '/reports/dashboard?from=2025-01-01&to=2025-12-31', '/reports/yearly?year=abc']) {
      const res = await t.api('manager', { method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const long = await t.api('manager', { method: 'PUT', url: `/reports/monthly/${MONTH}/texts`, payload: { problems: 'x'.repeat(10_001) } });
    expect(long.statusCode).toBe(400);
    expect((await t.api('staff', { method: 'GET', url: `/reports/monthly?month=${MONTH}` })).statusCode).toBe(403);
    expect(await t.counts()).toEqual(before);

    // Satisfaction comes from day counts a trigger keeps: equal to the ratings themselves, and a review
    // excluded on appeal (or restored) moves the panel at once, not the next night.
    const direct = await one<{ n: number; good: number }>(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE grade IN ('very_satisfied', 'satisfied')))::int AS good FROM ratings WHERE NOT excluded AND coalesce(served_at, rated_at) >= $1 AND coalesce(served_at, rated_at) < $2`,
      [START, END],
    );
    expect(direct.n).toBeGreaterThan(50);
    expect(dash.satisfaction).toMatchObject({ ratings: direct.n, total: Math.round((direct.good / direct.n) * 10_000) / 10_000 });
    const satisfaction = async () => (await t.api('manager', { method: 'GET', url: '/reports/dashboard?from=2025-09-01&to=2025-09-30' })).json().satisfaction;
    const { id } = await one<{ id: string }>(
      `SELECT id FROM ratings WHERE grade = 'very_satisfied' AND NOT excluded AND coalesce(served_at, rated_at) >= $1 AND coalesce(served_at, rated_at) < $2 ORDER BY id LIMIT 1`,
      [START, END],
    );
    await t.database.query(`UPDATE ratings SET excluded = true WHERE id = $1`, [id]);
    expect(await satisfaction()).toMatchObject({ ratings: direct.n - 1, total: Math.round(((direct.good - 1) / (direct.n - 1)) * 10_000) / 10_000 });
    await t.database.query(`UPDATE ratings SET excluded = false WHERE id = $1`, [id]);
    expect((await satisfaction()).ratings).toBe(direct.n);
  });

  it('builds each closed day once at night, and the roll-up equals the live figures', async () => {
    const live = (await t.api('manager', { method: 'GET', url: `/reports/monthly?month=${MONTH}` })).json();
    // The 30th was read live; at 01:00 on 1 October the nightly job builds it.
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM report_days WHERE local_date = '2025-09-30'`)).toEqual({ n: 0 });
    t.clock.set('2025-10-01T01:05:00+08:00');
    expect(await createTimerRunner(t.ctx, timerHandlers(t.ctx)).runDue()).toBeGreaterThanOrEqual(1);
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM report_days WHERE local_date = '2025-09-30'`)).toEqual({ n: 1 });
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM extended_service_days WHERE local_date = '2025-09-30'`)).toEqual({ n: 1 });
    const pending = await t.database.query<{ due_at: Date }>(`SELECT due_at FROM timers WHERE kind = 'reports.nightly' AND fired_at IS NULL`);
    expect(pending.map((p) => new Date(p.due_at).toISOString())).toEqual(['2025-10-01T17:00:00.000Z']);
    // A new session: the morning's has expired overnight.
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: TEST_PASSWORD } });
    const rolled = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/monthly?month=${MONTH}`, headers: { authorization: `Bearer ${login.json().token}` } })).json();
    for (const key of ['casesAccepted', 'casesFinished', 'immediate', 'promised', 'onTimeRate', 'consultations', 'topWindows', 'windows']) expect(rolled[key], key).toEqual(live[key]);
  });
});
