// The queue's manager pages (web/src/pages/queue/SettingsPage.vue, StatsPage.vue). They were written with
// the appointments work, and the queue's own folder belongs to another engineer, so their test lives here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../calendar/index.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

const SHOTS = '/tmp/shots';

let h: BrowserHarness;
const tokens: Record<string, string> = {};
const api = async (username: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
  if (!tokens[username]) {
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
    tokens[username] = login.json().token as string;
  }
  return h.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${tokens[username]}` } });
};

beforeAll(async () => {
  h = await startBrowserHarness();
  // Open the demo hall all day, today included, whatever the hour or holiday the test runs on.
  const allDay = [['00:00', '24:00']];
  expect((await api('manager', 'PUT', '/hall/hours', { workday: allDay, weekend: allDay, ticketCutoffMinutes: 0 })).statusCode).toBe(200);
  expect((await api('manager', 'PUT', `/calendar/days/${localDate(Date.now())}`, { workday: true, name: '浏览器测试' })).statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

describe('queue manager pages', () => {
  it('a manager changes the queue settings and finds them kept after a reload', async () => {
    const page = await h.newPage();
    await h.loginAs(page, 'manager');
    await page.goto('/staff/queue/settings');
    const recall = page.locator('[data-test="recall-limit"] input');
    await expect.poll(() => recall.inputValue()).toBe('2');
    await recall.fill('4');
    await recall.blur();
    // Put 涉老优先 first.
    await page.getByRole('button', { name: '上移 涉老优先' }).click();
    await page.getByRole('radio', { name: '连续上限' }).click({ force: true });
    const cap = page.getByRole('spinbutton', { name: '普通护照签发 每日上限（个）' });
    await cap.fill('80');
    await cap.blur();
    await page.locator('[data-test="save"]').click();
    await page.getByText('已保存').waitFor();

    await page.reload();
    await expect.poll(() => recall.inputValue()).toBe('4');
    expect(await page.locator('[data-test="priority-order"] .name').allInnerTexts()).toEqual(['涉老优先', '绿色通道', '预约', '普通']);
    expect(await page.getByRole('radio', { name: '连续上限' }).isChecked()).toBe(true);
    expect(await cap.inputValue()).toBe('80');
    const saved = (await api('manager', 'GET', '/queue/settings')).json();
    expect(saved).toMatchObject({ recallLimit: 4, priorityOrder: ['elderly', 'green', 'appointment', 'normal'], guard: { kind: 'maxInRow' }, dailyCaps: { 'GA-CRJ-001': 80 } });
    await h.screenshot(page, `${SHOTS}/queue-settings.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('the stats page shows figures for tickets taken and served today', async () => {
    const taken = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', payload: { serviceCode: 'GA-CRJ-001', channel: 'kiosk' } });
      expect(res.statusCode).toBe(201);
      taken.push(res.json());
    }
    const windows = (await api('manager', 'GET', '/windows')).json() as { id: string; number: number }[];
    const window2 = windows.find((w) => w.number === 2)!;
    for (let i = 0; i < 2; i++) {
      const called = await api('xuxianni', 'POST', `/windows/${window2.id}/call-next`);
      expect(called.statusCode).toBe(200);
      expect((await api('xuxianni', 'POST', `/tickets/${called.json().id}/start`)).statusCode).toBe(200);
      expect((await api('xuxianni', 'POST', `/tickets/${called.json().id}/complete`)).statusCode).toBe(200);
    }

    const page = await h.newPage();
    await h.loginAs(page, 'manager');
    await page.goto('/staff/queue/stats');
    await expect.poll(() => page.locator('[data-test="total-tickets"]').innerText()).toBe('3');
    expect(await page.locator('[data-test="total-served"]').innerText()).toBe('2');
    const row = page.locator('[data-test="byService"] .el-table__row', { hasText: '普通护照签发' }).first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/普通护照签发\s+3\s+2/);
    await page.locator('.chart canvas').waitFor();
    await page.getByRole('tab', { name: '按人员' }).click();
    await page.getByText('徐显妮').waitFor();
    await h.screenshot(page, `${SHOTS}/queue-stats.png`);
    expect(h.pageErrors).toEqual([]);
  });
});
