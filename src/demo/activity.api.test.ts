import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { fixedClock } from '../server/clock.js';
import { defaultConfig } from '../server/context.js';
import { resetDatabase, testDatabase } from '../testing/test-db.js';
import { seedDemoActivity, type DemoActivity } from './activity.js';
import { DEMO_PASSWORD } from './hall.js';
import { seedDemoHall } from './seed.js';

// A Thursday morning in November 2025: fifteen working days back reach into October.
const NOW = '2025-11-20T10:30:00+08:00';
let app: FastifyInstance;
let activity: DemoActivity;

async function get(username: string | null, url: string) {
  const headers: Record<string, string> = {};
  if (username) {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
    headers.authorization = `Bearer ${login.json().token}`;
  }
  return app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
}

beforeAll(async () => {
  const database = await testDatabase();
  await resetDatabase(database);
  await seedDemoHall(database.db, new Date('2025-09-01T09:00:00+08:00'));
  activity = await seedDemoActivity({ database, db: database.db, config: defaultConfig }, new Date(NOW));
  app = await buildApp({ database, db: database.db, clock: fixedClock(NOW), config: defaultConfig });
}, 600_000);
afterAll(() => app?.close());

describe('the demo hall after seedDemoActivity', () => {
  it('has weeks of tickets, cases and ratings', () => {
    expect(activity.days).toBe(15);
    expect(activity.tickets).toBeGreaterThan(15 * 18);
    expect(activity.cases).toBeGreaterThanOrEqual(60);
    expect(activity.cases).toBeLessThanOrEqual(130);
    expect(activity.ratings).toBeGreaterThan(50);
  });

  it('shows the supervision board green, warning and one or two red cases, and a 补办件 without a clock', async () => {
    const board = (await get('supervisor', '/cases/board?scope=hall')).json();
    expect(board.counts.green).toBeGreaterThan(0);
    // The cases due at today's close: at 10:30 five working hours remain, so they show the reminder before
    // the yellow (240 working minutes); after 12:45 the same cases turn yellow.
    expect(board.counts.reminder + board.counts.yellow).toBeGreaterThan(0);
    expect(board.counts.red).toBeGreaterThanOrEqual(1);
    expect(board.counts.red).toBeLessThanOrEqual(2);
    expect(board.counts.none).toBeGreaterThan(0);
    // Overdue first.
    expect(board.cases[0].light).toBe('red');
  });

  it('lists cases of every kind, mostly 即办件, each page replaying its history', async () => {
    const totals: Record<string, number> = {};
    for (const kind of ['immediate', 'promised', 'joint', 'supplement', 'returned']) {
      const list = (await get('supervisor', `/cases?kind=${kind}&limit=200`)).json();
      totals[kind] = list.total;
      expect(list.total, kind).toBeGreaterThan(0);
      for (const item of list.items.slice(0, 5)) {
        const page = await get('supervisor', `/cases/${item.caseNumber}`);
        expect(page.statusCode, page.body).toBe(200);
        expect(page.json().history[0].action).toBe('receive');
      }
    }
    expect(totals.immediate).toBeGreaterThan(totals.promised!);
    const joint = (await get('supervisor', '/cases?kind=joint')).json().items[0];
    const jointPage = (await get('supervisor', `/cases/${joint.caseNumber}`)).json();
    expect(jointPage.status).toBe('joint_review');
    expect(jointPage.tasks.filter((x: { doneAt: string | null }) => x.doneAt).length).toBe(1);
  });

  it('opens a seeded case through the public progress query with the applicant masked', async () => {
    const { items } = (await get('supervisor', '/cases?kind=promised&limit=1')).json();
    const res = await get(null, `/public/cases/${items[0].caseNumber}`);
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.caseNumber).toBe(items[0].caseNumber);
    expect(view.applicant.name).toContain('*');
    expect(view.applicant.idNumber).toBeUndefined();
    expect(res.body).not.toMatch(/421321\d{11}[\dX]/);
  });

  it("gives this month's bulletin volumes and a satisfaction rate from the ratings", async () => {
    const b = (await get('manager', '/reports/monthly?month=2025-11')).json();
    expect(b.casesAccepted).toBeGreaterThan(30);
    expect(b.casesFinished).toBeGreaterThan(20);
    expect(b.satisfaction).toBeGreaterThan(0.8);
    expect(b.satisfaction).toBeLessThan(1);
  });

  it('shows a line on the hall display and a called ticket at the window console today', async () => {
    const display = (await get(null, '/display/state')).json();
    const waiting = display.waiting.reduce((n: number, w: { waiting: number }) => n + w.waiting, 0);
    expect(waiting).toBeGreaterThan(0);
    expect(display.recentCalls.length).toBeGreaterThan(0);
  });
});
