import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booking } from '../appointments/test-helpers.js';
import { auditEvents } from '../audit/tables.js';
import { createTimerRunner, scheduleTimer } from '../jobs/timers.js';
import { notifications } from '../notify/tables.js';
import { outbox } from '../notify/test-helpers.js';
import { signIn } from '../online/test-helpers.js';
import { tickets } from '../queue/tables.js';
import { dataKeyOf, encrypt, newKey } from '../shared/crypto.js';
import { dataKeys, forgetKeyring, keyring } from '../shared/data-key.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { opsTimerHandlers, sealedColumns, SEAL_CLEAR } from './reseal.js';
import { rowsOf } from '../db/reads.js';
import { rotateKey } from './rotate.js';

// Keys from the environment, as a city deployment sets them; restored afterwards for the suites that share
// this worker.
const ENV = ['ONEWINDOW_DATA_KEY', 'ONEWINDOW_DATA_KEYS_OLD', 'ONEWINDOW_HASH_KEY'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
const setKeys = (keys: Partial<Record<(typeof ENV)[number], string>>) => {
  for (const k of ENV) {
    if (keys[k] === undefined) delete process.env[k];
    else process.env[k] = keys[k];
  }
};

const KEY1 = newKey();
const KEY2 = newKey();
const ID = '11010519491231002X';

let t: TestApp;
beforeAll(async () => {
  setKeys({ ONEWINDOW_DATA_KEY: KEY1 });
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** Every sealed value in the database, by `table.column`. */
async function sealedValues(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of await sealedColumns(t.ctx.db)) {
    const rows = rowsOf<{ v: string }>(
      await t.ctx.db.execute(sql`select ${sql.identifier(c.column)} as v from ${sql.identifier(c.table)} where ${sql.identifier(c.column)} is not null ${c.where ? sql`and ${c.where}` : sql``}`),
    );
    if (rows.length) out[`${c.table}.${c.column}`] = rows.map((r) => r.v);
  }
  return out;
}

describe('rotating the personal-data key', () => {
  // What people see of the data sealed under key 1, taken through the real services.
  let seen: Record<string, unknown>;
  let views: () => Promise<Record<string, unknown>>;

  it('re-seals every value with key 2; with key 1 gone every view shows the same and lookups still match', async () => {
    const kase = await t.api('staff', { method: 'POST', url: '/cases', payload: { serviceCode: 'T-001', applicant: { name: '张三丰', idNumber: ID, phone: '13812345678' }, materials: [] } });
    expect(kase.statusCode).toBe(201);
    const booked = await t.api(null, { method: 'POST', url: '/appointments', payload: booking('2025-09-30T14:00:00+08:00', 1, { idNumber: ID, phone: '13800138000' }) });
    expect(booked.statusCode).toBe(201);
    const applicant = await signIn(t, '13912345678');
    const complaint = await t.api('supervisor', { method: 'POST', url: '/complaints', payload: { kind: 'complaint', channel: 'on_site', complexity: 'simple', complainantName: '赵六', complainantPhone: '13900002222', content: '窗口人员态度不好' } });
    expect(complaint.statusCode).toBe(201);
    const ticket = await t.api(null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'mobile', phone: '13700001111' } });
    expect(ticket.statusCode).toBe(201);
    // The ticket is first in line: its "places from the front" SMS went into the outbox at once.
    expect((await outbox(t.ctx.db, eq(notifications.template, 'queue.near_front'))).map((n) => n.recipient)).toEqual(['13700001111']);

    views = async () => ({
      case: (await t.api('staff', { method: 'GET', url: `/cases/${kase.json().caseNumber}` })).json().applicant,
      booking: (await t.api(null, { method: 'POST', url: '/appointments/lookup', payload: { code: booked.json().code, idNumber: ID } })).json(),
      me: (await applicant.call({ method: 'GET', url: '/online/me' })).json(),
      complaints: (await t.api('supervisor', { method: 'GET', url: '/complaints' })).json(),
      ticket: (await t.api('staff', { method: 'GET', url: `/queue/tickets/${ticket.json().id}` })).json().phone,
      outboxList: (await t.api('manager', { method: 'GET', url: '/notifications' })).json().map((n: { recipient: string; template: string }) => [n.template, n.recipient]),
      gateway: (await outbox(t.ctx.db)).map((n) => [n.template, n.recipient]).sort(),
    });
    seen = await views();
    // Masked where the views mask, in clear where staff see the clear number.
    expect(seen.ticket).toBe('137****1111');
    expect(seen.outboxList).toEqual(expect.arrayContaining([['queue.near_front', '137****1111']]));
    expect(JSON.stringify(seen.me)).toContain('139****5678');

    // No phone or ID number anywhere at rest: the ticket's phone and the outbox recipient are sealed too.
    const before = await sealedValues();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['tickets.phone', 'notifications.recipient', 'cases.applicant_phone_enc', 'appointments.id_number_enc', 'applicants.phone_enc', 'complaints.complainant_phone_enc']));
    const key1 = dataKeyOf(KEY1).id;
    for (const v of Object.values(before).flat()) expect(v.startsWith(`v2.${key1}.`)).toBe(true);

    // Step 1 of the runbook: key 2 seals, key 1 still opens, the lookup key stays key 1.
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_DATA_KEYS_OLD: KEY1, ONEWINDOW_HASH_KEY: KEY1 });
    const total = Object.values(before).flat().length;
    const dry = await rotateKey(t.ctx.db, { dryRun: true });
    expect(dry.total).toBe(total);
    const audits = () => t.ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'ops.rotate_key'));
    expect(await audits()).toEqual([]);
    expect(await views()).toEqual(seen);

    const run = await rotateKey(t.ctx.db, { batch: 2 });
    expect(run).toMatchObject({ keyId: dataKeyOf(KEY2).id, total, retiredKeyIds: [key1] });
    const after = await sealedValues();
    for (const v of Object.values(after).flat()) expect(v.startsWith(`v2.${dataKeyOf(KEY2).id}.`)).toBe(true);
    // One audit record for the run, with counts and no values.
    const [audit] = await audits();
    expect(audit!.after).toMatchObject({ total, counts: expect.objectContaining({ 'tickets.phone': 1, 'cases.applicant_phone_enc': 1 }) });
    expect(JSON.stringify(audit)).not.toMatch(/v2\.|1381234|13700001111/);
    expect((await rotateKey(t.ctx.db, { dryRun: true })).total).toBe(0);

    // Step 2: key 1 removed. Everything reads the same; sign-in finds the same applicant by its phone hash.
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_HASH_KEY: KEY1 });
    expect(await views()).toEqual(seen);
    t.clock.set('2025-09-30T09:05:00+08:00');
    const again = await signIn(t, '13912345678');
    expect((await again.call({ method: 'GET', url: '/online/me' })).json()).toEqual(seen.me);
  });

  it('a value still sealed with the removed key is a clear DATA_KEY_MISSING naming the key, not a crash', async () => {
    const [ticket] = await t.ctx.db.select({ id: tickets.id }).from(tickets).limit(1);
    const stale = dataKeyOf(KEY1);
    await t.ctx.db.update(tickets).set({ phone: encrypt(stale, '13700001111') }).where(eq(tickets.id, ticket!.id));
    const res = await t.api('staff', { method: 'GET', url: `/queue/tickets/${ticket!.id}` });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({ code: 'DATA_KEY_MISSING', details: { keyId: stale.id } });
    expect(res.json().error.message).toContain('ONEWINDOW_DATA_KEYS_OLD');
    // The run refuses it the same way until the key is back; with it back, the run finishes the job.
    await expect(rotateKey(t.ctx.db)).rejects.toMatchObject({ code: 'DATA_KEY_MISSING' });
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_DATA_KEYS_OLD: KEY1, ONEWINDOW_HASH_KEY: KEY1 });
    expect((await rotateKey(t.ctx.db)).counts['tickets.phone']).toBe(1);
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_HASH_KEY: KEY1 });
    expect((await t.api('staff', { method: 'GET', url: `/queue/tickets/${ticket!.id}` })).json().phone).toBe('137****1111');
  });

  it('refuses a second key without a named lookup key, and a lookup key that does not match the stored hashes', async () => {
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_DATA_KEYS_OLD: KEY1 });
    await expect(keyring(t.ctx.db)).rejects.toMatchObject({ code: 'DATA_KEY_CONFIG' });
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_HASH_KEY: KEY2 });
    await expect(rotateKey(t.ctx.db)).rejects.toThrow(/ONEWINDOW_HASH_KEY/);
    setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_HASH_KEY: KEY1 });
  });
});

