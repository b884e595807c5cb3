// Signed rating links: an SMS after a case completes, the QR code of a case's notice, and the window pad's
// offer of the ticket just finished. `v1.<payload>.<HMAC-SHA256>`, base64url; the payload names the hall,
// the service rated, the channel, a nonce and the expiry. The signature makes a link unforgeable; the nonce,
// stored with the rating, makes it good for one rating only. Pure apart from the secret handed in.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'sms' | 'qr' | 'pad';

export interface RatingTokenPayload {
  /** Channel the link was issued for. */
  kind: TokenKind;
  hallId: string;
  ticketId?: string;
  caseId?: string;
  nonce: string;
  /** Expiry, epoch seconds. */
  expires: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const sign = (secret: string, body: string) => createHmac('sha256', secret).update(`rating.${body}`).digest();

export function signRatingToken(secret: string, payload: Omit<RatingTokenPayload, 'nonce'> & { nonce?: string }): string {
  const full = { k: payload.kind, h: payload.hallId, t: payload.ticketId, c: payload.caseId, n: payload.nonce ?? randomBytes(12).toString('base64url'), e: payload.expires };
  const body = b64(JSON.stringify(full));
  return `v1.${body}.${b64(sign(secret, body))}`;
}

/** The payload without checking the signature: only to learn which hall's secret to check it with. */
export function peekRatingToken(token: string): RatingTokenPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return null;
  try {
    const p = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!['sms', 'qr', 'pad'].includes(p.k as string) || typeof p.h !== 'string' || typeof p.n !== 'string' || typeof p.e !== 'number') return null;
    if ((typeof p.t === 'string') === (typeof p.c === 'string')) return null;
    return {
      kind: p.k as TokenKind,
      hallId: p.h,
      ticketId: typeof p.t === 'string' ? p.t : undefined,
      caseId: typeof p.c === 'string' ? p.c : undefined,
      nonce: p.n,
      expires: p.e,
    };
  } catch {
    return null;
  }
}

export type TokenProblem = 'malformed' | 'signature' | 'expired';

/** The payload of a genuine, unexpired token, or why it is not one. */
export function verifyRatingToken(secret: string, token: string, nowMs: number): RatingTokenPayload | TokenProblem {
  const payload = peekRatingToken(token);
  if (!payload) return 'malformed';
  const [, body, mac] = token.split('.') as [string, string, string];
  const expected = sign(secret, body);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature';
  if (payload.expires * 1000 < nowMs) return 'expired';
  return payload;
}
