import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';
import { demoApi } from '../testing/demo-api.js';

let h: BrowserHarness;
const SHOTS = '/tmp/shots/feedback';

const apiAs = (username: string) => demoApi(h.app, username);

beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  expect(h.pageErrors).toEqual([]);
  await h?.close();
});

describe('办不成事 and the 12345 red and black lists, as the supervision office sees them', () => {
  it('finds a 办不成事 matter impossible on the desk, with its answer deadline, and shows it in the ledger', async () => {
    const supervisor = await apiAs('supervisor');
    const matter = (await supervisor.post('/complaints', { kind: 'cannot_get_done', channel: 'on_site', complexity: 'complex', complainantName: '赵六', complainantPhone: '13900002222', content: '1990 年的老房产证补办不了' })).json();
    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/feedback/complaints');
    await page.getByTestId('complaint-impossible').first().click();
    await page.getByRole('dialog').locator('textarea').fill('该房屋已列入征收范围，冻结办理');
    await page.getByRole('dialog').locator('input').last().fill('《国有土地上房屋征收与补偿条例》第十六条');
    await page.getByTestId('impossible-save').click();
    await page.getByText('确属办不成，答复期限').waitFor();
    await h.screenshot(page, `${SHOTS}/cannot-get-done-desk.png`);
    const [found] = (await supervisor.get('/complaints')).json().filter((c: { id: string }) => c.id === matter.id);
    expect(found).toMatchObject({ disposition: 'impossible', legalBasis: '《国有土地上房屋征收与补偿条例》第十六条' });

    await page.goto('/staff/feedback/cannot-get-done');
    await page.getByTestId('cannot-counts').waitFor();
    expect(await page.getByTestId('cannot-counts').innerText()).toMatch(/受理\s*1/);
    await page.getByText('该房屋已列入征收范围，冻结办理').first().waitFor();
    await h.screenshot(page, `${SHOTS}/cannot-get-done-ledger.png`);
  });

  it('shows the month’s red and black lists with the chart', async () => {
    const manager = await apiAs('manager');
    const departments = (await manager.get('/departments')).json() as { id: string; name: string }[];
    const idOf = (name: string) => departments.find((d) => d.name === name)!.id;
    // 公安局 answers and pleases; 住建局 returns one and displeases with another.
    for (const [dept, leader, satisfaction] of [['公安局', 'leader.police', 'very_satisfied'], ['公安局', 'leader.police', 'satisfied'], ['住建局', 'leader.housing', 'dissatisfied']] as const) {
      const appeal = (await manager.post('/appeals', { type: 'help', content: '路灯坏了', appellantPhone: '13600002222', departmentId: idOf(dept) })).json();
      const unit = await apiAs(leader);
      expect((await unit.post(`/appeals/${appeal.id}/actions`, { action: 'sign' })).statusCode).toBe(200);
      expect((await unit.post(`/appeals/${appeal.id}/actions`, { action: 'answer', answer: '已处理' })).statusCode).toBe(200);
      expect((await manager.post(`/appeals/${appeal.id}/actions`, { action: 'revisit', satisfaction })).statusCode).toBe(200);
    }
    const returned = (await manager.post('/appeals', { type: 'consultation', content: '问公积金', appellantPhone: '13600002222', departmentId: idOf('住建局') })).json();
    expect((await (await apiAs('leader.housing')).post(`/appeals/${returned.id}/actions`, { action: 'return', reason: '非本单位职责' })).statusCode).toBe(200);

    const page = await h.newPage(DESKTOP);
    await h.loginAs(page, 'supervisor');
    await page.goto('/staff/feedback/rankings');
    const red = page.getByTestId('ranking-red');
    await red.getByText('公安局').waitFor();
    expect(await red.innerText()).toContain('100');
    expect(await page.getByTestId('ranking-red').innerText()).toContain('住建局');
    await page.getByTestId('ranking-chart').locator('canvas').waitFor();
    await h.screenshot(page, `${SHOTS}/rankings.png`);
  });
});