describe('keys kept in the database (a single-box hall)', () => {
  it('rotate-key makes a new key, re-seals, then forgets the old one; a rerun after a crash finishes the job', async () => {
    setKeys({});
    const fresh = await createTestApp();
    try {
      const ticket = await fresh.api(null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'mobile', phone: '13700001111' } });
      const view = () => fresh.api('staff', { method: 'GET', url: `/queue/tickets/${ticket.json().id}` }).then((r) => r.json().phone);
      expect(await view()).toBe('137****1111');
      const names = async () => (await fresh.ctx.db.select({ name: dataKeys.name }).from(dataKeys)).map((r) => r.name).sort();
      const old = (await keyring(fresh.ctx.db)).current.id;
      // A dry run counts every value and makes no key.
      expect((await rotateKey(fresh.ctx.db, { dryRun: true })).counts['tickets.phone']).toBe(1);
      expect(await names()).toEqual(['lookup', 'personal']);
      const run = await rotateKey(fresh.ctx.db);
      expect(run.keyId).not.toBe(old);
      expect(run.counts['tickets.phone']).toBe(1);
      expect(await names()).toEqual(['lookup', 'personal']);
      expect(await view()).toBe('137****1111');

      // A crash after the key switched: the old key is still retired in the table, so a rerun resumes.
      const [current] = await fresh.ctx.db.select().from(dataKeys).where(eq(dataKeys.name, 'personal'));
      const previous = dataKeyOf(current!.key);
      await fresh.ctx.db.insert(dataKeys).values({ name: `retired:${previous.id}`, key: current!.key });
      await fresh.ctx.db.update(dataKeys).set({ key: newKey() }).where(eq(dataKeys.name, 'personal'));
      forgetKeyring(fresh.ctx.db);
      const resumed = await rotateKey(fresh.ctx.db);
      expect(resumed.counts['tickets.phone']).toBe(1);
      expect(resumed.retiredKeyIds).toEqual([previous.id]);
      expect(await names()).toEqual(['lookup', 'personal']);
      expect(await view()).toBe('137****1111');
    } finally {
      await fresh.close();
      setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_HASH_KEY: KEY1 });
    }
  });
});

