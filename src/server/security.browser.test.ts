import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

// The Content-Security-Policy must not break the pages people use: a refused script, style or image
// shows up as a console message and usually as a blank or unstyled page.
describe('pages under the security headers', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('render the portal, kiosk, hall display, staff home and API docs with no policy violation', async () => {
    const violations: string[] = [];
    const watch = async (viewport?: { width: number; height: number }) => {
      const page = await h.newPage(viewport);
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
      });
      return page;
    };
    const shots = join(tmpdir(), 'onewindow-csp');

    const portal = await watch(PHONE);
    await portal.goto('/portal');
    await portal.getByText('取号').first().waitFor();
    await h.screenshot(portal, join(shots, 'portal.png'));

    const kiosk = await watch();
    await kiosk.goto('/kiosk');
    await kiosk.waitForLoadState('networkidle');
    await h.screenshot(kiosk, join(shots, 'kiosk.png'));

    const display = await watch();
    await display.goto('/display');
    await display.waitForTimeout(1500);
    await h.screenshot(display, join(shots, 'display.png'));

    const staff = await watch();
    await h.loginAs(staff, 'manager');
    await staff.waitForLoadState('networkidle');
    await h.screenshot(staff, join(shots, 'staff.png'));

    const docs = await watch();
    await docs.goto('/api/docs');
    await docs.locator('.swagger-ui .info').waitFor();
    await h.screenshot(docs, join(shots, 'docs.png'));

    expect(violations).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
