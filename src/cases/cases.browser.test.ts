import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi } from '../testing/demo-api.js';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  await h?.close();
});

const PERSON = { name: '刘德华', idNumber: '11010519491231002X', phone: '13812345678' };

const apiAs = (username: string) => demoApi(h.app, username);

describe('cases in the browser', () => {
  it('on a phone: the applicant finds the case by number, sees the detail with the last four digits, in elder mode too', async () => {
    // 林业窗口 receives a 林木采伐许可证 application with everything, then posts the result.
    const staff = await apiAs('liujing');
    const checklist = (await staff.get('/cases/checklist/LY-001')).json();
    const created = await staff.post('/cases', {
      serviceCode: 'LY-001',
      applicant: PERSON,
      materials: checklist.materials.map((m: { id: string }) => m.id),
      delivery: { method: 'post', address: '随县厉山镇神农大道 1 号' },
    });
    expect(created.statusCode).toBe(201);
    const caseNumber = created.json().caseNumber as string;
    expect(caseNumber).toMatch(/^SUIXIAN-\d{8}-\d{5}$/);

    const page = await h.newPage(PHONE);
    await page.goto('/portal/cases');
    await page.locator('input[name=caseNumber]').fill(caseNumber.toLowerCase());
    await page.getByRole('button', { name: '查 询' }).click();
    const result = page.getByTestId('case-result');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain('林木采伐许可证核发');
    expect(text).toContain('林业局');
    expect(text).toContain('刘**');
    expect(text).not.toContain('办理记录');

    await page.locator('input[name=idLast4]').fill('002x');
    await page.getByRole('button', { name: '查 询' }).click();
    await expect.poll(() => result.innerText()).toContain('办理记录');
    const detail = await result.innerText();
    expect(detail).toContain('受理');
    expect(detail).toContain('1101**********002X');
    // Nothing on the page gives away the whole ID number or phone.
    const body = await page.locator('body').innerText();
    expect(body).not.toContain(PERSON.idNumber);
    expect(body).not.toContain(PERSON.phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await h.screenshot(page, '/tmp/shots/cases-progress-phone.png');

    await page.getByTestId('elder-toggle').click();
    await expect.poll(() => page.locator('.portal').getAttribute('class')).toContain('elder');
    const sizes = await page.evaluate(() => {
      const input = document.querySelector('input[name=caseNumber]')!;
      const button = document.querySelector('form.query button')!;
      return {
        font: parseFloat(getComputedStyle(input).fontSize),
        button: button.getBoundingClientRect().height,
        text: parseFloat(getComputedStyle(document.querySelector('.facts dd')!).fontSize),
      };
    });
    // The 2021 elder-friendly spec: main text at least 18 px, touch targets at least 60 px.
    expect(sizes.font).toBeGreaterThanOrEqual(18);
    expect(sizes.text).toBeGreaterThanOrEqual(18);
    expect(sizes.button).toBeGreaterThanOrEqual(60);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await h.screenshot(page, '/tmp/shots/cases-progress-phone-elder.png');

    // The link in the SMS and on the notice opens the case directly; an unknown number says so plainly.
    const direct = await h.newPage(PHONE);
    await direct.goto(`/portal/cases?no=${caseNumber}`);
    await direct.getByTestId('case-result').waitFor();
    await direct.locator('input[name=caseNumber]').fill('SUIXIAN-20000101-00001');
    await direct.getByRole('button', { name: '查 询' }).click();
    await expect.poll(() => direct.getByRole('alert').innerText()).toContain('没有查到该办件');
    expect(h.pageErrors).toEqual([]);
  });

  it('at the window: receives with the checklist, the missing material makes a 补办件, and the leader sees it on the board', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'liujing');
    await page.goto('/staff/cases/desk');
    await page.getByTestId('service').click();
    await page.getByRole('option', { name: /林木采伐许可证核发/ }).click();
    const checklist = page.getByTestId('checklist');
    await checklist.waitFor();
    const boxes = checklist.locator('[data-material]');
    const total = await boxes.count();
    expect(total).toBeGreaterThanOrEqual(2);
    // Everything handed in but the first material.
    for (let i = 1; i < total; i++) await boxes.nth(i).click();
    await page.locator('input[name=applicantName]').fill(PERSON.name);
    await page.locator('input[name=idNumber]').fill(PERSON.idNumber);
    await page.locator('input[name=phone]').fill(PERSON.phone);
    await h.screenshot(page, '/tmp/shots/cases-desk.png');
    await page.getByTestId('submit').click();
    const done = page.getByTestId('case-created');
    await done.waitFor();
    expect(await done.innerText()).toContain('补办件');
    expect(await done.innerText()).toContain('打印 办件通知书');
    await h.screenshot(page, '/tmp/shots/cases-desk-created.png');
    const caseNumber = /SUIXIAN-\d{8}-\d{5}/.exec(await done.innerText())![0];

    await page.getByRole('link', { name: '查看办件' }).click();
    await page.getByTestId('status').waitFor();
    expect(await page.getByTestId('status').innerText()).toBe('待补齐材料');
    await page.locator('[data-action=supplement]').click();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('办理中');
    expect(await page.locator('.el-timeline').innerText()).toContain('补齐材料');
    await h.screenshot(page, '/tmp/shots/cases-page.png');

    const leader = await h.newPage(DESKTOP);
    await h.loginAs(leader, 'manager');
    await leader.goto('/staff/cases/supervision');
    await leader.locator('.tiles').waitFor();
    await expect.poll(() => leader.locator('.el-table').last().innerText()).toContain(caseNumber);
    await h.screenshot(leader, '/tmp/shots/cases-supervision.png');
    await leader.goto('/staff/cases/board');
    await leader.locator('.tiles').waitFor();
    await h.screenshot(leader, '/tmp/shots/cases-board.png');
    expect(h.pageErrors).toEqual([]);
  });

  it('lets a manager keep personal data for fewer years from the case settings page', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'manager');
    await page.goto('/staff/cases/settings');
    const years = page.getByTestId('case-setting-retentionYears').locator('input');
    await years.waitFor();
    expect(await years.inputValue()).toBe('30');
    expect(await page.locator('.el-alert').innerText()).toContain('不可恢复');
    await years.fill('10');
    await years.blur();
    await page.getByTestId('save-case-settings').click();
    await page.locator('.el-message--success').waitFor();
    const manager = await apiAs('manager');
    expect((await manager.get('/cases/settings')).json().retentionYears).toBe(10);
    await h.screenshot(page, '/tmp/shots/cases-settings.png');
    expect(h.pageErrors).toEqual([]);
  });
});
