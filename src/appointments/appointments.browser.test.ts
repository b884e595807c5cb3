import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../calendar/index.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';
import { testIdNumber } from './test-helpers.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
  // The harness runs on the real clock: open the hall all day, today a working day, slots bookable up to
  // their start, so the next slot is always within the check-in margin whatever the hour.
  const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: DEMO_PASSWORD } });
  const headers = { authorization: `Bearer ${login.json().token as string}` };
  const allDay = [['00:00', '24:00']];
  expect((await h.app.inject({ method: 'PUT', url: '/api/v1/hall/hours', headers, payload: { workday: allDay, weekend: allDay, ticketCutoffMinutes: 0 } })).statusCode).toBe(200);
  for (const day of [localDate(Date.now()), localDate(Date.now() + 86_400_000)]) {
    expect((await h.app.inject({ method: 'PUT', url: `/api/v1/calendar/days/${day}`, headers, payload: { workday: true, name: '浏览器测试' } })).statusCode).toBe(200);
  }
  const settings = await h.app.inject({ method: 'GET', url: '/api/v1/appointments/settings', headers });
  const put = await h.app.inject({ method: 'PUT', url: '/api/v1/appointments/settings', headers, payload: { ...(settings.json() as object), sameDayCutoffMinutes: 0 } });
  expect(put.statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

describe('appointment pages in the browser', () => {
  it('books the next slot on a phone, then checks in at the kiosk and gets a ticket number', async () => {
    // The next slot may be just after midnight, on tomorrow's date.
    let day = localDate(Date.now());
    let slots = (await h.app.inject({ method: 'GET', url: `/api/v1/services/GA-CRJ-001/slots?date=${day}` })).json() as { start: string }[];
    if (slots.length === 0) {
      day = localDate(Date.now() + 86_400_000);
      slots = (await h.app.inject({ method: 'GET', url: `/api/v1/services/GA-CRJ-001/slots?date=${day}` })).json();
    }
    const slot = slots[0]!;

    const phone = await h.newPage(PHONE);
    await phone.goto('/portal/appointments');
    await phone.locator('[data-service="GA-CRJ-001"]').click();
    await phone.locator(`[data-day="${day}"]`).click();
    await phone.locator(`[data-slot="${slot.start}"]`).click();
    await phone.locator('input[name="name"]').fill('王小明');
    await phone.locator('input[name="idNumber"]').fill(testIdNumber(7));
    await phone.locator('input[name="phone"]').fill('13912345678');
    await phone.getByRole('button', { name: '确认预约' }).click();
    const code = await phone.getByTestId('booking-code').innerText();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(await phone.getByTestId('confirmation').locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // Nothing wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const kiosk = await h.newPage(DESKTOP);
    await kiosk.goto('/kiosk/check-in');
    await kiosk.locator('input[name="code"]').fill(code);
    await kiosk.locator('input[name="idNumber"]').fill(testIdNumber(7));
    await kiosk.getByRole('button', { name: '签到取号' }).click();
    expect(await kiosk.getByTestId('ticket-number').innerText()).toMatch(/^A\d{3}$/);
    expect(h.pageErrors).toEqual([]);
  });
});
