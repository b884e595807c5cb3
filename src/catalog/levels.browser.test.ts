import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
let token: string;
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
};
const shots = join(tmpdir(), 'onewindow-shots', 'catalog-levels');

// The demo county 随县 with township 万和镇 (stations 一村, 二村) and 殷店镇; 居民身份证换领 (GA-HZ-001)
// taken in at 万和镇's stations and decided at the township.
beforeAll(async () => {
  h = await startBrowserHarness();
  token = (await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'manager', password: DEMO_PASSWORD } })).json().token;
  for (const payload of [
    { parentCode: 'SUIXIAN', code: 'WHZ', name: '万和镇为民服务中心', level: 'township', address: '随县万和镇人民路 8 号', phone: '0722-4001234' },
    { parentCode: 'SUIXIAN', code: 'YDZ', name: '殷店镇为民服务中心', level: 'township', address: '随县殷店镇新街 2 号' },
    { parentCode: 'WHZ', code: 'WHC1', name: '万和镇一村便民服务站', level: 'village', address: '随县万和镇一村村委会', phone: '0722-4005678' },
    { parentCode: 'WHZ', code: 'WHC2', name: '万和镇二村便民服务站', level: 'village', address: '随县万和镇二村村委会' },
  ]) await call('POST', '/org/halls', payload);
  const item = (await call('GET', '/catalog/levels?hall=WHZ')).items.find((i: { code: string }) => i.code === 'GA-HZ-001');
  await call('POST', '/catalog/levels/bulk', { under: 'WHZ', level: 'village', serviceIds: [item.serviceId], mode: 'forward' });
  await call('PUT', '/catalog/levels/WHZ', { items: [{ serviceId: item.serviceId, mode: 'decide' }] });
});
afterAll(async () => {
  await h?.close();
});

describe('the catalogue per level in the browser', () => {
  it('on a phone in elder mode: a villager picks 万和镇 and 一村 and reads where to hand in 身份证换领 and who decides it', async () => {
    const page = await h.newPage(PHONE);
    await page.goto('/portal/services/GA-HZ-001');
    await page.getByTestId('elder-toggle').click();
    await page.getByTestId('where-panel').waitFor();
    await page.getByTestId('where-select-0').selectOption('WHZ');
    await page.getByTestId('where-select-1').selectOption('WHC1');
    const answer = page.getByTestId('where-answer');
    await expect.poll(() => answer.innerText()).toContain('本事项可在万和镇一村便民服务站收件，由万和镇为民服务中心办理');
    expect(await answer.innerText()).toContain('0722-4005678');
    await h.screenshot(page, join(shots, 'portal-where-phone-elder.png'));
    await page.getByTestId('where-panel').screenshot({ path: join(shots, 'portal-where-panel-elder.png') });
    // Elder mode: the picker is a big target, and nothing is wider than the phone.
    expect((await page.getByTestId('where-select-1').boundingBox())!.height).toBeGreaterThanOrEqual(59);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);

    // By address: 殷店镇 takes nothing in, so the county centre.
    await page.getByTestId('where-address').fill('殷店镇新街');
    await page.getByTestId('where-address').press('Enter');
    await expect.poll(() => answer.innerText()).toContain('按地址匹配到：殷店镇为民服务中心');
    expect(await answer.innerText()).toContain('本事项可在随县政务服务中心办理');
    expect(h.pageErrors).toEqual([]);
  }, 150_000);

  it('lets the manager set a station to only guide an item, and the public guide then sends the villager to the township', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'manager');
    await page.goto('/staff/catalog/levels?hall=WHC2');
    const select = page.getByTestId('mode-GA-HZ-001');
    await expect.poll(() => select.innerText()).toContain('收件转报');
    await select.click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '咨询/代办' }).click();
    await page.getByText('已保存').first().waitFor();
    await h.screenshot(page, join(shots, 'staff-levels.png'));
    const row = page.locator('.el-table__row', { hasText: 'GA-HZ-001' });
    expect(await row.innerText()).toContain('万和镇为民服务中心');

    const portal = await h.newPage(PHONE);
    await portal.goto('/portal/services/GA-HZ-001');
    await portal.getByTestId('where-select-0').selectOption('WHZ');
    await portal.getByTestId('where-select-1').selectOption('WHC2');
    await expect.poll(() => portal.getByTestId('where-answer').innerText()).toContain('万和镇二村便民服务站可提供咨询、代办；本事项可在万和镇为民服务中心办理');
    await h.screenshot(portal, join(shots, 'portal-where-phone.png'));
    await portal.getByTestId('where-panel').screenshot({ path: join(shots, 'portal-where-panel.png') });
    expect(h.pageErrors).toEqual([]);
  }, 150_000);

  it('copies the township’s catalogue to a station from the network page: what the township decides the station takes in', async () => {
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'manager');
    await page.goto('/staff/org/network');
    await page.locator('.el-tree-node__content', { hasText: '万和镇二村便民服务站' }).getByRole('button', { name: '复制上级设置' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('分级目录（事项办理方式）').click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').first().waitFor();
    const item = (await call('GET', '/catalog/levels?hall=WHC2')).items.find((i: { code: string }) => i.code === 'GA-HZ-001');
    expect(item).toMatchObject({ mode: 'forward', decidedBy: { code: 'WHZ' } });
    expect(h.pageErrors).toEqual([]);
  }, 150_000);
});
