// Taking a ticket, written by group commit: the requests that reach a node while a batch is being written
// are written together by one statement (see src/shared/group-commit.ts). It draws the numbers of each
// (hall, prefix, day) counter for the whole batch, inserts the tickets in the order of their draws (so
// first come first served within a class is the order of the numbers), their `issued` events and audit
// rows, bumps the daily caps, schedules the day's sweep, signals the screens once, and returns what each
// answer needs (people ahead, the estimate's inputs), so no request reads its ticket back.
//
// Each request keeps its own answer: a refusal (cap reached, ID already holding a ticket, a key used for
// another service) is decided per request before the write, and the write skips a row that collides with
// a ticket another node wrote meanwhile (ON CONFLICT DO NOTHING) instead of failing the batch.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { DomainError } from '../server/errors.js';
import type { Actor } from '../audit/audit.js';
import { services } from '../org/tables.js';
import { keyring } from '../shared/data-key.js';
import { maskIdNumber } from '../shared/identity.js';
import { QUEUE_CHANNEL } from './display.js';
import { createGroupCommit, type Outcome } from '../shared/group-commit.js';
import type { Priority } from './priority.js';
import type { PublicTicket, TicketInput } from './schemas.js';
import { QUEUE_SWEEP } from './sweep.js';
import { tickets, type TicketChannel } from './tables.js';
import { ESTIMATE_SAMPLE, publicTicket, toPublic, type HallQueue, type Step } from './views.js';
import { rowsOf } from '../db/reads.js';

export interface IssueOptions {
  idempotencyKey?: string;
  /** Set by an appointment's check-in; the public form cannot ask for these. */
  channel?: TicketChannel;
  priority?: Priority;
}

/** Everything checked and read before the write (see `prepareIssue` in service.ts). */
export interface IssuePlan {
  hall: HallQueue;
  service: { id: string; code: string; name: string; prefix: string };
  /** The steps that follow on the same number (一窗受理). */
  then: (Step & { id: string })[];
  idNumber: string | null;
  idHash: string | null;
  now: Date;
  today: string;
  /** When the day's unfinished tickets are ended; null when the hall keeps no session that day. */
  sweepAt: Date | null;
}

export interface IssueRequest {
  actor: Actor;
  plan: IssuePlan;
  input: TicketInput;
  options: IssueOptions;
}

export interface Issued {
  replayed: boolean;
  ticket: PublicTicket;
}

/** Sends the "N places from the front" SMS to the given new tickets that qualify, in the caller's transaction. */
export type NearFront = (tx: Db, hall: HallQueue, ticketIds: string[], today: string, now: Date) => Promise<void>;

/** The rows of `tx.execute` (node-postgres and PGlite both answer `{ rows }`). */
const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;

const alreadyHolds = (plan: IssuePlan, number?: string) =>
  new DomainError(
    409,
    'ALREADY_HAS_TICKET',
    `该证件今日已领取“${plan.service.name}”的号码${number ? `（${number}）` : ''}，同一事项每人每天限取一个号`,
    number ? { number } : undefined,
  );

const keyReused = (number: string) =>
  new DomainError(409, 'IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一事项的取号，请勿重复使用', { number });

const capReached = (plan: IssuePlan, cap: number) =>
  new DomainError(409, 'DAILY_CAP_REACHED', `今日“${plan.service.name}”的号已取完（每日限 ${cap} 个），请改日再来或网上预约`, {
    serviceCode: plan.service.code,
    cap,
  });

/** The ticket an Idempotency-Key already printed in the hall, or null; a key reused for another service is refused. */
export async function replayOf(db: Db, hall: HallQueue, key: string, serviceCode: string): Promise<Issued | null> {
  const [row] = await db
    .select({ id: tickets.id, number: tickets.number, code: services.code })
    .from(tickets)
    .innerJoin(services, eq(services.id, tickets.issuedServiceId))
    .where(and(eq(tickets.hallId, hall.hallId), eq(tickets.idempotencyKey, key)));
  if (!row) return null;
  if (row.code !== serviceCode) throw keyReused(row.number);
  return { replayed: true, ticket: await publicTicket(db, hall, row.id) };
}

interface Checked {
  caps: { hallId: string; scope: string; date: string; value: number }[];
  keys: { hallId: string; key: string; id: string; serviceCode: string; number: string }[];
  held: { hallId: string; serviceId: string; date: string; idHash: string; number: string }[];
}

/** A row of `queue_issue_batch` (migrations/0012_queue_batching.sql): one ticket written. */
interface Written {
  o_ord: number;
  o_id: string;
  o_number: string;
  o_seq: string | number;
  o_waiting: Partial<Record<Priority, number>>;
  o_samples: number[];
  o_open_windows: number;
}

