import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { take } from './test-helpers.js';
import { openStream } from './test-stream.js';

describe('hall display', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('pushes a call to a connected screen as an SSE `call` event with number, window and time', async () => {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const screen = await openStream(`${base}/api/v1/display/stream`);
    try {
      expect(screen.contentType).toBe('text/event-stream; charset=utf-8');
      const first = await screen.next('state');
      expect(first).toMatchObject({ hallName: '测试政务服务中心', windows: [{ name: '测试窗口', current: null }] });
      await take(t);
      await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
      const call = await screen.next('call');
      expect(call).toMatchObject({ number: 'T001', windowName: '测试窗口', windowNumber: 1, calledAt: '2025-09-30T09:00:00+08:00', recall: false });
      // The state after the ticket was taken may come first; the one after the call follows.
      let state = (await screen.next('state')) as { windows: { current: unknown }[] };
      if (!state.windows[0]!.current) state = (await screen.next('state')) as typeof state;
      expect(state).toMatchObject({ windows: [{ current: { number: 'T001', status: 'called' } }], recentCalls: [{ number: 'T001' }] });
    } finally {
      screen.close();
    }
  });

  it('sends a window screen only its own calls, and announces a recall again', async () => {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const own = await openStream(`${base}/api/v1/display/stream?window=${t.hall.windowId}`);
    const other = await openStream(`${base}/api/v1/display/stream?window=${crypto.randomUUID()}`);
    try {
      const ticket = (await take(t)).json();
      await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
      await t.api('staff', { method: 'POST', url: `/tickets/${ticket.id}/recall` });
      expect(await own.next('call')).toMatchObject({ number: 'T001', recall: false });
      expect(await own.next('call')).toMatchObject({ number: 'T001', recall: true });
      await other.next('state');
      expect(other.seen('call')).toBe(0);
    } finally {
      own.close();
      other.close();
    }
  });

  it('shows current calls, recent calls and waiting counts per service', async () => {
    await take(t);
    await take(t);
    await t.api('staff', { method: 'POST', url: `/windows/${t.hall.windowId}/call-next` });
    const state = (await t.api(null, { method: 'GET', url: '/display/state' })).json();
    expect(state.waiting).toEqual([{ serviceCode: 'T-001', serviceName: '测试事项', prefix: 'T', waiting: 1 }]);
    expect(state.windows).toEqual([
      expect.objectContaining({ number: 1, status: 'open', waiting: 1, current: { number: 'T001', status: 'called', calledAt: '2025-09-30T09:00:00+08:00', serviceName: '测试事项' } }),
    ]);
    const small = (await t.api(null, { method: 'GET', url: `/display/windows/${t.hall.windowId}` })).json();
    expect(small).toMatchObject({ window: { name: '测试窗口', current: { number: 'T001' } }, recentCalls: [{ number: 'T001' }] });
  });

  it('lists the services a kiosk offers by department, with the line and whether tickets can be taken now', async () => {
    await take(t);
    const open = (await t.api(null, { method: 'GET', url: '/queue/services' })).json();
    expect(open).toEqual([{ code: 'T-001', name: '测试事项', prefix: 'T', departmentName: '测试局', waiting: 1, open: true, nextOpening: null }]);
    t.clock.set('2025-09-30T12:10:00+08:00');
    const lunch = (await t.api(null, { method: 'GET', url: '/queue/services' })).json();
    expect(lunch[0]).toMatchObject({ open: false, nextOpening: '2025-09-30T13:00:00+08:00' });
  });
});
