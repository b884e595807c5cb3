import { and, eq, isNotNull, like, sql } from 'drizzle-orm';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import type { Db } from '../db/client.js';
import { applicants } from '../online/tables.js';
import { appointments } from '../appointments/tables.js';
import { dataKeys, forgetKeyring, keyring, RETIRED, type Keyring } from '../shared/data-key.js';
import { newKey } from '../shared/crypto.js';
import { needing, resealBatch, sealedColumns, type Needing } from './reseal.js';
import { rowsOf } from '../db/reads.js';

export interface Rotation {
  /** The key every value is sealed with afterwards. */
  keyId: string | null;
  dryRun: boolean;
  /** Values re-sealed (or, in a dry run, to re-seal) per `table.column`. */
  counts: Record<string, number>;
  total: number;
  /** Keys the run made unnecessary: with keys from the environment the operator removes them. */
  retiredKeyIds: string[];
}

/**
 * `onewindow rotate-key`: re-seals every sealed column of every table with the current key, a batch per
 * transaction. With keys from the environment the operator has already made the new key ONEWINDOW_DATA_KEY
 * and moved the old one to ONEWINDOW_DATA_KEYS_OLD; with keys in the database the run makes the new key
 * itself (the old one kept as `retired:<id>` until every value is re-sealed, then deleted). A crash leaves
 * some values under the old key, which still opens them; running again finishes the job.
 */
export async function rotateKey(db: Db, options: { dryRun?: boolean; batch?: number } = {}): Promise<Rotation> {
  let ring = await keyring(db);
  const resuming = ring.source === 'env' || ring.keys.length > 1;
  if (!resuming && !options.dryRun) ring = await switchTableKey(db, ring);
  await checkLookupHashes(db, ring);
  const what: Needing = { keyId: resuming || !options.dryRun ? ring.current.id : null };
  const counts: Record<string, number> = {};
  for (const target of await sealedColumns(db)) {
    const name = `${target.table}.${target.column}`;
    if (options.dryRun) {
      const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.identifier(target.table)} where ${needing(target, what)}`));
      counts[name] = row!.n;
      continue;
    }
    counts[name] = 0;
    let after: string | undefined;
    for (;;) {
      const { count, last } = await db.transaction((tx) => resealBatch(tx, ring, target, what, { after, limit: options.batch ?? 500 }));
      if (count === 0) break;
      counts[name] += count;
      after = last!;
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const retiredKeyIds = ring.keys.slice(1).map((k) => k.id);
  if (options.dryRun) return { keyId: what.keyId, dryRun: true, counts, total, retiredKeyIds };
  await db.transaction(async (tx) => {
    if (ring.source === 'database') await tx.delete(dataKeys).where(like(dataKeys.name, `${RETIRED}%`));
    await recordAudit(tx, SYSTEM_ACTOR, {
      hallId: null,
      action: 'ops.rotate_key',
      entityType: 'data_key',
      entityId: ring.current.id,
      after: { counts, total, retiredKeyIds, source: ring.source },
    });
  });
  forgetKeyring(db);
  return { keyId: ring.current.id, dryRun: false, counts, total, retiredKeyIds };
}

/** Keys in the database: a new `personal` key, the old one kept as `retired:<id>` so it still opens. */
async function switchTableKey(db: Db, ring: Keyring): Promise<Keyring> {
  await db.transaction(async (tx) => {
    const [old] = await tx.select({ key: dataKeys.key }).from(dataKeys).where(eq(dataKeys.name, 'personal')).for('update');
    await tx.insert(dataKeys).values({ name: `${RETIRED}${ring.current.id}`, key: old!.key });
    await tx.update(dataKeys).set({ key: newKey(), createdAt: new Date() }).where(eq(dataKeys.name, 'personal'));
  });
  forgetKeyring(db);
  return keyring(db);
}

/**
 * Lookup hashes must survive the rotation: a stored applicant's phone hash and a booking's ID hash must come
 * out of the keyring's lookup key again, or sign-in and per-person limits would stop matching after it.
 */
async function checkLookupHashes(db: Db, ring: Keyring): Promise<void> {
  const [applicant] = await db.select({ hash: applicants.phoneHash, sealed: applicants.phoneEnc }).from(applicants).limit(1);
  const [booking] = await db
    .select({ hash: appointments.idHash, sealed: appointments.idNumberEnc })
    .from(appointments)
    .where(and(isNotNull(appointments.idHash), isNotNull(appointments.idNumberEnc)))
    .limit(1);
  const mismatch =
    (applicant && ring.hash('applicant-phone', ring.open(applicant.sealed)) !== applicant.hash) ||
    (booking && ring.hash('id', ring.open(booking.sealed!)) !== booking.hash);
  if (mismatch) throw new Error('查询散列密钥与库中已存的散列对不上：ONEWINDOW_HASH_KEY 须是轮换前的数据密钥（见 docs/operations.md“Rotate keys”）');
}
