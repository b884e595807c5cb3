import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../calendar/dates.js';
import { localDate } from '../calendar/zone.js';
import { DEMO_PASSWORD } from '../demo/hall.js';
import { idNumberOf } from '../testing/people.js';
import { apiOf, freePort, login, openAllDay, spawnServer, type ServerProcess } from '../testing/server-process.js';

// A morning at the hall with request logging on, people giving real-looking ID numbers and phones at
// every door: the server's whole log output must not carry one of them in clear.
const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-logs-'));
let server: ServerProcess | undefined;
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const PEOPLE = [
  { name: '王建国', idNumber: idNumberOf(7, '420321'), phone: '13907221234' },
  { name: '李秀英', idNumber: idNumberOf(23, '420321'), phone: '15872405678' },
  { name: '赵敏', idNumber: idNumberOf(31), phone: '18671239876' },
];

describe('personal data in the logs', () => {
  it('never writes an ID number or phone in clear, whatever the request or error', async () => {
    const port = await freePort();
    server = spawnServer({ port, dataDir, demo: true, env: { LOG_LEVEL: 'debug' } });
    await server.started;
    const call = apiOf(server.url);
    const admin = await login(server.url, 'admin', 'Admin12345');
    const staff = await login(server.url, 'xuxianni', DEMO_PASSWORD);
    await openAllDay(call, admin);
    const windowId = ((await call('GET', '/auth/me', undefined, staff)).body.windowIds as string[])[0]!;
    const tomorrow = formatDate(parseDate(localDate(Date.now())) + 1);

    const statuses: number[] = [];
    for (const [i, p] of PEOPLE.entries()) {
      const ticket = await call('POST', '/tickets', { serviceCode: 'GA-CRJ-001', channel: 'mobile', name: p.name, idNumber: p.idNumber, phone: p.phone });
      statuses.push(ticket.status);
      const called = await call('POST', `/windows/${windowId}/call-next`, {}, staff);
      const ticketId = called.body.id as string;
      await call('POST', `/tickets/${ticketId}/complete`, {}, staff);
      statuses.push((await call('POST', '/ratings', { ticketId, grade: 'dissatisfied', comment: `请回电 ${p.phone}`, raterPhone: p.phone })).status);
      const start = `${tomorrow}T0${i}:00:00+08:00`;
      const booking = { serviceCode: 'GA-CRJ-001', start, name: p.name, idNumber: p.idNumber, phone: p.phone };
      statuses.push((await call('POST', '/appointments', booking)).status);
      // The same person again: refused, and the refusal is logged.
      statuses.push((await call('POST', '/appointments', booking)).status);
      const code = (await call('POST', '/appointments', { ...booking, start: `${tomorrow}T1${i}:00:00+08:00` })).body.code as string | undefined;
      statuses.push((await call('POST', '/appointments/lookup', { code: code ?? 'ABCDEFGH', idNumber: p.idNumber })).status);
      const created = await call('POST', '/cases', { serviceCode: 'GA-CRJ-001', applicant: p }, staff);
      statuses.push(created.status);
      const caseNumber = created.body.caseNumber as string;
      // Numbers typed into a URL by mistake end up in request logs unless masked.
      statuses.push((await call('GET', `/public/cases/${caseNumber}?password=${p.phone.slice(-6)}&idNumber=${p.idNumber}`)).status);
      statuses.push((await call('GET', `/tickets?phone=${p.phone}`)).status);
      statuses.push((await call('POST', '/public/complaints', { content: `窗口人员态度差，我的身份证 ${p.idNumber}`, name: p.name, phone: p.phone })).status);
    }
    // The run was realistic: most requests succeeded, some were refused.
    expect(statuses.filter((s) => s < 300).length, JSON.stringify(statuses)).toBeGreaterThan(PEOPLE.length * 4);
    expect(statuses.some((s) => s >= 400)).toBe(true);

    server.child.kill('SIGTERM');
    await server.exited;
    const log = server.output();
    expect(log).toContain('request completed');
    const leaks = PEOPLE.flatMap((p) => [p.idNumber, p.phone]).filter((secret) => log.includes(secret));
    expect(leaks).toEqual([]);
  }, 240_000);
});
