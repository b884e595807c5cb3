import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { enqueueNotice } from './outbox.js';
import { createNoticeSender, type NoticeAdapter } from './sender.js';
import { notifications } from './tables.js';

describe('notice sender', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const enqueue = () =>
    enqueueNotice(t.ctx.db, { hallId: t.hall.hallId, channel: 'sms', recipient: '13812345678', template: 'test', body: '您的办件已办结，请到3号窗口领取。', at: t.clock.now() });
  const row = async () => (await t.ctx.db.select().from(notifications).where(eq(notifications.hallId, t.hall.hallId)))[0]!;

  it('hands the gateway the opened number and marks the message sent', async () => {
    await enqueue();
    const received: { recipient: string; body: string }[] = [];
    const gateway: NoticeAdapter = { name: 'test', send: async (m) => void received.push(m) };
    expect(await createNoticeSender(t.ctx, gateway).sendPending()).toBe(1);
    expect(received).toEqual([expect.objectContaining({ recipient: '13812345678', body: '您的办件已办结，请到3号窗口领取。' })]);
    expect(await row()).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await row()).recipient).not.toContain('13812345678');
  });

  it('waits 1, 5, 15 and 60 minutes between attempts, keeps the reason with the number masked, and gives up after five', async () => {
    await enqueue();
    const gateway: NoticeAdapter = { name: 'test', send: async (m) => Promise.reject(new Error(`网关拒绝：号码 ${m.recipient} 已停机`)) };
    const sender = createNoticeSender(t.ctx, gateway);
    expect(await sender.sendPending()).toBe(0);
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1, lastError: '网关拒绝：号码 138****5678 已停机' });
    // The sender runs every few seconds: a refused message is not tried again before its delay.
    await sender.sendPending();
    expect((await row()).attempts).toBe(1);
    for (const minutes of [1, 5, 15, 60]) {
      t.clock.advance(minutes * 60_000 - 1_000);
      await sender.sendPending();
      t.clock.advance(1_000);
      await sender.sendPending();
    }
    expect(await row()).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null });
  });

  it('delivers a message once the gateway is back within its attempts', async () => {
    await enqueue();
    let up = false;
    const received: string[] = [];
    const gateway: NoticeAdapter = { name: 'test', send: async (m) => (up ? void received.push(m.recipient) : Promise.reject(new Error('网关超时'))) };
    const sender = createNoticeSender(t.ctx, gateway);
    await sender.sendPending();
    up = true;
    t.clock.advance(60_000);
    expect(await sender.sendPending()).toBe(1);
    expect(received).toEqual(['13812345678']);
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
