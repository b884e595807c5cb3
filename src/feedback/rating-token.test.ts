import { describe, expect, it } from 'vitest';
import { peekRatingToken, signRatingToken, verifyRatingToken } from './rating-token.js';

const SECRET = 'test-secret';
const NOW = Date.parse('2025-09-30T09:00:00+08:00');
const base = { kind: 'sms' as const, hallId: 'hall-1', caseId: 'case-1', expires: NOW / 1000 + 3600 };

describe('signed rating links', () => {
  it('round-trips a genuine token with a fresh nonce each time', () => {
    const a = signRatingToken(SECRET, base);
    const b = signRatingToken(SECRET, base);
    expect(a).not.toBe(b);
    expect(verifyRatingToken(SECRET, a, NOW)).toMatchObject({ kind: 'sms', hallId: 'hall-1', caseId: 'case-1' });
    expect(peekRatingToken(a)?.nonce).not.toBe(peekRatingToken(b)?.nonce);
  });

  it('refuses a changed payload, another key, an expired token and garbage', () => {
    const token = signRatingToken(SECRET, base);
    const [v, body, mac] = token.split('.') as [string, string, string];
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('case-1', 'case-2')).toString('base64url');
    expect(verifyRatingToken(SECRET, `${v}.${forged}.${mac}`, NOW)).toBe('signature');
    expect(verifyRatingToken('other', token, NOW)).toBe('signature');
    expect(verifyRatingToken(SECRET, token, NOW + 3601_000)).toBe('expired');
    expect(verifyRatingToken(SECRET, 'v1.abc.def', NOW)).toBe('malformed');
    expect(verifyRatingToken(SECRET, 'nonsense', NOW)).toBe('malformed');
  });
});
