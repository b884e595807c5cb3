import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE as PHONE_VIEWPORT, startBrowserHarness, type BrowserHarness } from '../testing/browser.js';
import { ID_NUMBER, PDF, PHONE, PNG } from './test-helpers.js';

const SHOTS = '/tmp/shots/online';
const ITEM = 'GA-CRJ-001';

let h: BrowserHarness;
beforeAll(async () => {
  h = await startBrowserHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The code as the applicant reads it in the SMS: the newest sign-in message in the outbox (staff lists hide it). */
async function textedCode(): Promise<string> {
  const rows = await h.database.query<{ body: string }>(`SELECT body FROM notifications WHERE template = 'online.code' ORDER BY created_at DESC LIMIT 1`);
  return /验证码为 (\d{6})/.exec(rows[0]?.body ?? '')?.[1] ?? '';
}

describe('online applications in the browser', () => {
  it('applies on a phone with uploads, answers the correction request and sees the case accepted with its deadline', async () => {
    const page = await h.newPage(PHONE_VIEWPORT);
    await page.goto('/portal/online');
    await page.locator('input[name="phone"]').fill(PHONE);
    await page.getByTestId('send-code').click();
    await expect.poll(textedCode).toMatch(/^\d{6}$/);
    await page.locator('input[name="code"]').fill(await textedCode());
    await page.getByRole('button', { name: '登录' }).click();

    await page.locator('input[name="name"]').fill('张三丰');
    await page.locator('input[name="idNumber"]').fill(ID_NUMBER);
    await page.getByRole('button', { name: '保存实名信息' }).click();
    await page.getByTestId('new-application').click();
    await page.locator(`[data-service="${ITEM}"]`).click();
    await page.waitForURL(/\/portal\/online\/applications\//);

    // The self-check lists both required materials before anything is uploaded.
    await expect.poll(() => page.getByTestId('self-check').innerText()).toContain('申请人居民身份证');
    // A program renamed .pdf is refused beside the material, and nothing is listed.
    await page.locator('input[name="file-id-card"]').setInputFiles({ name: 'id.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
    await expect.poll(() => page.getByTestId('upload-error').innerText()).toContain('文件内容与扩展名 .pdf 不符');
    await page.locator('input[name="file-id-card"]').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.locator('[data-material="id-card"]').innerText()).toContain('id.png');
    await page.locator('input[name="file-application"]').setInputFiles({ name: '申请表.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => page.getByTestId('self-check').innerText()).toContain('材料齐全');
    await page.locator('input[name="delivery"][value="post"]').check();
    await page.locator('textarea[name="address"]').fill('湖北省随州市随县厉山镇神农大道 1 号');
    await h.screenshot(page, `${SHOTS}/phone-draft.png`);
    await page.getByTestId('submit').click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('待预审');
    const caseNumber = await page.getByTestId('case-number').innerText();
    expect(caseNumber).toMatch(/-\d{8}-\d{5}$/);

    // The window asks for a correction on its inbox.
    const staff = await h.newPage(DESKTOP);
    await h.loginAs(staff, 'xuxianni');
    await staff.goto('/staff/online');
    await staff.getByRole('link', { name: '预审', exact: true }).first().click();
    await staff.getByText('一次性告知补正').click();
    await staff.locator('input[name="correction-0"]').fill('身份证照片反光看不清，请重新拍照上传');
    await h.screenshot(staff, `${SHOTS}/staff-review.png`);
    await staff.getByTestId('decide').click();
    await expect.poll(() => staff.locator('.el-alert').innerText()).toContain('待补正');

    await page.reload();
    await expect.poll(() => page.getByTestId('corrections').innerText()).toContain('身份证照片反光看不清');
    await page.locator('input[name="file-id-card"]').setInputFiles({ name: 'id-2.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.locator('[data-material="id-card"]').innerText()).toContain('id-2.png');
    await page.locator('textarea[name="answerNote"]').fill('已重新拍照上传');
    await page.getByTestId('answer').click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('已补正，待预审');

    await staff.goto('/staff/online');
    await staff.getByRole('link', { name: '预审', exact: true }).first().click();
    await staff.getByTestId('decide').click();
    await expect.poll(() => staff.locator('.el-alert').innerText()).toContain('已受理');

    await page.reload();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('已受理');
    await expect.poll(() => page.getByTestId('deadline').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await h.screenshot(page, `${SHOTS}/phone-accepted.png`);
    expect(h.pageErrors).toEqual([]);
  });

  it('gives the sign-in page elder-mode sizes: touch targets of at least 60 px', async () => {
    const page = await h.newPage(PHONE_VIEWPORT);
    await page.goto('/portal/online');
    await page.getByTestId('elder-toggle').click();
    for (const target of [page.locator('input[name="phone"]'), page.getByTestId('send-code'), page.getByRole('button', { name: '登录' })]) {
      expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(60);
    }
    await h.screenshot(page, `${SHOTS}/phone-elder-sign-in.png`);
  });
});
