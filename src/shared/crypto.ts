import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Personal numbers at rest: AES-256-GCM with a random 96-bit nonce, stored as
 * `v2.<keyId>.<nonce>.<tag>.<ciphertext>` (base64url), so that each value names the key that sealed it and
 * a key can be rotated. Values sealed before key ids (`v1.<nonce>.<tag>.<ciphertext>`) still open: GCM's
 * tag tells which known key made them.
 */
export interface DataKey {
  /** Derived from the key (not secret, not reversible): the same key has the same id on every node. */
  id: string;
  key: Buffer;
}

/** No known key opens a value: the key that sealed it was removed (`keyId`, or null for a `v1.` value). */
export class UnknownKeyError extends Error {
  constructor(readonly keyId: string | null) {
    super(keyId ? `密钥 ${keyId} 不在密钥环中` : '现有密钥都打不开这个旧格式（v1）的值');
  }
}

export function parseKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('数据密钥须为 32 字节（64 位十六进制或 base64）');
  return key;
}

export const newKey = (): string => randomBytes(32).toString('base64');

export function dataKeyOf(value: string): DataKey {
  const key = parseKey(value);
  return { id: createHmac('sha256', key).update('onewindow key id').digest('base64url').slice(0, 8), key };
}

/** Whether a column value is sealed, rather than a number written in clear before its column was sealed. */
export const isSealed = (value: string): boolean => /^v[12]\./.test(value);

/** The id of the key that sealed a value; null for a `v1.` value, which names none. */
export function sealedKeyId(sealed: string): string | null {
  return sealed.startsWith('v2.') ? sealed.split('.')[1]! : null;
}

export function encrypt(key: DataKey, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v2', key.id, ...[nonce, cipher.getAuthTag(), body].map((p) => p.toString('base64url'))].join('.');
}

/** Opens a value with the key it names (`v2.`), or with whichever known key made it (`v1.`). */
export function decrypt(keys: readonly DataKey[], sealed: string): string {
  const parts = sealed.split('.');
  if (parts[0] === 'v2' && parts.length === 5) {
    const key = keys.find((k) => k.id === parts[1]);
    if (!key) throw new UnknownKeyError(parts[1]!);
    return open(key.key, parts[2]!, parts[3]!, parts[4]!);
  }
  if (parts[0] !== 'v1' || parts.length !== 4) throw new Error('无法识别的密文格式');
  for (const { key } of keys) {
    try {
      return open(key, parts[1]!, parts[2]!, parts[3]!);
    } catch {
      // Not this key: GCM's tag refused it; try the next.
    }
  }
  throw new UnknownKeyError(null);
}

function open(key: Buffer, nonce: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** A keyed hash for lookups and limits: equal inputs match, but the table alone cannot be reversed. */
export function keyedHash(key: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', key).update(`${purpose}:${value}`).digest('base64url');
}
