import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

const SHOTS = '/tmp/shots';

describe('staff and report pages', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  async function tokenFor(username: string): Promise<string> {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
    return res.json().token as string;
  }

  it('renders the monthly bulletin with every section and the manager’s own text', async () => {
    const token = await tokenFor('manager');
    const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const put = (url: string, payload: object, method: 'PUT' | 'POST' = 'PUT') => h.app.inject({ method, url: `/api/v1${url}`, payload, headers: { authorization: `Bearer ${token}` } });
    expect((await put(`/reports/monthly/${month}/texts`, { problems: '1.AB角制度落实不到位。', nextSteps: '1.开展年度评先活动。' })).statusCode).toBe(200);
    expect((await put('/staff/register', { kind: 'media_report', occurredOn: `${month}-01`, title: '《随州日报》报道中心延时服务' }, 'POST')).statusCode).toBe(201);

    const page = await h.newPage();
    await h.loginAs(page, 'manager');
    await page.goto('/staff/reports/bulletin');
    await page.locator('.paper .title').waitFor();
    expect(await page.locator('.paper .title').innerText()).toBe(`${Number(month.slice(5))}月份窗口工作情况通报`);
    expect(await page.locator('.paper .hall').innerText()).toBe('随县政务服务中心');
    const headings = await page.locator('.paper h3').allInnerTexts();
    expect(headings).toEqual(['一、运行情况', '二、量化评比', '三、存在问题', '四、下步工作打算及要求']);
    const text = await page.locator('.paper').innerText();
    expect(text).toContain('1.AB角制度落实不到位。');
    expect(text).toContain('《随州日报》报道中心延时服务');
    expect(text).toContain('本月未收到投诉及留言。');
    await h.screenshot(page, `${SHOTS}/reports-bulletin.png`);

    await page.goto('/staff/reports/dashboard');
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.chart').count()).toBe(6);
    await h.screenshot(page, `${SHOTS}/reports-dashboard.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('lets a window staff member sign in at the console, and the manager see it', async () => {
    const page = await h.newPage();
    await h.loginAs(page, 'wangxiaoman');
    await page.goto('/staff/my-attendance');
    await page.locator('[data-test=sign-in]').click();
    await page.locator('[data-test=sign-out]').waitFor();
    expect(await page.locator('.state').innerText()).toContain('已签到（发改窗口）');
    await h.screenshot(page, `${SHOTS}/staff-console.png`);

    const manager = await h.newPage();
    await h.loginAs(manager, 'manager');
    for (const path of ['attendance', 'backups', 'inspections', 'register', 'assessment']) {
      await manager.goto(`/staff/staff/${path}`);
      await manager.locator('.page-head h2').waitFor();
      await manager.waitForLoadState('networkidle');
      await h.screenshot(manager, `${SHOTS}/staff-${path}.png`);
    }
    await manager.goto('/staff/staff/attendance');
    await manager.getByText('王小曼').first().waitFor();
    expect(h.pageErrors).toEqual([]);
  }, 180_000);

  it('lets the office enter manual points with a reason on the assessment sheet, and lists them', async () => {
    const page = await h.newPage();
    await h.loginAs(page, 'manager');
    await page.goto('/staff/staff/assessment');
    await page.getByRole('tab', { name: '人工评分' }).click();
    await page.locator('.el-select', { has: page.getByRole('combobox', { name: '考核对象' }) }).click();
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await page.locator('.el-select', { has: page.getByRole('combobox', { name: '评分项目' }) }).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '业务水平' }).click();
    const save = page.getByRole('button', { name: '保存评分' });
    expect(await save.isDisabled()).toBe(true);
    await page.getByRole('spinbutton', { name: '得分' }).fill('7');
    await page.getByRole('textbox', { name: '理由' }).fill('业务抽查发现两处差错');
    await save.click();
    await page.getByText('评分已保存').waitFor();
    const row = page.locator('.el-table__row', { hasText: '业务抽查发现两处差错' });
    await row.waitFor();
    expect(await row.innerText()).toContain('业务水平');
    expect(await row.innerText()).toContain('7');
    await h.screenshot(page, `${SHOTS}/staff-assessment-points.png`);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('shows the hall network as a tree and adds a township centre under the county', async () => {
    const page = await h.newPage();
    await h.loginAs(page, 'manager');
    await page.goto('/staff/org/network');
    const county = page.locator('.el-tree-node__content', { hasText: '随县政务服务中心' });
    await county.getByRole('button', { name: '新建下级' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('万和镇为民服务中心');
    await dialog.getByLabel('中心编码').fill('WANHE');
    await dialog.getByRole('button', { name: '保存' }).click();
    const township = page.locator('.el-tree-node__content', { hasText: '万和镇为民服务中心' });
    await township.waitFor();
    expect(await township.innerText()).toContain('乡镇街道');
    await h.screenshot(page, `${SHOTS}/org-network.png`);
    expect(h.pageErrors).toEqual([]);
  });
});
