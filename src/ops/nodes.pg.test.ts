import { afterAll, describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../calendar/dates.js';
import { localDate } from '../calendar/zone.js';
import { openDatabase } from '../db/client.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { openStream } from '../queue/test-stream.js';
import { idNumberOf } from '../testing/people.js';
import { apiOf, freePort, login, openAllDay, scratchDatabase, spawnServer, type ServerProcess } from '../testing/server-process.js';

// The documented scale-out: two `onewindow serve` processes on one PostgreSQL (nginx would spread the
// requests). A call made through one node shows on a screen fed by the other, and a reminder that falls
// due is sent once although both nodes' workers race for it.
const running: ServerProcess[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
});

describe('two app nodes on one PostgreSQL', () => {
  it('shares live screens and fires a due reminder exactly once', async () => {
    const scratch = await scratchDatabase('nodes');
    try {
      const env = { DATABASE_URL: scratch.url };
      const a = spawnServer({ port: await freePort(), demo: true, env });
      running.push(a);
      await a.started;
      const b = spawnServer({ port: await freePort(), env });
      running.push(b);
      await b.started;

      const admin = await login(a.url, 'admin', 'Admin12345');
      const staff = await login(a.url, 'xuxianni', DEMO_PASSWORD);
      const [onA, onB] = [apiOf(a.url), apiOf(b.url)];
      await openAllDay(onB, admin);
      const windowId = ((await onA('GET', '/auth/me', undefined, staff)).body.windowIds as string[])[0]!;

      // The hall TV hangs on node B; the ticket is taken and called through node A.
      const screen = await openStream(`${b.url}/api/v1/display/stream`);
      try {
        await screen.next('state', 15_000);
        const ticket = await onA('POST', '/tickets', { serviceCode: 'GA-CRJ-001', channel: 'kiosk' });
        expect(ticket.status).toBe(201);
        const called = await onA('POST', `/windows/${windowId}/call-next`, {}, staff);
        expect(called.body.number).toBe(ticket.body.number);
        expect(await screen.next('call', 15_000)).toMatchObject({ number: ticket.body.number });
      } finally {
        screen.close();
      }

      // A booking whose no-show timer falls due: both nodes' workers poll every few seconds.
      const tomorrow = formatDate(parseDate(localDate(Date.now())) + 1);
      const phone = '13971234567';
      const booked = await onB('POST', '/appointments', { serviceCode: 'GA-CRJ-001', start: `${tomorrow}T10:00:00+08:00`, name: '测试群众', idNumber: idNumberOf(5), phone });
      expect(booked.status).toBe(201);
      const database = await openDatabase({ databaseUrl: scratch.url });
      try {
        // Whole seconds, as the app writes them (JavaScript dates carry milliseconds, PostgreSQL microseconds).
        const due = await database.query(`UPDATE timers SET due_at = date_trunc('second', now()) - interval '1 minute' WHERE key = $1 RETURNING id`, [booked.body.id]);
        expect(due).toHaveLength(1);
        const state = async () => {
          const [appointment] = await database.query<{ status: string }>(`SELECT status FROM appointments WHERE id = $1`, [booked.body.id]);
          const [timer] = await database.query<{ fired: boolean }>(`SELECT fired_at IS NOT NULL AS fired FROM timers WHERE key = $1`, [booked.body.id]);
          const messages = await database.query<{ status: string; attempts: number }>(
            `SELECT status, attempts FROM notifications WHERE template = 'appointment.no-show-warning'`,
          );
          return { appointment: appointment?.status, fired: timer?.fired, messages };
        };
        const deadline = Date.now() + 30_000;
        const settled = (m: { status: string }[]) => m.length > 0 && m.every((x) => x.status === 'sent');
        while (Date.now() < deadline && !settled((await state()).messages)) await new Promise((r) => setTimeout(r, 500));
        // Give the slower node a few more ticks to (wrongly) fire or send again.
        await new Promise((r) => setTimeout(r, 6_000));
        expect(await state()).toEqual({ appointment: 'no_show', fired: true, messages: [{ status: 'sent', attempts: 1 }] });
      } finally {
        await database.close();
      }
      for (const s of [a, b]) {
        s.child.kill('SIGTERM');
        expect(await s.exited).toBe(0);
      }
    } finally {
      await scratch.drop();
    }
  }, 240_000);
});
