import type { Db } from '../db/client.js';
import type { Role } from '../auth/roles.js';
import { auditEvents } from './tables.js';

/** Who did something: a signed-in staff member, a member of the public, or the system itself. */
export interface Actor {
  id: string | null;
  name: string;
  roles: Role[];
}
export const SYSTEM_ACTOR: Actor = { id: null, name: '系统', roles: [] };
export const PUBLIC_ACTOR: Actor = { id: null, name: '公众', roles: [] };

export interface AuditEntry {
  hallId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Call inside the transaction that makes the change, so the change and its record commit together. */
export async function recordAudit(tx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    hallId: entry.hallId,
    actorId: actor.id,
    actorName: actor.name,
    actorRoles: actor.roles,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: redact(entry.before ?? null),
    after: redact(entry.after ?? null),
  });
}

const SECRET_KEYS = /password|token|secret/i;
const ID_NUMBER = /\b(\d{6})\d{8}(\d{3}[\dXx])\b/g;
const PHONE = /\b(1[3-9]\d)\d{4}(\d{4})\b/g;

/** The trail keeps what changed but never secrets or personal numbers in clear. */
export function redact(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.replace(ID_NUMBER, '$1********$2').replace(PHONE, '$1****$2');
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[已隐藏]' : redact(v)]),
    );
  }
  return value;
}
