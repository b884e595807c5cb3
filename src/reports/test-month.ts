// A month of generated hall activity for the reports' tests and benchmark: departments, windows with
// staff, cases of every kind with their tickets and queue events, consultations (tickets without a
// case) and ratings. Written with INSERT ... SELECT over generate_series, so a million cases take
// seconds, and deterministic (ids from md5, spreads from arithmetic), so PGlite and PostgreSQL agree.
// (Excluded from the build by the test-* pattern.)
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users, userWindows } from '../auth/tables.js';
import { departments, services, windows, windowServices } from '../org/tables.js';
import { fromLocal } from '../calendar/index.js';

export interface GeneratedHall {
  departmentIds: string[];
  windows: { id: string; departmentId: string; serviceId: string; staffIds: string[] }[];
}

/** Departments, each with windows, one service per window and staff per window. */
export async function seedReportHall(db: Db, hallId: string, opts: { departments: number; windowsPerDepartment: number; staffPerWindow: number; passwordHash: string; firstWindowNumber?: number }): Promise<GeneratedHall> {
  const out: GeneratedHall = { departmentIds: [], windows: [] };
  let number = opts.firstWindowNumber ?? 101;
  for (let d = 0; d < opts.departments; d++) {
    const [dept] = await db.insert(departments).values({ hallId, name: `生成部门${String(d + 1).padStart(2, '0')}`, sortOrder: 100 + d }).returning({ id: departments.id });
    out.departmentIds.push(dept!.id);
    for (let w = 0; w < opts.windowsPerDepartment; w++, number++) {
      const [svc] = await db
        .insert(services)
        .values({ hallId, code: `G-${number}`, name: `生成事项${number}`, departmentId: dept!.id, kind: 'immediate', legalLimitDays: 20, promisedLimitDays: 3, queuePrefix: 'G' })
        .returning({ id: services.id });
      const [win] = await db.insert(windows).values({ hallId, name: `${number}号窗口`, number, departmentId: dept!.id }).returning({ id: windows.id });
      await db.insert(windowServices).values({ windowId: win!.id, serviceId: svc!.id });
      const staffIds: string[] = [];
      for (let s = 0; s < opts.staffPerWindow; s++) {
        const [u] = await db
          .insert(users)
          .values({ hallId, username: `gen${number}_${s}`, displayName: `生成人员${number}-${s + 1}`, passwordHash: opts.passwordHash, roles: ['staff'], departmentId: dept!.id })
          .returning({ id: users.id });
        await db.insert(userWindows).values({ userId: u!.id, windowId: win!.id });
        staffIds.push(u!.id);
      }
      out.windows.push({ id: win!.id, departmentId: dept!.id, serviceId: svc!.id, staffIds });
    }
  }
  return out;
}

const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * `count` cases received in `month` (09:00-16:00 local, spread over the days), volume skewed towards the
 * first windows: 80% immediate, 15% promised, 5% joint; one in 50 returned, one in 25 still open, the
 * rest completed (a third delivered); some promised cases finish late or in the next month. Each case
 * has a ticket with issued, called, started and finished events; `count / 10` more tickets are
 * consultations with no case; every third finished case is rated.
 */
