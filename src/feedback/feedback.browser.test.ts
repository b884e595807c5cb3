import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant } from '../calendar/zone.js';
import { DESKTOP, PHONE, TABLET, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';
import { demoApi } from '../testing/demo-api.js';

let h: BrowserHarness;
const SHOTS = '/tmp/shots/feedback';

const apiAs = (username: string) => demoApi(h.app, username);

/** The demo hall's 户政窗口 (window 3) serves a ticket and finishes it; returns its id and number. */
async function servedTicket(): Promise<{ id: string; number: string; windowId: string }> {
  const staff = await apiAs('liaotianzi');
  const windows = (await staff.get('/pads')).json() as { id: string; number: number }[];
  const windowId = windows.find((w) => w.number === 3)!.id;
  const taken = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', payload: { serviceCode: 'GA-HZ-001', channel: 'kiosk' } });
  expect(taken.statusCode, taken.body).toBe(201);
  const called = await staff.post(`/windows/${windowId}/call-next`);
  expect(called.statusCode, called.body).toBe(200);
  expect((await staff.post(`/tickets/${called.json().id}/complete`)).statusCode).toBe(200);
  return { id: called.json().id, number: called.json().number, windowId };
}

beforeAll(async () => {
  h = await startBrowserHarness();
  // Tests run at any hour on the real clock: the demo hall opens round the clock, today included.
  const admin = await apiAs('admin');
  const today = formatInstant(Date.now()).slice(0, 10);
  expect((await admin.put('/hall/hours', { workday: [['00:00', '24:00']], weekend: [['00:00', '24:00']], ticketCutoffMinutes: 0 })).statusCode).toBe(200);
  expect((await admin.put(`/calendar/days/${today}`, { workday: true, name: '浏览器测试' })).statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

describe('feedback pages in the browser', () => {
  it('on a phone: rates a ticket from its QR code as 非常不满意 with reasons and a call-back number, in elder mode too', async () => {
    const ticket = await servedTicket();
    const page = await h.newPage(PHONE);
    await page.goto(`/portal/rate?ticket=${ticket.id}`);
    const subject = page.getByTestId('rate-subject');
    await subject.waitFor();
    expect(await subject.innerText()).toContain(ticket.number);
    expect(await subject.innerText()).toContain('居民身份证换领');
    await h.screenshot(page, `${SHOTS}/rate-phone.png`);

    await page.getByTestId('elder-toggle').click();
    const worst = page.locator('button[data-grade=very_dissatisfied]');
    // Elder mode: touch targets of at least 60 px and text of at least 18 px.
    const box = await worst.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(60);
    expect(await worst.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);
    await worst.click();
    await page.getByRole('button', { name: '等候太久' }).click();
    await page.locator('textarea[name=comment]').fill('排队一个多小时，窗口只开了一个');
    await page.locator('input[name=phone]').fill('13912345678');
    await h.screenshot(page, `${SHOTS}/rate-phone-elder.png`);
    await page.getByTestId('submit-rating').click();
    const thanks = page.getByTestId('rate-thanks');
    await thanks.waitFor();
    expect(await thanks.innerText()).toContain('非常不满意');
    expect(await thanks.innerText()).toContain('督查部门');
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await h.screenshot(page, `${SHOTS}/rate-phone-thanks.png`);

    const supervisor = await apiAs('supervisor');
    const followups = (await supervisor.get('/followups?status=open')).json();
    expect(followups).toEqual([expect.objectContaining({ status: 'to_verify', rating: expect.objectContaining({ grade: 'very_dissatisfied', raterPhone: '13912345678', tags: ['等候太久'] }) })]);
    // Opening the same QR code again: already rated, no second rating.
    await page.reload();
    await page.getByTestId('rate-closed').waitFor();
    expect(await page.getByTestId('rate-closed').innerText()).toContain('已评价');
    expect(h.pageErrors).toEqual([]);
  });

  it('shows the supervisor the follow-up board with its light, and verifies a review from the drawer', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/feedback/followups');
    const row = page.locator('.followup-row').first();
    await row.waitFor();
    expect(await row.innerText()).toContain('非常不满意');
    expect(await row.locator('[data-light]').getAttribute('data-light')).toMatch(/green|reminder|yellow|red/);
    await h.screenshot(page, `${SHOTS}/followup-board.png`);
    await row.click();
    await page.getByRole('dialog').getByText('排队一个多小时').waitFor();
    await page.getByRole('dialog').locator('textarea').last().fill('电话回访属实：当天户政窗口一人在岗');
    await page.getByTestId('followup-submit').click();
    await page.getByRole('dialog').getByText('整改中').first().waitFor();
    await h.screenshot(page, `${SHOTS}/followup-drawer.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('on the window’s tablet pad: offers the ticket just finished and takes the visitor’s rating with one tap', async () => {
    const page = await h.newPage(TABLET);
    await h.loginAs(page, 'liaotianzi');
    const staff = await apiAs('liaotianzi');
    const windowId = ((await staff.get('/pads')).json() as { id: string; number: number }[]).find((w) => w.number === 3)!.id;
    await page.goto(`/pad/${windowId}`);
    await page.getByTestId('pad-idle').waitFor();
    await h.screenshot(page, `${SHOTS}/pad-idle.png`);
    const ticket = await servedTicket();
    await page.getByTestId('pad-ticket').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('pad-ticket').innerText()).toContain(ticket.number);
    await h.screenshot(page, `${SHOTS}/pad-ticket.png`);
    await page.locator('button[data-grade=very_satisfied]').click();
    await page.getByTestId('pad-thanks').waitFor();
    const rated = (await (await apiAs('supervisor')).get('/ratings')).json() as { label: string; channel: string; grade: string }[];
    expect(rated.find((r) => r.label === ticket.number)).toMatchObject({ channel: 'pad', grade: 'very_satisfied' });
    expect(h.pageErrors).toEqual([]);
  });

  it('draws the indicators with ECharts', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/feedback/indicators');
    await page.getByTestId('indicator-totals').waitFor();
    await expect.poll(() => page.locator('[data-testid=indicator-chart] canvas').count()).toBeGreaterThan(0);
    const totals = await page.getByTestId('indicator-totals').innerText();
    expect(totals).toContain('满意率');
    // Two visits served and rated today: one 非常不满意, one 非常满意.
    expect(totals).toContain('50.0%');
    await h.screenshot(page, `${SHOTS}/indicators.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('shows the complaint and appeal desks, and the department’s inbox', async () => {
    const manager = await apiAs('manager');
    const depts = (await manager.get('/departments')).json() as { id: string; name: string }[];
    const police = depts.find((d) => d.name === '公安局')!.id;
    expect((await manager.post('/appeals', { type: 'help', content: '户籍窗口门前台阶破损，老人进出不便', appellantName: '陈六', appellantPhone: '13600002222', departmentId: police, level: 'community' })).statusCode).toBe(201);
    expect((await manager.post('/complaints', { channel: 'phone', complainantName: '欧阳娜娜', complainantPhone: '13700003333', content: '出入境窗口午休提前关窗' })).statusCode).toBe(201);

    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/feedback/complaints');
    await page.getByText('出入境窗口午休提前关窗').waitFor();
    // The supervisor sees who complained.
    expect(await page.locator('body').innerText()).toContain('欧阳娜娜');
    await h.screenshot(page, `${SHOTS}/complaints.png`);
    await page.goto('/staff/feedback/appeals');
    await page.getByText('户籍窗口门前台阶破损').click();
    await page.getByTestId('appeal-history').waitFor();
    await h.screenshot(page, `${SHOTS}/appeal-desk.png`);

    const leader = await h.newPage(DESKTOP);
    await h.loginAs(leader, 'leader.police');
    await leader.goto('/staff/feedback/inbox');
    await leader.getByText('户籍窗口门前台阶破损').waitFor();
    expect(await leader.getByTestId('inbox-summary').innerText()).toContain('待签收 1 件');
    await h.screenshot(leader, `${SHOTS}/inbox.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('shows the petition register with a group visit flagged, and the suggestion ledger', async () => {
    const manager = await apiAs('manager');
    expect((await manager.post('/petitions', { name: '孙七', sex: 'male', age: 56, issue: '宅基地确权登记迟迟未办', visitors: 6 })).statusCode).toBe(201);
    expect((await manager.post('/suggestions', { source: 'box', content: '希望在等候区增加老年人座椅' })).statusCode).toBe(201);
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/feedback/petitions');
    await page.getByText('群体访 6 人').waitFor();
    await h.screenshot(page, `${SHOTS}/petitions.png`);
    await page.goto('/staff/feedback/suggestions');
    await page.getByText('希望在等候区增加老年人座椅').waitFor();
    expect(await page.getByTestId('missed-days').innerText()).toContain('未登记开箱');
    await h.screenshot(page, `${SHOTS}/suggestions.png`);
    expect(h.pageErrors).toEqual([]);
  });
  it('lets the window staff see their ratings and file an appeal against a bad review; the manager sees the time limits', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'liaotianzi');
    await page.goto('/staff/feedback/ratings');
    await page.getByText('排队一个多小时，窗口只开了一个').waitFor();
    await page.getByRole('button', { name: '申诉复核' }).click();
    await page.getByRole('dialog').locator('textarea').fill('当日系统故障导致排队，非窗口人员原因');
    await page.getByRole('dialog').getByRole('button', { name: '提 交' }).click();
    await page.getByText('待复核').waitFor();
    await h.screenshot(page, `${SHOTS}/ratings-staff.png`);

    const manager = await h.newPage(DESKTOP);
    await h.loginAs(manager, 'manager');
    await manager.goto('/staff/feedback/settings');
    await manager.getByText('7 日未评价默认基本满意（广东规则）').waitFor();
    await h.screenshot(manager, `${SHOTS}/settings.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('on a phone: a citizen files an appeal without an account, gets its number and finds it masked', async () => {
    const page = await h.newPage(PHONE);
    await page.goto('/portal/appeal');
    await page.getByRole('button', { name: '求助' }).click();
    await page.locator('textarea[name=content]').fill('小区门口路灯坏了一周，晚上出行不便');
    await page.locator('input[name=appellantName]').fill('赵小青');
    await page.locator('input[name=appellantPhone]').fill('1371234');
    await page.getByTestId('appeal-submit').click();
    expect(await page.getByRole('alert').innerText()).toContain('手机号码');
    await page.locator('input[name=appellantPhone]').fill('13712345678');
    await page.getByTestId('appeal-submit').click();
    const receipt = page.getByTestId('appeal-receipt');
    await receipt.waitFor();
    const number = /SQ\d+/.exec(await receipt.innerText())![0];
    await page.locator('input[name=last4]').fill('5678');
    await page.getByTestId('appeal-query').click();
    const status = await page.getByTestId('appeal-status').innerText();
    expect(status).toContain('已受理待派发');
    expect(status).toContain('137****5678');
    expect(status).not.toContain('赵小青');
    // The desk has it from the web.
    const desk = (await (await apiAs('manager')).get('/appeals')).json() as { number: string; source: string }[];
    expect(desk.find((a) => a.number === number)?.source).toBe('web');
    await h.screenshot(page, `${SHOTS}/public-appeal.png`);
    expect(h.pageErrors).toEqual([]);
  });
});
