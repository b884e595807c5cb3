-- Notification outbox: a message is written in the same transaction as the change that causes it, and a
-- sender delivers it later (SMS gateway in production, the development adapter records it), so no notice
-- is lost when a gateway is down and none is sent for a change that rolled back.
CREATE TABLE notifications (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id       uuid NOT NULL REFERENCES halls(id),
  channel       text NOT NULL CHECK (channel IN ('sms', 'staff')),
  recipient     text NOT NULL,
  template      text NOT NULL,
  body          text NOT NULL,
  params        jsonb NOT NULL DEFAULT '{}',
  dedupe_key    text,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz,
  last_error    text,
  UNIQUE (hall_id, dedupe_key)
);
CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'pending';
CREATE INDEX notifications_hall_idx ON notifications (hall_id, created_at DESC);
