-- A message the gateway refused waits before its next attempt (src/notify/sender.ts: 1, 5, 15 and 60
-- minutes). Before this, the sender's loop picked the refused message again at once, so a gateway down for
-- a second used up all five attempts and the message was marked failed for good.
ALTER TABLE notifications ADD COLUMN next_attempt_at timestamptz;
DROP INDEX notifications_pending_idx;
CREATE INDEX notifications_pending_idx ON notifications (created_at) INCLUDE (next_attempt_at) WHERE status = 'pending';
