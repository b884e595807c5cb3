// A few weeks of history for the demo hall, so a first visitor sees the product at work: tickets called
// and served, cases of every kind with their lights, ratings, a complaint and an appeal. Everything goes
// through the HTTP API (as the UI does) on a clock moved event by event, so every row is one the
// capabilities wrote themselves: case logs, timers, audit records, ticket events. Demo data only.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { users } from '../auth/tables.js';
import { createCalendarService } from '../calendar/service.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { formatDate, parseDate } from '../calendar/dates.js';
import { fromLocal, localDate, toLocal } from '../calendar/zone.js';
import { createTimerRunner } from '../jobs/timers.js';
import { departments, halls, windows } from '../org/tables.js';
import { buildApp } from '../server/app.js';
import { fixedClock } from '../server/clock.js';
import type { AppContext } from '../server/context.js';
import { timerHandlers } from '../server/timer-handlers.js';
import { creditCodeCheckCharacter, idCheckDigit } from '../shared/identity.js';
import { seededRandom } from '../shared/random.js';
import { DEMO_HALL, DEMO_PASSWORD, DEMO_USERS } from './hall.js';
import { DEMO_SERVICES, type DemoService } from './services.js';

/** Working days of history before today. */
export const ACTIVITY_DAYS = 15;
const MINUTE = 60_000;
// Tickets are taken 09:00-11:10 and 13:00-16:10 (the demo hall closes at 11:45 and 16:45, issuing stops
// 30 minutes before closing); windows serve on until their line is empty.
const MORNING = [540, 670] as const;
const AFTERNOON = [780, 970] as const;
// How often a service is asked for, relative to the others: tax, property and social security are busy.
const DEMAND: Record<string, number> = { 'SW-001': 5, 'BDC-001': 5, 'ZJ-FC-001': 4, 'SB-001': 4, 'GA-HZ-001': 3, 'GA-CRJ-001': 3, 'CZ-001': 3, 'SJ-002': 3 };
const SURNAMES = ['张', '李', '王', '赵', '刘', '陈', '杨', '黄', '周', '吴', '孙', '郑'];
// The textbook placeholder given names (张三, 李四, 王小明): obviously not real people.
const GIVEN = ['三', '四', '五', '六', '七', '小明', '小红', '小刚'];

type Plan = 'natural' | 'open' | 'supplement_later' | 'supplement_waiting' | 'return' | 'joint';
interface Arrival {
  at: number;
  service: DemoService;
  plan: Plan;
}
interface Desk {
  id: string;
  number: number;
  username: string;
  codes: Set<string>;
  busy: { ticketId: string; until: number; arrival: Arrival } | null;
}
interface CaseStep {
  at: number;
  username: string;
  caseNumber: string;
  actions: Record<string, unknown>[];
}

export interface DemoActivity {
  days: number;
  tickets: number;
  cases: number;
  ratings: number;
  summary: string;
}

