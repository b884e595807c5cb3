import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { localDate } from '../calendar/index.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';
import { testIdNumber } from './test-helpers.js';

const SHOTS = '/tmp/shots';
const ITEM = 'GA-CRJ-001';

let h: BrowserHarness;
let headers: { authorization: string };
beforeAll(async () => {
  h = await startBrowserHarness();
  // The harness runs on the real clock: open the hall all day, today a working day, slots bookable up to
  // their start and changeable up to it, so the next slot is always within the check-in margin whatever
  // the hour.
  const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: DEMO_PASSWORD } });
  headers = { authorization: `Bearer ${login.json().token as string}` };
  const allDay = [['00:00', '24:00']];
  expect((await h.app.inject({ method: 'PUT', url: '/api/v1/hall/hours', headers, payload: { workday: allDay, weekend: allDay, ticketCutoffMinutes: 0 } })).statusCode).toBe(200);
  for (const day of [localDate(Date.now()), localDate(Date.now() + 86_400_000)]) {
    expect((await h.app.inject({ method: 'PUT', url: `/api/v1/calendar/days/${day}`, headers, payload: { workday: true, name: '浏览器测试' } })).statusCode).toBe(200);
  }
  const settings = await h.app.inject({ method: 'GET', url: '/api/v1/appointments/settings', headers });
  const put = await h.app.inject({ method: 'PUT', url: '/api/v1/appointments/settings', headers, payload: { ...(settings.json() as object), sameDayCutoffMinutes: 0, cancelCutoffMinutes: 0 } });
  expect(put.statusCode).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

/** The next two slots with a free place (the next may be just after midnight, on tomorrow's date). */
async function nextSlots(): Promise<{ day: string; start: string }[]> {
  const out: { day: string; start: string }[] = [];
  for (const day of [localDate(Date.now()), localDate(Date.now() + 86_400_000)]) {
    const slots = (await h.app.inject({ method: 'GET', url: `/api/v1/services/${ITEM}/slots?date=${day}` })).json() as { start: string; remaining: number }[];
    out.push(...slots.filter((s) => s.remaining > 0).map((s) => ({ day, start: s.start })));
  }
  return out.slice(0, 2);
}

async function bookOnPhone(page: Page, slot: { day: string; start: string }, person: { name: string; idNumber: string }, channel?: string) {
  await page.goto('/portal/appointments');
  await page.locator(`[data-service="${ITEM}"]`).click();
  await page.locator(`[data-day="${slot.day}"]`).click();
  await page.locator(`[data-slot="${slot.start}"]`).click();
  await page.locator('input[name="name"]').fill(person.name);
  await page.locator('input[name="idNumber"]').fill(person.idNumber);
  await page.locator('input[name="phone"]').fill('13912345678');
  if (channel) await page.locator(`input[name="channel"][value="${channel}"]`).check();
  await page.getByRole('button', { name: '确认预约' }).click();
  return page.getByTestId('booking-code').innerText();
}

