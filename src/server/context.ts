import type { Database, Db } from '../db/client.js';
import type { Clock } from './clock.js';

export interface AppConfig {
  /** How long a staff token lives. */
  sessionHours: number;
  /** Failed logins in a row that lock an account, and for how long. */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Served at / when built; undefined in API-only tests. */
  webRoot?: string;
}

export const defaultConfig: AppConfig = {
  sessionHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
};

/** What every capability's service factory may be given: explicit, so tests pass a fixed clock. */
export interface AppContext {
  database: Database;
  db: Db;
  clock: Clock;
  config: AppConfig;
}
