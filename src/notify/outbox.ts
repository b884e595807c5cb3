import type { Db } from '../db/client.js';
import { isSealed } from '../shared/crypto.js';
import { keyring } from '../shared/data-key.js';
import { notifications } from './tables.js';

/**
 * A notice to a person (SMS to a phone) or to a staff member (by user id). Written in the caller's
 * transaction; `dedupeKey` makes a notice that must go once (a reminder) harmless to enqueue twice.
 * An SMS recipient is sealed at rest: only the sender opens it (and the outbox list, to mask it).
 */
export interface Notice {
  hallId: string;
  channel: 'sms' | 'staff';
  recipient: string;
  template: string;
  body: string;
  params?: Record<string, unknown>;
  dedupeKey?: string;
  /** The body carries a secret (a sign-in code): staff lists show it with its digits hidden. */
  secret?: boolean;
  at: Date;
}

export async function enqueueNotice(tx: Db, notice: Notice): Promise<boolean> {
  const rows = await tx
    .insert(notifications)
    .values({
      hallId: notice.hallId,
      channel: notice.channel,
      // A recipient sealed already (a ticket's phone) is stored as it comes.
      recipient: notice.channel === 'sms' && !isSealed(notice.recipient) ? (await keyring(tx)).seal(notice.recipient) : notice.recipient,
      template: notice.template,
      body: notice.body,
      params: notice.secret ? { ...notice.params, secret: true } : (notice.params ?? {}),
      dedupeKey: notice.dedupeKey ?? null,
      createdAt: notice.at,
    })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return rows.length > 0;
}
