import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../calendar/index.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
  // The harness runs on the real clock: open the demo hall all day, today included, so the test does
  // not depend on the hour or the holiday it runs on.
  const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: DEMO_PASSWORD } });
  const headers = { authorization: `Bearer ${login.json().token as string}` };
  const allDay = [['00:00', '24:00']];
  const hours = await h.app.inject({ method: 'PUT', url: '/api/v1/hall/hours', headers, payload: { workday: allDay, weekend: allDay, ticketCutoffMinutes: 0 } });
  expect(hours.statusCode).toBe(200);
  const today = localDate(Date.now());
  const day = await h.app.inject({ method: 'PUT', url: `/api/v1/calendar/days/${today}`, headers, payload: { workday: true, name: '浏览器测试' } });
  expect(day.statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

describe('queue pages in the browser', () => {
  it('takes a ticket at the kiosk, a window calls it from its console, and the hall display shows the call', async () => {
    const display = await h.newPage(DESKTOP);
    await display.goto('/display');
    await display.locator('[data-window="2"]').waitFor();

    const kiosk = await h.newPage(DESKTOP);
    // A kiosk prints the ticket; headless chromium has no printer to wait for.
    await kiosk.addInitScript(() => {
      window.print = () => {};
    });
    await kiosk.goto('/kiosk');
    await kiosk.getByRole('button', { name: '公安局' }).click();
    await kiosk.locator('[data-service="GA-CRJ-001"]').click();
    const ticket = kiosk.getByTestId('kiosk-ticket');
    await ticket.waitFor();
    expect(await ticket.locator('.big-number').innerText()).toBe('A001');
    expect(await ticket.innerText()).toContain('普通护照签发');
    expect(await ticket.innerText()).toContain('前面还有 0 人');
    expect(await ticket.locator('img.qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);

    // A second visitor takes a number on the phone and watches it live.
    const phone = await h.newPage(PHONE);
    await phone.goto('/portal/ticket');
    await phone.locator('[data-service="GA-CRJ-001"]').click();
    await phone.waitForURL(/\/portal\/ticket\/[0-9a-f-]{36}$/);
    const mine = phone.getByTestId('my-ticket');
    await expect.poll(() => mine.innerText()).toContain('A002');
    expect(await mine.innerText()).toContain('前面还有 1 人');

    const staff = await h.newPage(DESKTOP);
    await h.loginAs(staff, 'xuxianni');
    await staff.goto('/staff/my-window');
    await staff.getByRole('button', { name: '叫下一位' }).click();
    const current = staff.getByTestId('console-current');
    await expect.poll(() => current.innerText()).toContain('A001');

    const board = display.getByTestId('display-current');
    await expect.poll(() => board.innerText(), { timeout: 10_000 }).toContain('A001');
    expect(await board.innerText()).toContain('请 A001 号到 2 号窗口办理');
    await expect.poll(() => display.locator('[data-window="2"]').innerText()).toContain('A001');
    // The phone moved up: nobody ahead any more.
    await expect.poll(() => mine.innerText(), { timeout: 10_000 }).toContain('前面还有 0 人');

    await staff.getByRole('button', { name: '办结' }).click();
    await staff.getByRole('button', { name: '叫下一位' }).click();
    await expect.poll(() => mine.innerText(), { timeout: 10_000 }).toContain('请到 2 号窗口');
    await expect.poll(() => board.innerText(), { timeout: 10_000 }).toContain('A002');
    expect(h.pageErrors).toEqual([]);
  });
});
