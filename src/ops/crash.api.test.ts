import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../calendar/dates.js';
import { localDate } from '../calendar/zone.js';
import { openDatabase } from '../db/client.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { idNumberOf } from '../testing/people.js';
import { apiOf, freePort, login, openAllDay, scratchDatabase, spawnServer, type ServerProcess } from '../testing/server-process.js';

// A power cut in the middle of a busy morning: the server is killed with SIGKILL while tickets are taken
// and called, appointments booked and cases received. After a restart every request that was answered
// 2xx must be there, and nothing may be half-written.
const root = mkdtempSync(join(tmpdir(), 'onewindow-crash-'));
const running: ServerProcess[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('keeps every answered request and nothing half-written after kill -9', async () => {
    const postgres = process.env.TEST_DB === 'postgres';
    const scratch = postgres ? await scratchDatabase('crash') : null;
    const dataDir = join(root, 'data');
    const port = await freePort();
    const start = (demo: boolean) => {
      const s = spawnServer({ port, dataDir: postgres ? undefined : dataDir, demo, env: scratch ? { DATABASE_URL: scratch.url } : {} });
      running.push(s);
      return s;
    };
    try {
      const first = start(true);
      await first.started;
      const admin = await login(first.url, 'admin', 'Admin12345');
      const staff = await login(first.url, 'xuxianni', DEMO_PASSWORD);
      const call = apiOf(first.url);
      await openAllDay(call, admin);
      const windowId = ((await call('GET', '/auth/me', undefined, staff)).body.windowIds as string[])[0]!;
      const tomorrow = formatDate(parseDate(localDate(Date.now())) + 1);

      const answered = { tickets: new Set<string>(), completed: new Set<string>(), appointments: new Set<string>(), cases: new Set<string>() };
      let n = 0;
      let down = false;
      const work = async (lane: number) => {
        while (!down) {
          const i = n++;
          try {
            if (lane === 0) {
              const r = await call('POST', '/tickets', { serviceCode: 'GA-CRJ-001', channel: 'kiosk' });
              if (r.status === 201) answered.tickets.add(r.body.id as string);
            } else if (lane === 1) {
              const r = await call('POST', `/windows/${windowId}/call-next`, {}, staff);
              if (r.status === 200) {
                const done = await call('POST', `/tickets/${r.body.id as string}/complete`, {}, staff);
                if (done.status === 200) answered.completed.add(r.body.id as string);
              }
            } else if (lane === 2) {
              const slot = Math.floor(i / 3) % 47;
              const start = `${tomorrow}T${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}:00+08:00`;
              const r = await call('POST', '/appointments', { serviceCode: 'GA-CRJ-001', start, name: '测试群众', idNumber: idNumberOf(i), phone: '13812345678' });
              if (r.status === 201) answered.appointments.add(r.body.id as string);
            } else {
              const r = await call('POST', '/cases', { serviceCode: 'GA-CRJ-001', applicant: { name: '张三丰', idNumber: idNumberOf(i), phone: '13812345678' } }, staff);
              if (r.status === 201) answered.cases.add(r.body.id as string);
            }
          } catch {
            return; // the connection died with the server
          }
        }
      };
      const lanes = [0, 1, 2, 3, 0, 3].map(work);
      // Kill in the middle of the load: once every kind of write has been answered a few times.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && Object.values(answered).some((s) => s.size < 5)) await new Promise((r) => setTimeout(r, 50));
      first.child.kill('SIGKILL');
      down = true;
      await first.exited;
      await Promise.all(lanes);
      for (const [kind, ids] of Object.entries(answered)) expect(ids.size, kind).toBeGreaterThanOrEqual(5);

      // The restarted server recovers and answers for what it had said yes to.
      const second = start(false);
      await second.started;
      for (const id of answered.tickets) {
        const r = await fetch(`${second.url}/api/v1/tickets/${id}`);
        expect(r.status).toBe(200);
      }
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const database = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir });
      try {
        const ids = async (sql: string) => new Set((await database.query<{ id: string }>(sql)).map((r) => r.id));
        const tickets = await ids(`SELECT id::text AS id FROM tickets`);
        const done = await ids(`SELECT id::text AS id FROM tickets WHERE status = 'done'`);
        const appointments = await ids(`SELECT id::text AS id FROM appointments`);
        const cases = await ids(`SELECT id::text AS id FROM cases`);
        const missing = (want: Set<string>, have: Set<string>) => [...want].filter((id) => !have.has(id));
        expect(missing(answered.tickets, tickets)).toEqual([]);
        expect(missing(answered.completed, done)).toEqual([]);
        expect(missing(answered.appointments, appointments)).toEqual([]);
        expect(missing(answered.cases, cases)).toEqual([]);

        // Nothing half-written: every row has the events and audit records written with it (cases are
        // audited by their case number).
        const orphans = await database.query<{ what: string; n: number }>(`
          SELECT 'ticket without issued event' AS what, count(*)::int AS n FROM tickets t
           WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'issued')
          UNION ALL SELECT 'done ticket without finished event', count(*)::int FROM tickets t
           WHERE t.status = 'done' AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'finished')
          UNION ALL SELECT 'called ticket without called event', count(*)::int FROM tickets t
           WHERE t.called_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'called')
          UNION ALL SELECT 'ticket without audit', count(*)::int FROM tickets t
           WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_id = t.id::text)
          UNION ALL SELECT 'appointment without audit', count(*)::int FROM appointments p
           WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_id = p.id::text)
          UNION ALL SELECT 'case without audit', count(*)::int FROM cases c
           WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_id IN (c.id::text, c.case_number))
          UNION ALL SELECT 'case without history', count(*)::int FROM cases c
           WHERE NOT EXISTS (SELECT 1 FROM case_actions x WHERE x.case_id = c.id)`);
        expect(Object.fromEntries(orphans.map((o) => [o.what, Number(o.n)]))).toEqual({
          'ticket without issued event': 0,
          'done ticket without finished event': 0,
          'called ticket without called event': 0,
          'ticket without audit': 0,
          'appointment without audit': 0,
          'case without audit': 0,
          'case without history': 0,
        });
      } finally {
        await database.close();
      }
    } finally {
      await scratch?.drop();
    }
  }, 300_000);
});
