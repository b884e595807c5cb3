import { createHash } from 'node:crypto';

/** Requests a client may send to one route in one window, and what a registered kiosk may. */
export interface RouteLimit {
  perClient: number;
  perKiosk: number;
}

export interface RateLimits {
  windowMs: number;
  /** Keyed 'METHOD /api/v1/path' as the route is declared. */
  routes: Record<string, RouteLimit>;
  /** Device keys of the hall's kiosks (header `x-device-key`); a kiosk is counted by its key, not its address. */
  kioskKeys: ReadonlySet<string>;
}

export const KIOSK_HEADER = 'x-device-key';

// Per minute. A hall's guest Wi-Fi puts many phones behind one address, so a client's limit is a few
// people's worth, not one person's; a kiosk serves a whole queue. Sign-in is limited hardest (guessing).
// A new public route that writes or can be enumerated adds one line here.
const PUBLIC_WRITE = { perClient: 30, perKiosk: 600 };
export const PUBLIC_LIMITS: Record<string, RouteLimit> = {
  'POST /api/v1/tickets': PUBLIC_WRITE,
  'POST /api/v1/tickets/:id/cancel': PUBLIC_WRITE,
  'POST /api/v1/appointments/holds': PUBLIC_WRITE,
  'POST /api/v1/appointments': PUBLIC_WRITE,
  'POST /api/v1/appointments/lookup': PUBLIC_WRITE,
  'POST /api/v1/appointments/:id/cancel': PUBLIC_WRITE,
  'POST /api/v1/appointments/:id/reschedule': PUBLIC_WRITE,
  'POST /api/v1/appointments/check-in': PUBLIC_WRITE,
  'GET /api/v1/public/cases/:caseNumber': PUBLIC_WRITE,
  'POST /api/v1/ratings': PUBLIC_WRITE,
  'PATCH /api/v1/ratings/:id': PUBLIC_WRITE,
  'POST /api/v1/public/complaints': { perClient: 10, perKiosk: 60 },
  'POST /api/v1/public/suggestions': { perClient: 10, perKiosk: 60 },
  'POST /api/v1/auth/login': { perClient: 20, perKiosk: 20 },
  // Each sign-in code is an SMS the hall pays for; a session attempt is a guess at a code.
  'POST /api/v1/online/codes': { perClient: 5, perKiosk: 30 },
  'POST /api/v1/online/sessions': { perClient: 10, perKiosk: 60 },
};

/**
 * Limits from the environment: ONEWINDOW_RATE_LIMIT_FACTOR scales every limit (0 turns them off, e.g.
 * for a load test), ONEWINDOW_KIOSK_KEYS lists kiosk device keys, comma-separated.
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits | undefined {
  const factor = env.ONEWINDOW_RATE_LIMIT_FACTOR === undefined || env.ONEWINDOW_RATE_LIMIT_FACTOR === '' ? 1 : Number(env.ONEWINDOW_RATE_LIMIT_FACTOR);
  if (!Number.isFinite(factor) || factor < 0) throw new Error(`ONEWINDOW_RATE_LIMIT_FACTOR 不是非负数：${env.ONEWINDOW_RATE_LIMIT_FACTOR}`);
  if (factor === 0) return undefined;
  const scale = (n: number) => Math.max(1, Math.round(n * factor));
  const routes = Object.fromEntries(
    Object.entries(PUBLIC_LIMITS).map(([route, l]) => [route, { perClient: scale(l.perClient), perKiosk: scale(l.perKiosk) }]),
  );
  const kioskKeys = new Set((env.ONEWINDOW_KIOSK_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean));
  return { windowMs: 60_000, routes, kioskKeys };
}

/**
 * Who a request is counted as: a registered kiosk by (a hash of) its key, anyone else by address. An
 * unknown key counts as no key, so inventing one gains nothing.
 */
export function clientKey(limits: RateLimits, ip: string, deviceKey: string | string[] | undefined): { kiosk: boolean; key: string } {
  if (typeof deviceKey === 'string' && limits.kioskKeys.has(deviceKey)) {
    return { kiosk: true, key: `kiosk:${createHash('sha256').update(deviceKey).digest('hex').slice(0, 16)}` };
  }
  return { kiosk: false, key: `ip:${ip}` };
}
