import { PgTransaction, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { DomainError } from '../server/errors.js';
import { dataKeyOf, decrypt, encrypt, isSealed, keyedHash, newKey, parseKey, sealedKeyId, UnknownKeyError, type DataKey } from './crypto.js';

/**
 * Keys kept in the database when the deployment sets none (migration 0011 made the table): `personal` seals,
 * `lookup` makes the lookup hashes, `retired:<id>` still opens during a rotation (onewindow rotate-key).
 */
export const dataKeys = pgTable('data_keys', {
  name: text('name').primaryKey(),
  key: text('key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const RETIRED = 'retired:';

/** Every key a node knows for personal data at rest. */
export interface Keyring {
  /** Seals new values. */
  current: DataKey;
  /** Every key that opens, the current one first. */
  keys: readonly DataKey[];
  /** Where the keys come from: the environment, or the data_keys table. */
  source: 'env' | 'database';
  seal(value: string): string;
  /** Opens a sealed value; a value whose key was removed is a 500 DATA_KEY_MISSING naming the key. */
  open(sealed: string): string;
  /** Opens a sealed value, and passes a clear one (written before its column was sealed, and not yet sealed by the job) through. */
  openOrClear(value: string): string;
  /** Keyed hash for lookups (ID number, phone): made with a key that rotation never changes, so stored hashes keep matching. */
  hash(purpose: string, value: string): string;
}

function keyringOf(current: DataKey, others: DataKey[], lookup: Buffer, source: Keyring['source']): Keyring {
  const keys = [current, ...others.filter((k) => k.id !== current.id)];
  const ring: Keyring = {
    current,
    keys,
    source,
    seal: (value) => encrypt(current, value),
    openOrClear: (value) => (isSealed(value) ? ring.open(value) : value),
    open(sealed) {
      try {
        return decrypt(keys, sealed);
      } catch (err) {
        if (!(err instanceof UnknownKeyError)) throw err;
        throw new DomainError(500, 'DATA_KEY_MISSING', `个人信息由已移除的数据密钥${err.keyId ? `（编号 ${err.keyId}）` : ''}加密，无法读取：请把该密钥放回 ONEWINDOW_DATA_KEYS_OLD 后运行 onewindow rotate-key`, {
          keyId: err.keyId ?? sealedKeyId(sealed),
        });
      }
    },
    hash: (purpose, value) => keyedHash(lookup, purpose, value),
  };
  return ring;
}

let fromEnv: { config: string; ring: Keyring } | undefined;

/**
 * ONEWINDOW_DATA_KEY seals; ONEWINDOW_DATA_KEYS_OLD (comma-separated) only opens; ONEWINDOW_HASH_KEY makes
 * the lookup hashes, by default the data key, which is what it was before keys could rotate. Once a second
 * key is in play the hash key must be named, or the hashes would silently follow the new data key.
 */
function envKeyring(): Keyring | null {
  const { ONEWINDOW_DATA_KEY: current, ONEWINDOW_DATA_KEYS_OLD: old = '' } = process.env;
  // An empty line in the env file means unset.
  const hash = process.env.ONEWINDOW_HASH_KEY || undefined;
  if (!current) return null;
  const config = [current, old, hash ?? ''].join('|');
  if (fromEnv?.config === config) return fromEnv.ring;
  const others = old.split(',').map((k) => k.trim()).filter(Boolean);
  if (others.length > 0 && !hash) {
    throw new DomainError(500, 'DATA_KEY_CONFIG', '设置了 ONEWINDOW_DATA_KEYS_OLD 时须同时设置 ONEWINDOW_HASH_KEY（原来的数据密钥），否则查询散列对不上');
  }
  const ring = keyringOf(dataKeyOf(current), others.map(dataKeyOf), parseKey(hash ?? current), 'env');
  fromEnv = { config, ring };
  return ring;
}

// Per database, not per handle: a transaction shares its database's dialect object, so a key read inside a
// transaction serves the database's later readers too.
const cache = new WeakMap<object, Promise<Keyring>>();
const ownerOf = (db: Db) => (db as unknown as { dialect: object }).dialect;

/**
 * The keyring: from the environment when the deployment sets ONEWINDOW_DATA_KEY (keep it outside the
 * database backups), else from the data_keys table, generated on first use so that a single-box hall works.
 * Works on the database or inside a transaction (on PGlite a read on the database would wait for the open
 * transaction); a key that transaction itself created is not cached, since a rollback takes it away.
 */
export function keyring(db: Db): Promise<Keyring> {
  try {
    const env = envKeyring();
    if (env) return Promise.resolve(env);
  } catch (err) {
    return Promise.reject(err);
  }
  const owner = ownerOf(db);
  const hit = cache.get(owner);
  if (hit) return hit;
  const loading = loadTable(db);
  if (db instanceof PgTransaction) {
    return loading.then(({ ring, created }) => {
      if (!created && !cache.has(owner)) cache.set(owner, Promise.resolve(ring));
      return ring;
    });
  }
  const ring = loading.then((l) => l.ring);
  cache.set(owner, ring);
  ring.catch(() => cache.delete(owner));
  return ring;
}

/** Drops the cached keyring of a database whose data_keys rows were just changed (a rotation). */
export function forgetKeyring(db: Db): void {
  cache.delete(ownerOf(db));
}

async function loadTable(db: Db): Promise<{ ring: Keyring; created: boolean }> {
  // Two nodes racing: the first insert wins and both read it back.
  const created = await db
    .insert(dataKeys)
    .values([
      { name: 'personal', key: newKey() },
      { name: 'lookup', key: newKey() },
    ])
    .onConflictDoNothing()
    .returning({ name: dataKeys.name });
  const rows = await db.select({ name: dataKeys.name, key: dataKeys.key }).from(dataKeys);
  const named = (name: string) => rows.find((r) => r.name === name)!.key;
  const retired = rows.filter((r) => r.name.startsWith(RETIRED)).map((r) => dataKeyOf(r.key));
  return { ring: keyringOf(dataKeyOf(named('personal')), retired, parseKey(named('lookup')), 'database'), created: created.length > 0 };
}
