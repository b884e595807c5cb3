import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('organisation pages in the browser', () => {
  it('lets the hall manager add a window for a department and a service, and shows it in the windows list', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'manager');
    // The sidebar's 组织管理 group, opened as a manager would (the menu grows as capabilities land).
    await page.locator('.el-sub-menu__title', { hasText: '组织管理' }).first().click();
    await page.getByRole('menuitem', { name: '窗口', exact: true }).first().click();
    await page.waitForURL(/\/staff\/org\/windows/);
    await page.getByRole('button', { name: '新增窗口' }).click();

    const dialog = page.getByRole('dialog', { name: '新增窗口' });
    await dialog.locator('input[name=name]').fill('不动产综合窗口');
    const department = dialog.locator('.el-form-item', { hasText: '所属部门' }).locator('.el-select');
    await department.click();
    const option = page.getByRole('option', { name: '不动产登记中心' });
    await option.waitFor({ state: 'visible' });
    await option.click();
    // Under load the dropdown may still be opening: the choice must show in the field before saving.
    await expect.poll(() => department.innerText()).toContain('不动产登记中心');
    const services = dialog.locator('.el-form-item', { hasText: '可办事项' }).locator('input');
    await services.fill('BDC-001');
    await services.press('Enter');
    await services.press('Tab');
    await dialog.getByRole('button', { name: '保存' }).click();

    const row = page.locator('.el-table__row', { hasText: '不动产综合窗口' });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('不动产登记中心');
    // The catalogue, once it exists, shows the service's name instead of its code.
    expect(text).toMatch(/BDC-001|国有建设用地使用权及房屋所有权转移登记/);
    expect(text).toContain('开放');
    expect(h.pageErrors).toEqual([]);
  });

  it('shows the public portal on a phone, and elder mode makes the text at least 20px and every target at least 60px', async () => {
    const page = await h.newPage(PHONE);
    await page.goto('/portal');
    await expect(page.locator('.portal-title').innerText()).resolves.toContain('政务服务中心');
    expect(await page.locator('a.entry').allInnerTexts()).toEqual([
      expect.stringContaining('办事指南'),
      expect.stringContaining('取号'),
      expect.stringContaining('网上申报'),
      expect.stringContaining('预约'),
      expect.stringContaining('办件查询'),
      expect.stringContaining('评价'),
      expect.stringContaining('投诉建议'),
    ]);

    await page.getByRole('button', { name: '大字版' }).click();
    await page.getByRole('button', { name: '标准版' }).waitFor();
    const measure = () =>
      page.evaluate(() => {
        const texts = [...document.querySelectorAll<HTMLElement>('.portal-main h1, .portal-main p, .entry strong, .entry small, .portal-footer p')];
        const targets = [...document.querySelectorAll<HTMLElement>('.portal a, .portal button')];
        return {
          smallestText: Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize))),
          tightestLineHeight: Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize))),
          smallestTarget: Math.min(...targets.map((e) => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height))),
          overflowsSideways: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
    const elder = await measure();
    expect(elder.smallestText).toBeGreaterThanOrEqual(20);
    expect(elder.tightestLineHeight).toBeGreaterThanOrEqual(1.3);
    expect(elder.smallestTarget).toBeGreaterThanOrEqual(60);
    expect(elder.overflowsSideways).toBe(false);

    // The choice stays on this phone.
    await page.reload();
    await page.getByRole('button', { name: '标准版' }).waitFor();
    expect((await measure()).smallestText).toBeGreaterThanOrEqual(20);
    expect(h.pageErrors).toEqual([]);
  });
});