/** Seeded, so the demo is the same on every start. */
function generator(seed: number) {
  const next = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof generator>;

function person(random: Random) {
  const birth = `${random.int(1955, 2002)}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(1, 28)).padStart(2, '0')}`;
  const first17 = `421321${birth}${String(random.int(1, 999)).padStart(3, '0')}`;
  return { type: 'person', name: random.pick(SURNAMES) + random.pick(GIVEN), idNumber: first17 + idCheckDigit(first17), phone: phone(random) };
}

function company(random: Random, service: DemoService) {
  const first17 = `91421321MA4${String(random.int(0, 999_999)).padStart(6, '0')}`;
  const trade = service.department === '市场监管局' ? '示例餐饮店' : '示例建设有限公司';
  return { type: 'company', name: `随县${random.pick(['甲', '乙', '丙', '丁'])}${trade}`, creditCode: first17 + creditCodeCheckCharacter(first17), phone: phone(random), contactName: random.pick(SURNAMES) + random.pick(GIVEN) };
}

/** 198-0722-xxxx: an unassigned number block with the county's area code in it. */
const phone = (random: Random) => `1980722${String(random.int(0, 9999)).padStart(4, '0')}`;
const COMPANY_SERVICES = new Set(['ZJ-JS-001', 'FG-001', 'SJ-001', 'SL-001']);

/** A minute inside the hall's hours on that day, later than `after`, not later than `before` when it can. */
function workingInstant(random: Random, calendar: WorkingCalendar, after: number, before: number): number {
  const from = parseDate(localDate(after));
  const to = parseDate(localDate(before));
  const days: string[] = [];
  for (let d = from + 1; d <= to; d++) if (calendar.isWorkday(formatDate(d))) days.push(formatDate(d));
  const day = days.length ? random.pick(days) : localDate(after);
  const at = fromLocal(day, random.int(0, 1) ? random.int(MORNING[0] + 30, MORNING[1]) : random.int(AFTERNOON[0], AFTERNOON[1] + 20));
  return Math.min(Math.max(at, after + 30 * MINUTE), before - 30 * MINUTE);
}

/**
 * Seeds the demo hall (made by seedDemoHall) with the last ACTIVITY_DAYS working days and today up to `now`.
 * The app it drives has its own clock; nothing here reads the wall clock but `now`.
 */
export async function seedDemoActivity(base: Pick<AppContext, 'database' | 'db' | 'config'>, now = new Date()): Promise<DemoActivity> {
  const clock = fixedClock(now);
  // Sessions that outlast the simulated weeks, no rate limits and no web root: only the API is driven.
  const ctx: AppContext = { ...base, clock, config: { ...base.config, sessionHours: 24 * 60, rateLimits: undefined, webRoot: undefined } };
  const app = await buildApp(ctx);
  try {
    return await simulate(app, ctx, clock, now.getTime());
  } finally {
    await app.close();
  }
}

async function simulate(app: FastifyInstance, ctx: AppContext, clock: ReturnType<typeof fixedClock>, nowMs: number): Promise<DemoActivity> {
  const { db } = ctx;
  const random = generator(2025);
  const [hall] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, DEMO_HALL.code));
  if (!hall) throw new Error('演示大厅尚未创建');
  const calendar = await createCalendarService(ctx).calendarFor(hall.id);
  const deptId = new Map((await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.hallId, hall.id))).map((d) => [d.name, d.id]));
  const userId = new Map((await db.select({ id: users.id, username: users.username }).from(users).where(eq(users.hallId, hall.id))).map((u) => [u.username, u.id]));
  const timers = createTimerRunner(ctx, timerHandlers(ctx));

  const moveTo = (ms: number) => clock.set(new Date(ms));
  const tokens = new Map<string, string>();
  async function call(username: string | null, method: 'GET' | 'POST', url: string, payload?: object) {
    let token = username ? tokens.get(username) : undefined;
    if (username && !token) {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
      token = login.json().token as string;
      tokens.set(username, token);
    }
    const res = await app.inject({ method, url: `/api/v1${url}`, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.statusCode >= 400) throw new Error(`演示数据生成失败：${method} ${url} → ${res.statusCode} ${res.body}`);
    return res;
  }

  const desks: Desk[] = (await db.select({ id: windows.id, number: windows.number }).from(windows).where(eq(windows.hallId, hall.id))).map((w) => ({
    ...w,
    username: DEMO_USERS.find((u) => u.roles.includes('staff') && u.windows?.includes(w.number))!.username,
    codes: new Set(DEMO_SERVICES.filter((s) => s.windows.includes(w.number)).map((s) => s.code)),
    busy: null,
  }));
  const checklists = new Map<string, { materials: string[]; notApplicable: string[] }>();
  async function checklist(service: DemoService, username: string) {
    let list = checklists.get(service.code);
    if (!list) {
      const { materials } = (await call(username, 'GET', `/cases/checklist/${service.code}`)).json() as { materials: { id: string; required: boolean; condition: string }[] };
      list = { materials: materials.filter((m) => m.required && !m.condition).map((m) => m.id), notApplicable: materials.filter((m) => m.condition).map((m) => m.id) };
      checklists.set(service.code, list);
    }
    return list;
  }

  // The working days: ACTIVITY_DAYS before today, then today if the hall is open now.
  const today = localDate(nowMs);
  const past: string[] = [];
  for (let d = parseDate(today) - 1; past.length < ACTIVITY_DAYS; d--) if (calendar.isWorkday(formatDate(d))) past.unshift(formatDate(d));
  const nowMinute = toLocal(nowMs).minute;
  // Today counts only while the hall is open (until 35 minutes after issuing stops), with a little history before `now`.
  const openToday = calendar.isWorkday(today) && [MORNING, AFTERNOON].some(([from, to]) => nowMinute >= from + 20 && nowMinute <= to + 35);
  const lastIssue = Math.min(nowMs, fromLocal(today, nowMinute <= MORNING[1] + 35 ? MORNING[1] : AFTERNOON[1]));
  const days = openToday ? [...past, today] : past;

  // Planted cases: one of each promised service whose deadline falls today (yellow, or red late in the
  // day), two overdue, and one each of the kinds a board should show.
  const planted = new Map<string, Arrival[]>();
  const plant = (daysBack: number, code: string, plan: Plan) => {
    const day = past[past.length - daysBack];
    const service = DEMO_SERVICES.find((s) => s.code === code)!;
    if (day) planted.set(day, [...(planted.get(day) ?? []), { at: fromLocal(day, random.int(MORNING[0] + 20, MORNING[1] - 30)), service, plan }]);
  };
  for (const s of DEMO_SERVICES) if (s.kind === 'promised' && s.promisedLimitDays <= ACTIVITY_DAYS) plant(s.promisedLimitDays, s.code, 'open');
  plant(6, 'ZJ-JS-001', 'open');
  plant(8, 'FG-001', 'open');
  plant(12, 'SJ-001', 'supplement_later');
  plant(2, 'BDC-001', 'supplement_waiting');
  plant(9, 'GA-HZ-001', 'return');
  plant(4, 'ZJ-JS-001', 'joint');

  const demand = DEMO_SERVICES.flatMap((s) => Array<DemoService>(DEMAND[s.code] ?? 1).fill(s));
  const steps: CaseStep[] = [];
  /** What each issued ticket was planned for, looked up when a window calls it. */
  const pending = new Map<string, Arrival>();
  /** The service of each ticket still in line, so a window is asked to call only when someone waits for it. */
  const waiting = new Map<string, string>();
  let tickets = 0;
  let cases = 0;
  let ratings = 0;
  let complained = false;

  async function receiveCase(desk: Desk, ticketId: string, arrival: Arrival, at: number) {
    const { service, plan } = arrival;
    const list = await checklist(service, desk.username);
    const applicant = COMPANY_SERVICES.has(service.code) ? company(random, service) : person(random);
    const body: Record<string, unknown> = { serviceCode: service.code, applicant, ticketId, windowId: desk.id, materials: list.materials, notApplicable: list.notApplicable };
    if (service.kind === 'immediate') body.decision = { action: 'accept', completeNow: true, result: '当场办结' };
    if (plan === 'return') body.decision = { action: 'return', reason: '申请人户籍不在本县，已告知到户籍所在地办理' };
    if (plan.startsWith('supplement')) body.materials = list.materials.slice(1);
    if (plan === 'joint') {
      const lead = deptId.get(service.department)!;
      body.joint = {
        limitDays: 7,
        tasks: [
          { departmentId: lead, task: '牵头受理，核发施工许可证', limitDays: 7 },
          { departmentId: deptId.get('发改局')!, task: '核对项目备案', limitDays: 3 },
          { departmentId: deptId.get('水利局')!, task: '审查水土保持方案', limitDays: 5 },
        ],
      };
    }
    const created = (await call(desk.username, 'POST', '/cases', body)).json() as { caseNumber: string; deadline: string | null };
    cases++;
    const caseNumber = created.caseNumber;
    const later = (actions: Record<string, unknown>[], when: number) => steps.push({ at: when, username: desk.username, caseNumber, actions });
    if (service.kind === 'immediate') {
      if (plan === 'natural') await call(desk.username, 'POST', `/cases/${caseNumber}/actions`, { action: 'pick_up' });
      return;
    }
    if (plan === 'supplement_later') {
      // Made up two days later, then finished on time like the other promised cases.
      later([{ action: 'supplement', materials: list.materials.slice(0, 1), reason: '申请人补齐材料' }], at + 2 * 86_400_000);
      later([{ action: 'complete', result: '准予许可，证照已制作' }, { action: 'pick_up' }], at + 4 * 86_400_000);
    }
    if (plan === 'joint') later([{ action: 'task_complete', reason: '已核发施工许可证' }], workingInstant(random, calendar, at, nowMs));
    if (plan !== 'natural' || !created.deadline) return;
    const deadline = Date.parse(created.deadline);
    // Most promised cases finish on time; the ones still open keep their green, yellow or red light.
    if (localDate(deadline) === today) return;
    if (deadline > nowMs && random.chance(0.55)) return;
    const done = workingInstant(random, calendar, at, Math.min(deadline, nowMs));
    later([{ action: 'complete', result: '准予许可，证照已制作' }, ...(random.chance(0.7) ? [{ action: 'pick_up' }] : [])], done);
  }

  async function rate(desk: Desk, ticketId: string) {
    const roll = random.next();
    const grade = roll < 0.68 ? 'very_satisfied' : roll < 0.9 ? 'satisfied' : roll < 0.95 ? 'basic' : 'dissatisfied';
    const good = grade === 'very_satisfied' || grade === 'satisfied';
    const tags = good ? [random.pick(['friendly', 'fast', 'professional', 'one_trip', 'clear_guidance'])] : grade === 'basic' ? [] : [random.pick(['long_wait', 'slow', 'repeat_trips'])];
    const comment = grade === 'dissatisfied' ? '排队时间太长，材料还让跑了两趟' : '';
    await call(null, 'POST', '/ratings', { ticketId, grade, tags, comment });
    ratings++;
    if (grade === 'dissatisfied' && !complained) {
      complained = true;
      await call('supervisor', 'POST', '/complaints', {
        channel: 'phone',
        complainantName: random.pick(SURNAMES) + random.pick(GIVEN),
        complainantPhone: phone(random),
        content: `办事群众来电反映在 ${desk.number} 号窗口排队时间过长，补交材料时又被要求再跑一趟，希望改进。`,
        windowId: desk.id,
        staffId: userId.get(desk.username),
      });
    }
  }

  async function callNext(desk: Desk, at: number) {
    if (![...waiting.values()].some((code) => desk.codes.has(code))) return;
    const res = await call(desk.username, 'POST', `/windows/${desk.id}/call-next`);
    if (res.statusCode === 204) return;
    const ticketId = (res.json() as { id: string }).id;
    waiting.delete(ticketId);
    moveTo(at + MINUTE);
    await call(desk.username, 'POST', `/tickets/${ticketId}/start`);
    const service = DEMO_SERVICES.find((s) => s.code === (res.json() as { serviceCode: string }).serviceCode)!;
    const arrival = pending.get(ticketId) ?? { at, service, plan: 'natural' as const };
    desk.busy = { ticketId, until: at + MINUTE + random.int(service.kind === 'immediate' ? 4 : 8, service.kind === 'immediate' ? 12 : 20) * MINUTE, arrival };
  }

  async function finish(desk: Desk) {
    const { ticketId, until, arrival } = desk.busy!;
    desk.busy = null;
    const wantsCase = arrival.plan !== 'natural' || random.chance(arrival.service.kind === 'immediate' ? 0.45 : 0.12);
    if (wantsCase) await receiveCase(desk, ticketId, arrival, until);
    await call(desk.username, 'POST', `/tickets/${ticketId}/complete`);
    if (random.chance(0.35)) await rate(desk, ticketId);
  }

  /** One 12345 hotline appeal, registered and dispatched to the housing bureau. */
  async function appeal(at: number) {
    moveTo(at);
    await call('supervisor', 'POST', '/appeals', {
      type: 'help',
      source: 'hotline',
      content: '来电人咨询存量房交易需要先办契税申报还是先办网签备案，希望窗口给出一次性告知清单。',
      appellantName: random.pick(SURNAMES) + random.pick(GIVEN),
      appellantPhone: phone(random),
      departmentId: deptId.get('住建局'),
    });
  }

  for (const day of days) {
    waiting.clear();
    const isToday = day === today;
    // Today the windows stop 10 minutes before `now` (or before issuing stopped), and the last few who came are still waiting.
    const serveUntil = isToday ? lastIssue - 10 * MINUTE : Infinity;
    const line: Arrival[] = [...(planted.get(day) ?? [])];
    for (const [from, to] of [MORNING, AFTERNOON]) {
      const count = random.int(9, 12);
      for (let i = 0; i < count; i++) line.push({ at: fromLocal(day, random.int(from, to)) + random.int(0, 59) * 1000, service: random.pick(demand), plan: 'natural' });
    }
    if (isToday) {
      line.splice(0, line.length, ...line.filter((a) => a.at < serveUntil));
      for (let i = 0; i < 4; i++) line.push({ at: lastIssue - random.int(2, 9) * MINUTE, service: random.pick(demand), plan: 'natural' });
    }
    line.sort((a, b) => a.at - b.at);
    if (day === past[past.length - 3]) await appeal(fromLocal(day, 530));
    let next = 0;
    for (;;) {
      const arrival = line[next];
      const free = desks.filter((d) => d.busy).sort((a, b) => a.busy!.until - b.busy!.until)[0];
      const step = steps.sort((a, b) => a.at - b.at)[0];
      const times = [arrival?.at ?? Infinity, free && free.busy!.until < serveUntil ? free.busy!.until : Infinity, step && step.at < fromLocal(day, 1440) && step.at < nowMs ? step.at : Infinity];
      const at = Math.min(...times);
      if (at === Infinity) break;
      moveTo(at);
      if (at === times[2]) {
        steps.shift();
        for (const action of step!.actions) await call(step!.username, 'POST', `/cases/${step!.caseNumber}/actions`, action);
      } else if (at === times[1]) {
        await finish(free!);
        moveTo(at);
        if (at < serveUntil) await callNext(free!, at);
      } else {
        next++;
        const issued = await call(null, 'POST', '/tickets', { serviceCode: arrival!.service.code, channel: 'kiosk' });
        tickets++;
        const ticketId = (issued.json() as { id: string }).id;
        pending.set(ticketId, arrival!);
        waiting.set(ticketId, arrival!.service.code);
        if (at >= serveUntil) continue;
        for (const desk of desks.filter((d) => !d.busy && d.codes.has(arrival!.service.code))) {
          moveTo(at);
          await callNext(desk, at);
          if (desk.busy) break;
        }
      }
    }
    // The day's timers (lights, the evening sweep of the line, reminders) as the workers would have run them.
    if (!isToday) {
      moveTo(fromLocal(day, 1439));
      await timers.runDue();
    }
  }
  moveTo(nowMs);
  await timers.runDue();

  const summary = `已生成近 ${past.length} 个工作日的演示业务：号票 ${tickets} 张，办件 ${cases} 件，评价 ${ratings} 条。`;
  return { days: past.length, tickets, cases, ratings, summary };
}
