import { and, asc, eq, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Clock } from '../server/clock.js';
import { maskPersonal } from '../server/logging.js';
import { keyring } from '../shared/data-key.js';
import { notifications } from './tables.js';

/** Where messages leave the system: an SMS gateway in production, the development adapter here. */
export interface NoticeAdapter {
  readonly name: string;
  send(message: { channel: 'sms' | 'staff'; recipient: string; body: string }): Promise<void>;
}

/**
 * The development adapter delivers nothing: the message stays in the outbox, marked sent, where the
 * 消息记录 page shows it. A hall plugs in its SMS gateway by implementing NoticeAdapter.
 */
export const recordingAdapter: NoticeAdapter = { name: 'record', send: async () => {} };

const MAX_ATTEMPTS = 5;
/** Minutes before the 2nd, 3rd, 4th and 5th attempt: a gateway down for an hour loses no message. */
const RETRY_DELAYS_MINUTES = [1, 5, 15, 60];

export function createNoticeSender({ db, clock }: { db: Db; clock: Clock }, adapter: NoticeAdapter) {
  return {
    /** Sends pending messages, each claimed so two nodes never send the same one. */
    async sendPending(batch = 50): Promise<number> {
      let sent = 0;
      for (let i = 0; i < batch; i++) {
        const done = await db.transaction(async (tx) => {
          const now = clock.now();
          const [msg] = await tx
            .select()
            .from(notifications)
            .where(and(eq(notifications.status, 'pending'), lt(notifications.attempts, MAX_ATTEMPTS), or(isNull(notifications.nextAttemptAt), lte(notifications.nextAttemptAt, now))))
            .orderBy(asc(notifications.createdAt))
            .limit(1)
            .for('update', { skipLocked: true });
          if (!msg) return null;
          try {
            // Opened here, for the gateway only; a phone whose key was removed fails the attempt with DATA_KEY_MISSING's message.
            const recipient = msg.channel === 'sms' ? (await keyring(tx)).openOrClear(msg.recipient) : msg.recipient;
            await adapter.send({ channel: msg.channel, recipient, body: msg.body });
            await tx.update(notifications).set({ status: 'sent', sentAt: now, attempts: msg.attempts + 1 }).where(eq(notifications.id, msg.id));
            return true;
          } catch (err) {
            const attempts = msg.attempts + 1;
            // Gateways echo the number they refused: kept for the 消息记录 page, masked like a log line.
            await tx
              .update(notifications)
              .set({
                attempts,
                status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
                lastError: maskPersonal(String((err as Error).message ?? err)).slice(0, 500),
                nextAttemptAt: attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + RETRY_DELAYS_MINUTES[attempts - 1]! * 60_000),
              })
              .where(eq(notifications.id, msg.id));
            return false;
          }
        });
        if (done === null) break;
        if (done) sent++;
      }
      return sent;
    },
  };
}
