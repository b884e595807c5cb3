import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

describe('working calendar page', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('shows a year with holidays and make-up days, and lets the manager close a day', async () => {
    const page = await h.newPage();
    await h.loginAs(page, 'manager');
    await page.goto('/staff/calendar');
    // Go to 2025 whatever the current year, with the previous/next buttons as a manager would.
    const shown = async () => Number((await page.locator('.year').innerText()).replace(/\D/g, ''));
    await page.locator('.year').waitFor();
    while ((await shown()) > 2025) {
      await page.getByRole('button', { name: '上一年' }).click();
      await page.waitForTimeout(150);
    }
    while ((await shown()) < 2025) {
      await page.getByRole('button', { name: '下一年' }).click();
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.locator('[data-date="2025-10-01"]').getAttribute('class')).toContain('holiday');
    expect(await page.locator('[data-date="2025-10-11"]').getAttribute('class')).toContain('makeup');
    await h.screenshot(page, '/tmp/shots/calendar-2025.png');

    await page.locator('[data-date="2025-10-09"]').click();
    await page.getByPlaceholder('例如：县城停电、春节调休上班').fill('县城停电');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('[data-date="2025-10-09"]').getAttribute('class')).toContain('overridden');
    expect(await page.locator('[data-date="2025-10-09"]').getAttribute('class')).toContain('holiday');
    expect(h.pageErrors).toEqual([]);
  });
});
