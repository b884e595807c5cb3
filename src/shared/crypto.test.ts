import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataKeyOf, decrypt, encrypt, keyedHash, newKey, parseKey, sealedKeyId, UnknownKeyError } from './crypto.js';

/** A value as the code before key ids sealed it: `v1.<nonce>.<tag>.<ciphertext>`. */
function sealV1(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', ...[nonce, cipher.getAuthTag(), body].map((p) => p.toString('base64url'))].join('.');
}

describe('data encryption', () => {
  const key = dataKeyOf(newKey());
  const other = dataKeyOf(newKey());

  it('round-trips, names its key and never shows the clear text', () => {
    const sealed = encrypt(key, '11010519491231002X');
    expect(sealed).not.toContain('11010519491231002X');
    expect(sealed.startsWith(`v2.${key.id}.`)).toBe(true);
    expect(sealedKeyId(sealed)).toBe(key.id);
    expect(decrypt([other, key], sealed)).toBe('11010519491231002X');
    // A fresh nonce each time: the same number does not give the same ciphertext.
    expect(encrypt(key, '11010519491231002X')).not.toBe(sealed);
  });

  it('gives a key the same id wherever it is read, and different keys different ids', () => {
    const text = newKey();
    expect(dataKeyOf(text).id).toBe(dataKeyOf(Buffer.from(text, 'base64').toString('hex')).id);
    expect(key.id).not.toBe(other.id);
    expect(key.id).toMatch(/^[\w-]{8}$/);
  });

  it('opens old v1 values with whichever known key made them', () => {
    const sealed = sealV1(key.key, '13800138000');
    expect(sealedKeyId(sealed)).toBeNull();
    expect(decrypt([other, key], sealed)).toBe('13800138000');
    expect(() => decrypt([other], sealed)).toThrow(UnknownKeyError);
  });

  it('names the missing key of a value no known key opens', () => {
    const sealed = encrypt(key, '13800138000');
    try {
      decrypt([other], sealed);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnknownKeyError);
      expect((err as UnknownKeyError).keyId).toBe(key.id);
    }
  });

  it('rejects a tampered ciphertext', () => {
    const sealed = encrypt(key, '13800138000');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x' + parts[4]).toString('base64url');
    expect(() => decrypt([key], parts.join('.'))).toThrow();
    expect(() => decrypt([key], '13800138000')).toThrow(/无法识别/);
  });

  it('accepts hex and base64 keys of 32 bytes only', () => {
    expect(parseKey('ab'.repeat(32)).length).toBe(32);
    expect(() => parseKey('short')).toThrow();
  });

  it('keyed hash is stable per key and purpose', () => {
    expect(keyedHash(key.key, 'id', 'A')).toBe(keyedHash(key.key, 'id', 'A'));
    expect(keyedHash(key.key, 'id', 'A')).not.toBe(keyedHash(key.key, 'phone', 'A'));
    expect(keyedHash(key.key, 'id', 'A')).not.toBe(keyedHash(other.key, 'id', 'A'));
  });
});
