import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('catalogue pages in the browser', () => {
  it('on a phone: searches "出入境", opens the passport guide, and the printed notice lists every material', async () => {
    const page = await h.newPage(PHONE);
    await page.goto('/portal');
    await page.locator('a.entry[data-entry=guide]').click();
    await page.locator('input[name=q]').fill('出入境');
    await page.locator('input[name=q]').press('Enter');
    const results = page.getByTestId('service-result');
    await expect.poll(() => results.allInnerTexts()).toEqual([expect.stringContaining('普通护照签发'), expect.stringContaining('往来港澳通行证签发')]);

    await results.first().click();
    await page.getByRole('heading', { name: '普通护照签发' }).waitFor();
    const expected = (await (await h.app.inject({ method: 'GET', url: '/api/v1/services/GA-CRJ-001' })).json()).materials.map((m: { name: string }) => m.name) as string[];
    expect(expected.length).toBeGreaterThanOrEqual(5);
    for (const name of expected) await expect(page.getByTestId('guide-materials').innerText()).resolves.toContain(name);
    expect(await page.locator('body').innerText()).toContain('120元/本');

    await page.getByTestId('open-notice').click();
    await page.getByTestId('notice').waitFor();
    await page.emulateMedia({ media: 'print' });
    const rows = page.getByTestId('notice-materials').locator('tbody tr');
    expect(await rows.count()).toBe(expected.length);
    const printed = await page.getByTestId('notice-materials').innerText();
    for (const name of expected) expect(printed).toContain(name);
    // Printed, the notice is the whole page: no portal header, no buttons; the QR code is there.
    expect(await page.locator('.portal-header').isVisible()).toBe(false);
    expect(await page.getByTestId('print').isVisible()).toBe(false);
    expect(await page.getByTestId('notice-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    expect(h.pageErrors).toEqual([]);
  });

  it('lets the manager reorder a guide’s materials and publish it as a new version the public sees', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'manager');
    await page.goto('/staff/catalog/services');
    const row = page.locator('.el-table__row', { hasText: '林木采伐许可证核发' });
    await row.waitFor();
    expect(await row.innerText()).toContain('齐全');
    await row.getByRole('link', { name: '林木采伐许可证核发' }).click();

    await page.getByRole('tab', { name: '申请材料' }).click();
    const entries = page.getByTestId('material-entry');
    const before = await entries.locator('.entry-head input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    await entries.nth(0).getByRole('button', { name: '下移' }).click();
    await page.getByTestId('publish').click();
    await page.getByRole('dialog').getByRole('textbox').fill('调整材料顺序');
    await page.getByRole('dialog').getByRole('button', { name: '发布' }).click();
    await page.getByText('已发布第 2 版').waitFor();

    const guide = (await h.app.inject({ method: 'GET', url: '/api/v1/services/LY-001' })).json();
    expect(guide.currentGuideVersion).toBe(2);
    expect(guide.materials.map((m: { name: string }) => m.name).slice(0, 2)).toEqual([before[1], before[0]]);
    expect(h.pageErrors).toEqual([]);
  });

  it('shows the supervisor the review of all eight parts, department by department', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/catalog/completeness');
    await expect(page.getByTestId('review-totals').innerText()).resolves.toMatch(/齐全 \d+ 项，缺项 0 项/);
    expect(h.pageErrors).toEqual([]);
  });
});