describe('appointment pages in the browser', () => {
  it('books an elderly green-channel slot on a phone, then checks in at the kiosk to an elderly-priority ticket', async () => {
    const [slot] = await nextSlots();
    const elder = { name: '王老伯', idNumber: testIdNumber(7, '19500301') };
    const phone = await h.newPage(PHONE);
    const code = await bookOnPhone(phone, slot!, elder, 'elderly');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(await phone.getByTestId('channel').innerText()).toBe('涉老优先');
    expect(await phone.getByTestId('confirmation').locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // Nothing wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const kiosk = await h.newPage(DESKTOP);
    await kiosk.goto('/kiosk/check-in');
    await kiosk.locator('input[name="code"]').fill(code);
    await kiosk.locator('input[name="idNumber"]').fill(elder.idNumber);
    await kiosk.getByRole('button', { name: '签到取号' }).click();
    expect(await kiosk.getByTestId('ticket-number').innerText()).toMatch(/^A\d{3}$/);
    expect(await kiosk.getByTestId('ticket-class').innerText()).toBe('涉老优先');
    expect(h.pageErrors).toEqual([]);
  });

  it('moves a booking to another time from the confirmation page (改约)', async () => {
    const [first, second] = await nextSlots();
    const person = { name: '李小红', idNumber: testIdNumber(8) };
    const phone = await h.newPage(PHONE);
    const code = await bookOnPhone(phone, first!, person);
    await phone.getByRole('link', { name: '需要改时间？去改约' }).click();
    expect(await phone.locator('input[name="code"]').inputValue()).toBe(code);
    await phone.locator('input[name="idNumber"]').fill(person.idNumber);
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.getByRole('button', { name: '改约' }).click();
    await phone.getByTestId('reschedule').locator(`[data-day="${second!.day}"]`).click();
    // The booking's own time is not offered as a new one.
    await phone.getByTestId('reschedule').locator(`[data-slot="${second!.start}"]`).click();
    expect(await phone.getByTestId('reschedule').locator(`[data-slot="${first!.start}"]`).count()).toBe(0);
    await phone.getByRole('button', { name: /^确认改到/ }).click();
    const when = second!.start.slice(0, 16).replace('T', ' ');
    await phone.getByRole('status').waitFor();
    expect(await phone.getByRole('status').innerText()).toContain(when);
    expect(await phone.getByTestId('booking-time').innerText()).toBe(when);
    await h.screenshot(phone, `${SHOTS}/appointments-rescheduled.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('in elder mode (大字版) the booking page on a phone has large text and targets and fits the screen', async () => {
    const phone = await h.newPage(PHONE);
    await phone.goto('/portal/appointments');
    await phone.getByTestId('elder-toggle').click();
    await phone.locator(`[data-service="${ITEM}"]`).click();
    const [slot] = await nextSlots();
    await phone.locator(`[data-day="${slot!.day}"]`).click();
    await phone.locator(`[data-slot="${slot!.start}"]`).click();
    await phone.locator('input[name="name"]').waitFor();
    for (const selector of [`[data-service="${ITEM}"]`, `[data-day="${slot!.day}"]`, `[data-slot="${slot!.start}"]`, 'input[name="idNumber"]', '.channel']) {
      const box = await phone.locator(selector).first().boundingBox();
      expect(box!.height, selector).toBeGreaterThanOrEqual(60);
      const size = await phone.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size, selector).toBeGreaterThanOrEqual(18);
    }
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // What the person sees on the screen at the details step.
    await phone.locator('.channels').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/appointments-elder-phone.png` });
    // Release the place the page holds.
    await phone.close();
  });

  it('a manager assigns a home visit, and it shows on that staff member’s list', async () => {
    const [slot] = await nextSlots();
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: { serviceCode: ITEM, start: slot!.start, name: '赵奶奶', idNumber: testIdNumber(9, '19380502'), phone: '13712345678', channel: 'home_visit', address: '随县厉山镇神农村 3 组 12 号' },
    });
    expect(booked.statusCode, booked.body).toBe(201);

    const manager = await h.newPage(DESKTOP);
    await h.loginAs(manager, 'manager');
    await manager.goto(`/staff/home-visits`);
    await manager.locator('.el-date-editor input').fill(slot!.day);
    await manager.locator('.el-date-editor input').press('Enter');
    const row = manager.getByTestId('home-visits').locator('.el-table__row', { hasText: '赵奶奶' });
    await row.locator('.el-select').click();
    await manager.locator('.el-select-dropdown__item', { hasText: '徐显妮' }).click();
    await manager.getByText('已派给 徐显妮').waitFor();
    await h.screenshot(manager, `${SHOTS}/appointments-home-visits.png`);

    const staff = await h.newPage(DESKTOP);
    await h.loginAs(staff, 'xuxianni');
    await staff.goto(`/staff/home-visits`);
    await staff.locator('.el-date-editor input').fill(slot!.day);
    await staff.locator('.el-date-editor input').press('Enter');
    const mine = staff.getByTestId('home-visits').locator('.el-table__row', { hasText: '赵奶奶' });
    await mine.waitFor();
    expect(await mine.innerText()).toContain('随县厉山镇神农村 3 组 12 号');
    expect(h.pageErrors).toEqual([]);
  });

  it('books the pick-up of a finished case’s result on a phone from the completion SMS’s link', async () => {
    // 户政窗口 receives a passport application with everything and finishes it: the result waits at the window.
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'liaotianzi', password: DEMO_PASSWORD } });
    const staff = { authorization: `Bearer ${login.json().token as string}` };
    const checklist = (await h.app.inject({ method: 'GET', url: `/api/v1/cases/checklist/${ITEM}`, headers: staff })).json();
    const idNumber = testIdNumber(31);
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: staff,
      payload: { serviceCode: ITEM, applicant: { name: '周领取', idNumber, phone: '13912345678' }, materials: checklist.materials.map((m: { id: string }) => m.id) },
    });
    expect(created.statusCode, created.body).toBe(201);
    const caseNumber = created.json().caseNumber as string;
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/cases/${caseNumber}/actions`, headers: staff, payload: { action: 'complete', result: '准予签发' } })).statusCode).toBe(200);
    const [slot] = await nextSlots();

    const page = await h.newPage(PHONE);
    await page.goto(`/portal/pickup?no=${caseNumber}`);
    await page.locator('input[name="idNumber"]').fill(idNumber);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('pickup-case').getByText('普通护照签发').waitFor();
    await page.locator(`[data-day="${slot!.day}"]`).click();
    await page.locator(`[data-slot="${slot!.start}"]`).click();
    await h.screenshot(page, `${SHOTS}/appointments-pickup.png`);
    await page.getByRole('button', { name: /^预约 .* 领取$/ }).click();
    const code = await page.getByTestId('booking-code').innerText();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await h.screenshot(page, `${SHOTS}/appointments-pickup-done.png`);
    // The booking is linked to the case: looking the case up again shows it.
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/appointments/pickups/lookup', payload: { caseNumber, idNumber } });
    expect(again.json().booking).toMatchObject({ code, start: slot!.start });
    expect(h.pageErrors).toEqual([]);
  });
});
