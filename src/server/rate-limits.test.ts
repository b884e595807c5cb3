import { describe, expect, it } from 'vitest';
import { clientKey, PUBLIC_LIMITS, rateLimitsFromEnv } from './rate-limits.js';

describe('rate limits from the environment', () => {
  it('uses the table as is by default, scales it, and turns it off with factor 0', () => {
    expect(rateLimitsFromEnv({})!.routes['POST /api/v1/tickets']).toEqual(PUBLIC_LIMITS['POST /api/v1/tickets']);
    expect(rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: '2' })!.routes['POST /api/v1/auth/login']).toEqual({ perClient: 40, perKiosk: 40 });
    // Never below one request a window, however small the factor.
    expect(rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: '0.001' })!.routes['POST /api/v1/online/codes']).toEqual({ perClient: 1, perKiosk: 1 });
    expect(rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: '0' })).toBeUndefined();
    expect(() => rateLimitsFromEnv({ ONEWINDOW_RATE_LIMIT_FACTOR: 'lots' })).toThrow(/ONEWINDOW_RATE_LIMIT_FACTOR/);
  });

  it('counts a known kiosk by its key (never the key itself) and anyone else by address', () => {
    const limits = rateLimitsFromEnv({ ONEWINDOW_KIOSK_KEYS: ' lobby-1 ,lobby-2,' })!;
    const kiosk = clientKey(limits, '10.1.2.3', 'lobby-2');
    expect(kiosk.kiosk).toBe(true);
    expect(kiosk.key).not.toContain('lobby-2');
    expect(clientKey(limits, '10.1.2.4', 'lobby-2').key).toBe(kiosk.key);
    expect(clientKey(limits, '10.1.2.3', 'guessed')).toEqual({ kiosk: false, key: 'ip:10.1.2.3' });
    expect(clientKey(limits, '10.1.2.3', undefined)).toEqual({ kiosk: false, key: 'ip:10.1.2.3' });
  });
});
