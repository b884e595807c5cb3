import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { DESKTOP, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  await h?.close();
});

const api = async (token: string, method: 'POST' | 'PUT', url: string, payload: object) => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
  return res.json();
};

describe('the hall switcher in the staff header', () => {
  it('lets the county supervisor granted a township choose it, shows its name, and remembers the choice', async () => {
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: DEMO_PASSWORD } });
    const token = login.json().token as string;
    const [county] = await h.database.query<{ code: string }>(`SELECT code FROM halls WHERE parent_id IS NULL`);
    await api(token, 'POST', '/org/halls', { parentCode: county!.code, code: 'LSZ', name: '厉山镇为民服务中心', level: 'township' });
    const [supervisor] = await h.database.query<{ id: string }>(`SELECT id FROM users WHERE username = 'supervisor'`);
    await api(token, 'PUT', `/org/halls/LSZ/staff/${supervisor!.id}`, { roles: ['supervisor', 'leader'] });

    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    const switcher = page.locator('.hall-switch');
    await expect.poll(() => switcher.innerText()).toContain('随县');
    await switcher.click();
    const option = page.getByRole('option', { name: /厉山镇为民服务中心/ });
    await expect.poll(() => option.innerText()).toContain('部门负责人');
    await h.screenshot(page, '/tmp/shots/hall-switcher-open.png');
    await option.click();
    await page.waitForLoadState('load');
    await expect.poll(() => switcher.innerText()).toContain('厉山镇为民服务中心');
    await h.screenshot(page, '/tmp/shots/hall-switcher.png');
    // A new visit in the same browser acts in the township again.
    await page.reload();
    await expect.poll(() => switcher.innerText()).toContain('厉山镇为民服务中心');
    expect(h.pageErrors).toEqual([]);
  });
});