export async function generateMonth(db: Db, hallId: string, hall: GeneratedHall, month: string, count: number, zone = 'Asia/Shanghai'): Promise<void> {
  const start = new Date(fromLocal(`${month}-01`, 0, zone)).toISOString();
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const W = hall.windows.length;
  const win = uuidArray(hall.windows.map((w) => w.id));
  const dept = uuidArray(hall.windows.map((w) => w.departmentId));
  const svc = uuidArray(hall.windows.map((w) => w.serviceId));
  const staff = uuidArray(hall.windows.map((w) => w.staffIds[0]!));
  const tag = month.replace('-', '');
  // Shared expressions over g: the window index (skewed), the receipt time and the kind.
  const base = sql.raw(`
    select g,
      least(${W} - 1, floor(${W} * power((g * 0.6180339887) - floor(g * 0.6180339887), 2)))::int + 1 as wi,
      '${start}'::timestamptz + make_interval(days => g % ${days}, mins => 540 + (g * 37) % 420) as received_at,
      case when g % 20 < 16 then 'immediate' when g % 20 < 19 then 'promised' else 'joint' end as akind,
      case when g % 50 = 7 then 'returned' when g % 25 = 3 then 'accepted' when g % 3 = 0 then 'delivered' else 'completed' end as status
    from generate_series(1, ${count}) g`);
  await db.execute(sql`
    insert into tickets (id, hall_id, number, local_date, issued_service_id, service_id, priority, channel, status, window_id, staff_id, issued_at, queued_at, called_at, started_at, finished_at)
    select md5('t' || ${tag} || ${hallId} || g)::uuid, ${hallId}, 'R' || g, ((received_at - interval '15 minutes') at time zone ${zone})::date,
      (${svc}::uuid[])[wi], (${svc}::uuid[])[wi], 'normal', 'kiosk', 'done', (${win}::uuid[])[wi], (${staff}::uuid[])[wi],
      received_at - interval '15 minutes', received_at - interval '15 minutes', received_at - interval '2 minutes', received_at - interval '1 minute', received_at + interval '20 minutes'
    from (${base}) b`);
  await db.execute(sql`
    insert into cases (id, hall_id, case_number, service_id, service_name, department_id, window_id, ticket_id, handler_id, kind, accepted_kind, status,
      applicant_type, applicant_name, applicant_id_number, applicant_phone, limit_days, received_at, accepted_at, deadline_at, finished_at, light)
    select md5('c' || ${tag} || ${hallId} || g)::uuid, ${hallId}, 'GEN-' || ${tag} || '-' || left(${hallId}::text, 8) || '-' || g, (${svc}::uuid[])[wi], '生成事项', (${dept}::uuid[])[wi], (${win}::uuid[])[wi],
      md5('t' || ${tag} || ${hallId} || g)::uuid, (${staff}::uuid[])[wi],
      case when status = 'returned' then 'returned' else akind end, akind, status,
      'person', '张三', '110101199003070011', '13800000000', case when akind = 'immediate' then 0 else 3 end,
      received_at,
      case when status = 'returned' then null else received_at + interval '5 minutes' end,
      case when status = 'returned' then null
           else ((date_trunc('day', received_at at time zone ${zone}) + make_interval(days => case when akind = 'immediate' then 0 else 3 end) + interval '17 hours') at time zone ${zone}) end,
      case when status = 'accepted' then null
           when status = 'returned' then received_at + interval '1 hour'
           when akind = 'immediate' then received_at + interval '20 minutes'
           else received_at + make_interval(days => g % 5, hours => 2) end,
      case when status = 'accepted' then 'green' end
    from (${base}) b`);
  // Queue events of the case tickets, then consultations: tickets finished at a window with no case.
  for (const [type, offset] of [['issued', '-15'], ['called', '-2'], ['started', '-1'], ['finished', '20']] as const) {
    await db.execute(sql`
      insert into ticket_events (hall_id, ticket_id, type, at, service_id, window_id, staff_id, priority)
      select ${hallId}, md5('t' || ${tag} || ${hallId} || g)::uuid, ${type}, received_at + make_interval(mins => ${sql.raw(offset)}), (${svc}::uuid[])[wi],
        ${type === 'issued' ? sql`null` : sql`(${win}::uuid[])[wi]`}, ${type === 'issued' ? sql`null` : sql`(${staff}::uuid[])[wi]`}, 'normal'
      from (${base}) b`);
  }
  const consults = Math.floor(count / 10);
  if (consults > 0) {
    const consultBase = sql.raw(`
      select g, ((g * 7) % ${W}) + 1 as wi, '${start}'::timestamptz + make_interval(days => g % ${days}, mins => 560 + (g * 53) % 400) as at
      from generate_series(1, ${consults}) g`);
    await db.execute(sql`
      insert into tickets (id, hall_id, number, local_date, issued_service_id, service_id, priority, channel, status, window_id, staff_id, issued_at, queued_at, called_at, finished_at)
      select md5('q' || ${tag} || ${hallId} || g)::uuid, ${hallId}, 'Q' || g, (at at time zone ${zone})::date, (${svc}::uuid[])[wi], (${svc}::uuid[])[wi], 'normal', 'kiosk', 'done',
        (${win}::uuid[])[wi], (${staff}::uuid[])[wi], at, at, at + interval '5 minutes', at + interval '12 minutes'
      from (${consultBase}) b`);
    for (const [type, offset] of [['issued', 0], ['called', 5], ['finished', 12]] as const) {
      await db.execute(sql`
        insert into ticket_events (hall_id, ticket_id, type, at, service_id, window_id, staff_id, priority)
        select ${hallId}, md5('q' || ${tag} || ${hallId} || g)::uuid, ${type}, at + make_interval(mins => ${sql.raw(String(offset))}), (${svc}::uuid[])[wi],
          ${type === 'issued' ? sql`null` : sql`(${win}::uuid[])[wi]`}, ${type === 'issued' ? sql`null` : sql`(${staff}::uuid[])[wi]`}, 'normal'
        from (${consultBase}) b`);
    }
  }
  await db.execute(sql`
    insert into ratings (hall_id, subject, case_id, case_number, service_id, department_id, window_id, staff_id, grade, score, channel, served_at, rated_at, recorded_at)
    select ${hallId}, 'case', c.id, c.case_number, c.service_id, c.department_id, c.window_id, c.handler_id,
      gr.grade, gr.score, 'pad', c.finished_at, c.finished_at + interval '1 minute', c.finished_at + interval '1 minute'
    from cases c
    cross join lateral (select case when (hashtext(c.case_number) & 1023) < 880 then 'very_satisfied' when (hashtext(c.case_number) & 1023) < 990 then 'satisfied'
                                    when (hashtext(c.case_number) & 1023) < 1010 then 'basic' when (hashtext(c.case_number) & 1023) < 1020 then 'dissatisfied' else 'very_dissatisfied' end as grade) g0
    cross join lateral (select g0.grade, case g0.grade when 'very_satisfied' then 5 when 'satisfied' then 4 when 'basic' then 3 when 'dissatisfied' then 2 else 1 end as score) gr
    where c.hall_id = ${hallId} and c.case_number like ${`GEN-${tag}-%`} and c.status in ('completed', 'delivered') and (hashtext(c.case_number) % 3) = 0`);
}