export function createIssuing(db: Db, nearFront: NearFront) {
  /** The day each hall's sweep was last scheduled from this node, so it is written once a day, not per batch. */
  const sweepScheduled = new Map<string, string>();

  /**
   * Locks the cap counters the batch draws from (in one order, so nodes never deadlock) and reads them,
   * with the tickets already holding the batch's keys and ID numbers. Skipped when no request needs it.
   */
  async function check(tx: Db, batch: IssueRequest[]): Promise<Checked> {
    const caps = new Map<string, { hall_id: string; scope: string; local_date: string }>();
    const keys: { hall_id: string; key: string }[] = [];
    const holds: { hall_id: string; service_id: string; local_date: string; id_hash: string }[] = [];
    for (const { plan, options } of batch) {
      const hallId = plan.hall.hallId;
      if (plan.hall.settings.dailyCaps[plan.service.code] !== undefined) {
        const scope = `service:${plan.service.id}`;
        caps.set(`${hallId}|${scope}|${plan.today}`, { hall_id: hallId, scope, local_date: plan.today });
      }
      if (options.idempotencyKey) keys.push({ hall_id: hallId, key: options.idempotencyKey });
      if (plan.idHash) holds.push({ hall_id: hallId, service_id: plan.service.id, local_date: plan.today, id_hash: plan.idHash });
    }
    if (caps.size === 0 && keys.length === 0 && holds.length === 0) return { caps: [], keys: [], held: [] };
    const [row] = rowsOf<Checked>(
      await tx.execute(sql`
        with locked as (
          insert into queue_counters (hall_id, scope, local_date, value)
          select c.hall_id, c.scope, c.local_date, 0
          from jsonb_to_recordset(${JSON.stringify([...caps.values()])}::jsonb) as c(hall_id uuid, scope text, local_date date)
          order by c.hall_id, c.scope, c.local_date
          on conflict (hall_id, scope, local_date) do update set value = queue_counters.value
          returning hall_id, scope, local_date, value)
        select
          (select coalesce(jsonb_agg(jsonb_build_object('hallId', hall_id, 'scope', scope, 'date', local_date, 'value', value)), '[]'::jsonb)
           from locked) as caps,
          (select coalesce(jsonb_agg(jsonb_build_object('hallId', t.hall_id, 'key', t.idempotency_key, 'id', t.id, 'serviceCode', s.code, 'number', t.number)), '[]'::jsonb)
           from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(hall_id uuid, key text)
           join tickets t on t.hall_id = k.hall_id and t.idempotency_key = k.key
           join services s on s.id = t.issued_service_id) as keys,
          (select coalesce(jsonb_agg(jsonb_build_object('hallId', t.hall_id, 'serviceId', t.issued_service_id, 'date', t.local_date, 'idHash', t.id_hash, 'number', t.number)), '[]'::jsonb)
           from jsonb_to_recordset(${JSON.stringify(holds)}::jsonb) as h(hall_id uuid, service_id uuid, local_date date, id_hash text)
           join tickets t on t.hall_id = h.hall_id and t.issued_service_id = h.service_id and t.local_date = h.local_date and t.id_hash = h.id_hash) as held`),
    );
    return row!;
  }

  /** The one statement that writes the admitted requests (a function, planned once per connection); a row per ticket written. */
  async function writeTickets(tx: Db, batch: IssueRequest[], sweeps: { hall_id: string; key: string; due_at: string }[]): Promise<Map<string, Written>> {
    // Phones are sealed here, before the one statement; the keyring is cached, so this adds no query.
    const ring = batch.some((req) => req.input.phone) ? await keyring(tx) : null;
    const reqs = batch.map((req, ord) => {
      const { actor, plan, input, options } = req;
      const channel = options.channel ?? input.channel;
      return {
        ord,
        id: crypto.randomUUID(),
        hall_id: plan.hall.hallId,
        local_date: plan.today,
        service_id: plan.service.id,
        prefix: plan.service.prefix,
        next_ids: pgArray(plan.then.map((s) => s.id)),
        priority: priorityOf(req),
        channel,
        at: plan.now.toISOString(),
        holder_name: input.name ?? null,
        id_hash: plan.idHash,
        id_masked: plan.idNumber ? maskIdNumber(plan.idNumber) : null,
        phone: input.phone ? ring!.seal(input.phone) : null,
        idempotency_key: options.idempotencyKey ?? null,
        actor_id: actor.id,
        actor_name: actor.name,
        actor_roles: pgArray(actor.roles),
        audit_after: { serviceCode: plan.service.code, channel, priority: priorityOf(req) },
      };
    });
    const capped = [...new Set(batch.filter(({ plan }) => plan.hall.settings.dailyCaps[plan.service.code] !== undefined).map(({ plan }) => plan.service.id))];
    const rows = rowsOf<Written>(
      await tx.execute(sql`select * from queue_issue_batch(${JSON.stringify(reqs)}::jsonb, ${pgArray(capped)}::uuid[],
        ${JSON.stringify(sweeps)}::jsonb, ${QUEUE_SWEEP}::text, ${QUEUE_CHANNEL}::text, ${ESTIMATE_SAMPLE}::int)`),
    );
    return new Map(rows.map((r) => [String(r.o_ord), r]));
  }

  /** People ahead of each new ticket: those waiting before the batch, and the batch's own tickets before it. */
  function aheadOf(batch: IssueRequest[], written: Map<string, Written>): Map<string, number> {
    const ahead = new Map<string, number>();
    const entries = [...written.entries()].map(([ord, w]) => ({ ord, w, req: batch[Number(ord)]! }));
    for (const { ord, w, req } of entries) {
      const order = req.plan.hall.settings.priorityOrder;
      const mine = priorityOf(req);
      const rank = order.indexOf(mine);
      let n = order.slice(0, rank + 1).reduce((sum, p) => sum + Number(w.o_waiting[p] ?? 0), 0);
      for (const other of entries) {
        if (other.ord === ord || other.req.plan.service.id !== req.plan.service.id || other.req.plan.hall.hallId !== req.plan.hall.hallId) continue;
        const otherRank = order.indexOf(priorityOf(other.req));
        if (otherRank < rank || (otherRank === rank && Number(other.w.o_seq) < Number(w.o_seq))) n++;
      }
      ahead.set(ord, n);
    }
    return ahead;
  }

  /**
   * Decides and writes the requests `candidates` (indexes into `batch`, no two with the same key or ID
   * number) in the caller's transaction: refusals and new tickets go to `out`; requests whose key
   * already printed a ticket to `replays`; `admitted` are the ones written or meant to be.
   */
  async function writeIn(tx: Db, batch: IssueRequest[], candidates: number[]) {
    const out: (Outcome<Issued> | undefined)[] = new Array(batch.length);
    const replays = new Map<number, string>();
    const admitted: number[] = [];
    const sweeps = new Map<string, { hall_id: string; key: string; due_at: string; date: string }>();
    const checked = await check(tx, candidates.map((i) => batch[i]!));
    const used = new Map(checked.caps.map((c) => [`${c.hallId}|${c.scope}|${c.date}`, Number(c.value)]));
    for (const i of candidates) {
      const { plan, input, options } = batch[i]!;
      const hallId = plan.hall.hallId;
      const key = options.idempotencyKey;
      const printed = key ? checked.keys.find((k) => k.hallId === hallId && k.key === key) : undefined;
      if (printed) {
        if (printed.serviceCode === input.serviceCode) replays.set(i, printed.id);
        else out[i] = { ok: false, error: keyReused(printed.number) };
        continue;
      }
      const held = plan.idHash
        ? checked.held.find((h) => h.hallId === hallId && h.serviceId === plan.service.id && h.date === plan.today && h.idHash === plan.idHash)
        : undefined;
      if (held) {
        out[i] = { ok: false, error: alreadyHolds(plan, held.number) };
        continue;
      }
      const cap = plan.hall.settings.dailyCaps[plan.service.code];
      if (cap !== undefined) {
        const counter = `${hallId}|service:${plan.service.id}|${plan.today}`;
        const count = used.get(counter) ?? 0;
        if (count >= cap) {
          out[i] = { ok: false, error: capReached(plan, cap) };
          continue;
        }
        used.set(counter, count + 1);
      }
      admitted.push(i);
      if (plan.sweepAt && sweepScheduled.get(hallId) !== plan.today) {
        sweeps.set(hallId, { hall_id: hallId, key: `${hallId}:${plan.today}`, due_at: plan.sweepAt.toISOString(), date: plan.today });
      }
    }
    if (admitted.length === 0) return { out, replays, admitted, sweeps };
    const admittedBatch = admitted.map((i) => batch[i]!);
    const written = await writeTickets(tx, admittedBatch, [...sweeps.values()].map(({ date: _date, ...s }) => s));
    const ahead = aheadOf(admittedBatch, written);
    for (const [ord, w] of written) {
      const i = admitted[Number(ord)]!;
      const { plan, input } = batch[i]!;
      out[i] = { ok: true, value: { replayed: false, ticket: ticketOf(batch[i]!, w, ahead.get(ord)!) } };
      // Only a new ticket can have come near the front (nobody else moved), and only one that left a phone.
      const limit = plan.hall.settings.notifyAhead;
      if (input.phone && limit > 0 && ahead.get(ord)! <= limit) await nearFront(tx, plan.hall, [w.o_id], plan.today, plan.now);
    }
    return { out, replays, admitted, sweeps };
  }

  /**
   * A batch of the group commit; every request gets its own outcome. When nothing needs a check before
   * the write or a notice after it (no key, cap, ID number or phone), the batch is the one statement,
   * which is a transaction by itself. Nothing after the commit may throw: the group commit would write
   * the batch's requests again one by one.
   */
  async function write(batch: IssueRequest[]): Promise<Outcome<Issued>[]> {
    // The same key or ID number twice in one batch: the first is written, the others follow its outcome.
    const followers: { i: number; leader: number; kind: 'key' | 'held' }[] = [];
    const leaders = new Map<string, number>();
    batch.forEach(({ plan, options }, i) => {
      const hallId = plan.hall.hallId;
      const keyed = options.idempotencyKey ? `key|${hallId}|${options.idempotencyKey}` : null;
      const held = plan.idHash ? `held|${hallId}|${plan.service.id}|${plan.today}|${plan.idHash}` : null;
      for (const [name, kind] of [[keyed, 'key'], [held, 'held']] as const) {
        if (name === null) continue;
        const leader = leaders.get(name);
        if (leader !== undefined) return followers.push({ i, leader, kind });
      }
      if (keyed) leaders.set(keyed, i);
      if (held) leaders.set(held, i);
    });
    const following = new Set(followers.map((f) => f.i));
    const candidates = batch.map((_, i) => i).filter((i) => !following.has(i));
    const alone = candidates.every((i) => !needsTransaction(batch[i]!));
    const { out, replays, admitted, sweeps } = await (alone ? writeIn(db, batch, candidates) : db.transaction((tx) => writeIn(tx, batch, candidates)));
    for (const s of sweeps.values()) sweepScheduled.set(s.hall_id, s.date);

    for (const [i, id] of replays) out[i] = await settled(async () => ({ replayed: true, ticket: await publicTicket(db, batch[i]!.plan.hall, id) }));
    // Admitted but not written: another node wrote the same key or ID number between the check and the write.
    for (const i of admitted) {
      if (out[i]) continue;
      const { plan, input, options } = batch[i]!;
      const key = options.idempotencyKey;
      out[i] = key
        ? await settled(async () => (await replayOf(db, plan.hall, key, input.serviceCode)) ?? Promise.reject(alreadyHolds(plan)))
        : { ok: false, error: alreadyHolds(plan) };
    }
    for (const { i, leader, kind } of followers) {
      const first = out[leader]!;
      const { plan, input } = batch[i]!;
      if (!first.ok) out[i] = first;
      else if (kind === 'held') out[i] = { ok: false, error: alreadyHolds(plan, first.value.ticket.number) };
      else if (first.value.ticket.serviceCode !== input.serviceCode) out[i] = { ok: false, error: keyReused(first.value.ticket.number) };
      else out[i] = { ok: true, value: { replayed: true, ticket: first.value.ticket } };
    }
    return out as Outcome<Issued>[];
  }

  const commit = createGroupCommit(write);
  return {
    /** Takes a ticket with the other requests arriving at this node meanwhile, in a transaction of their own. */
    submit: (request: IssueRequest) => commit.submit(request),

    /**
     * Writes one ticket in the caller's transaction (an appointment's check-in, which changes the booking
     * in the same one) and returns its id: the ticket of the key's first try on a retry. Refusals throw.
     */
    async writeOne(tx: Db, request: IssueRequest): Promise<string> {
      const { out, replays } = await writeIn(tx, [request], [0]);
      const replayed = replays.get(0);
      if (replayed) return replayed;
      const outcome = out[0];
      if (!outcome) throw alreadyHolds(request.plan);
      if (!outcome.ok) throw outcome.error;
      return outcome.value.ticket.id;
    },
  };
}

const priorityOf = ({ input, options }: IssueRequest): Priority => options.priority ?? input.priority ?? 'normal';

/** Whether a request needs more than the one statement: a check before it (cap, key, ID number) or a notice after it (phone). */
const needsTransaction = ({ plan, input, options }: IssueRequest) =>
  plan.hall.settings.dailyCaps[plan.service.code] !== undefined || options.idempotencyKey !== undefined || plan.idHash !== null || input.phone !== undefined;

async function settled<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The answer for a ticket just written, from the write itself. */
function ticketOf(req: IssueRequest, w: Written, ahead: number): PublicTicket {
  const { plan, input } = req;
  return toPublic(plan.hall, {
    ticket: {
      id: w.o_id,
      number: w.o_number,
      status: 'waiting',
      priority: priorityOf(req),
      issuedAt: plan.now,
      calledAt: null,
      holderName: input.name ?? null,
      skippedAt: null,
    },
    serviceCode: plan.service.code,
    serviceName: plan.service.name,
    windowName: null,
    windowNumber: null,
    done: [],
    next: plan.then.map(({ code, name }) => ({ code, name })),
    ahead,
    samples: w.o_samples,
    openWindows: Number(w.o_open_windows),
  });
}
