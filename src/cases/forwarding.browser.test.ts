import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.js';
import { users } from '../auth/tables.js';
import { hallCatalog, services } from '../catalog/tables.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { halls } from '../org/tables.js';
import { demoApi } from '../testing/demo-api.js';
import { DESKTOP, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  await h?.close();
});

const apiAs = (username: string) => demoApi(h.app, username);

describe('a case sent up from a village station, in the browser', () => {
  it('the county’s forestry window finds it in its inbox, signs for it, and the case page shows the route; the county sees the station’s agents', async () => {
    // 随县 with 厉山镇 and its 神农村 station, which takes 林木采伐许可证 applications in for the county.
    const admin = await apiAs('admin');
    for (const payload of [
      { parentCode: 'SUIXIAN', code: 'LSZ', name: '厉山镇为民服务中心', level: 'township' },
      { parentCode: 'LSZ', code: 'SNC', name: '神农村便民服务站', level: 'village' },
    ]) {
      expect((await admin.post('/org/halls', payload)).statusCode).toBe(201);
    }
    const db = h.database.db;
    const [station] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, 'SNC'));
    const [county] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, 'SUIXIAN'));
    const [item] = await db.select({ id: services.id }).from(services).where(and(eq(services.hallId, county!.id), eq(services.code, 'LY-001')));
    await db.insert(hallCatalog).values({ hallId: station!.id, serviceId: item!.id, mode: 'forward' });
    await db.insert(users).values({ hallId: station!.id, username: 'cunzhan', displayName: '村站王芳', passwordHash: await hashPassword(DEMO_PASSWORD), roles: ['staff'] });

    const village = await apiAs('cunzhan');
    const checklist = (await village.get('/cases/checklist/LY-001')).json();
    const agent = (await admin.post('/agents', { hall: 'SNC', name: '张代办', phone: '13900001111' })).json();
    const created = await village.post('/cases', {
      serviceCode: 'LY-001',
      applicant: { name: '刘德华', idNumber: '11010519491231002X', phone: '13812345678' },
      materials: checklist.materials.map((m: { id: string }) => m.id),
      agentId: agent.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const caseNumber = created.json().caseNumber as string;
    expect(caseNumber).toMatch(/^SNC-/);

    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'liujing');
    await page.goto('/staff/cases/inbox');
    const inbox = page.getByTestId('inbox');
    await expect.poll(() => inbox.innerText()).toContain(caseNumber);
    expect(await inbox.innerText()).toContain('神农村便民服务站');
    expect(await inbox.innerText()).toContain('待上级中心签收');
    await h.screenshot(page, '/tmp/shots/cases-inbox.png');

    await page.getByRole('link', { name: caseNumber }).click();
    await page.getByTestId('route').waitFor();
    expect(await page.getByTestId('route').innerText()).toContain('神农村便民服务站 → 随县政务服务中心');
    await page.locator('[data-action=sign]').click();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('已收件');
    await page.locator('[data-action=accept]').click();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('办理中');
    const route = await page.getByTestId('route').innerText();
    expect(route).toContain('上级中心办理中');
    expect(await page.locator('.el-timeline').innerText()).toContain('神农村便民服务站');
    await h.screenshot(page, '/tmp/shots/cases-page-route.png');

    const manager = await h.newPage(DESKTOP);
    await h.loginAs(manager, 'manager');
    await manager.goto('/staff/agents');
    await expect.poll(() => manager.getByTestId('agents').innerText()).toContain('张代办');
    expect(await manager.getByTestId('agents').innerText()).toContain('139****1111');
    await h.screenshot(manager, '/tmp/shots/agents.png');
    await manager.getByRole('link', { name: '看板' }).click();
    await expect.poll(() => manager.getByTestId('agent-cases').innerText()).toContain(caseNumber);
    await h.screenshot(manager, '/tmp/shots/agent-board.png');
    expect(h.pageErrors).toEqual([]);
  });
});
