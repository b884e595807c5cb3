import type { Database, Db } from '../db/client.js';
import type { Clock } from './clock.js';
import type { RateLimits } from './rate-limits.js';

export interface AppConfig {
  /** How long a staff token lives. */
  sessionHours: number;
  /** Failed logins in a row that lock an account, and for how long. */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Served at / when built; undefined in API-only tests. */
  webRoot?: string;
  /** Per-client limits of the public endpoints; none in in-process tests and benchmarks (start.ts sets them). */
  rateLimits?: RateLimits;
  /** Whose X-Forwarded-For to believe (Fastify's trustProxy): the nginx in front, never any client. */
  trustProxy: boolean | string;
  /** /health turns 503 when a due timer has waited longer than this. */
  maxTimerLagSeconds: number;
  /** Bearer token Prometheus must send to /metrics; unset leaves it open (bind it to the LAN). */
  metricsToken?: string;
}

export const defaultConfig: AppConfig = {
  sessionHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  trustProxy: 'loopback',
  maxTimerLagSeconds: 300,
};

/** What every capability's service factory may be given: explicit, so tests pass a fixed clock. */
export interface AppContext {
  database: Database;
  db: Db;
  clock: Clock;
  config: AppConfig;
}
