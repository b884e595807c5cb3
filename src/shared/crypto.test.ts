import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, keyedHash, newKey, parseKey } from './crypto.js';

describe('data encryption', () => {
  const key = parseKey(newKey());

  it('round-trips and never shows the clear text', () => {
    const sealed = encrypt(key, '11010519491231002X');
    expect(sealed).not.toContain('11010519491231002X');
    expect(decrypt(key, sealed)).toBe('11010519491231002X');
    // A fresh nonce each time: the same number does not give the same ciphertext.
    expect(encrypt(key, '11010519491231002X')).not.toBe(sealed);
  });

  it('rejects a tampered ciphertext or another key', () => {
    const sealed = encrypt(key, '13800138000');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + parts[3]).toString('base64url');
    expect(() => decrypt(key, parts.join('.'))).toThrow();
    expect(() => decrypt(parseKey(newKey()), sealed)).toThrow();
  });

  it('accepts hex and base64 keys of 32 bytes only', () => {
    expect(parseKey('ab'.repeat(32)).length).toBe(32);
    expect(() => parseKey('short')).toThrow();
  });

  it('keyed hash is stable per key and purpose', () => {
    expect(keyedHash(key, 'id', 'A')).toBe(keyedHash(key, 'id', 'A'));
    expect(keyedHash(key, 'id', 'A')).not.toBe(keyedHash(key, 'phone', 'A'));
    expect(keyedHash(key, 'id', 'A')).not.toBe(keyedHash(parseKey(newKey()), 'id', 'A'));
  });
});