describe('phones written in clear before 0021', () => {
  it('are sealed by the hall’s ops.seal_clear timer, and read the same before and after', async () => {
    setKeys({});
    const fresh = await createTestApp();
    try {
      const ticket = (await fresh.api(null, { method: 'POST', url: '/tickets', payload: { serviceCode: 'T-001', channel: 'kiosk' } })).json();
      // As the rows stood before migration 0021: a clear phone on the ticket and in the SMS outbox.
      await fresh.ctx.db.update(tickets).set({ phone: '13700001111' }).where(eq(tickets.id, ticket.id));
      await fresh.ctx.db.insert(notifications).values({ hallId: fresh.hall.hallId, channel: 'sms', recipient: '13700001111', template: 'queue.near_front', body: '前面还有 1 人' });
      const views = async () => ({
        ticket: (await fresh.api('staff', { method: 'GET', url: `/queue/tickets/${ticket.id}` })).json().phone,
        list: (await fresh.api('manager', { method: 'GET', url: '/notifications' })).json().map((n: { recipient: string }) => n.recipient),
      });
      expect(await views()).toEqual({ ticket: '137****1111', list: ['137****1111'] });
      await fresh.ctx.db.transaction((tx) => scheduleTimer(tx, { hallId: fresh.hall.hallId, kind: SEAL_CLEAR, key: fresh.hall.hallId, dueAt: fresh.clock.now() }));
      expect(await createTimerRunner({ db: fresh.ctx.db, clock: fresh.clock }, opsTimerHandlers(fresh.ctx)).runDue()).toBe(1);
      const [row] = await fresh.ctx.db.select({ phone: tickets.phone }).from(tickets).where(eq(tickets.id, ticket.id));
      const [sms] = await fresh.ctx.db.select({ recipient: notifications.recipient }).from(notifications);
      expect(row!.phone).toMatch(/^v2\./);
      expect(sms!.recipient).toMatch(/^v2\./);
      expect(await views()).toEqual({ ticket: '137****1111', list: ['137****1111'] });
      expect((await outbox(fresh.ctx.db)).map((n) => n.recipient)).toEqual(['13700001111']);
    } finally {
      await fresh.close();
      setKeys({ ONEWINDOW_DATA_KEY: KEY2, ONEWINDOW_HASH_KEY: KEY1 });
    }
  });
});
