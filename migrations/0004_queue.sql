-- Queue: tickets (号票), their append-only event log, and the per-day counters behind ticket numbers.

-- Daily counters: ticket numbers per (hall, prefix, local date) and issued tickets per service for the
-- daily cap. Bumped with INSERT ... ON CONFLICT DO UPDATE ... RETURNING inside the issuing transaction,
-- so every app node gets a distinct value and a refused or rolled-back ticket gives its value back.
CREATE TABLE queue_counters (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  scope       text NOT NULL,
  local_date  date NOT NULL,
  value       integer NOT NULL,
  PRIMARY KEY (hall_id, scope, local_date)
);

-- The place in line: one sequence for the whole database, so ordering is the same on PGlite and
-- PostgreSQL and never depends on two timestamps that may be equal.
CREATE SEQUENCE tickets_seq;

CREATE TABLE tickets (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id            uuid NOT NULL REFERENCES halls(id),
  number             text NOT NULL,
  local_date         date NOT NULL,
  seq                bigint NOT NULL DEFAULT nextval('tickets_seq'),
  issued_service_id  uuid NOT NULL REFERENCES services(id),
  -- The step being waited for or served; moves on transfer and along a one-window chain.
  service_id         uuid NOT NULL REFERENCES services(id),
  next_service_ids   uuid[] NOT NULL DEFAULT '{}',
  step               integer NOT NULL DEFAULT 0,
  -- Set when transferred to one window: only that window calls it.
  target_window_id   uuid REFERENCES windows(id),
  priority           text NOT NULL CHECK (priority IN ('normal', 'green', 'elderly', 'appointment')),
  channel            text NOT NULL CHECK (channel IN ('kiosk', 'mobile', 'staff', 'appointment')),
  status             text NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'skipped', 'cancelled')),
  -- The window that called it last (kept after it is done, for the visitor's page).
  window_id          uuid REFERENCES windows(id),
  staff_id           uuid REFERENCES users(id),
  recall_count       integer NOT NULL DEFAULT 0,
  issued_at          timestamptz NOT NULL,
  queued_at          timestamptz NOT NULL,
  called_at          timestamptz,
  started_at         timestamptz,
  skipped_at         timestamptz,
  finished_at        timestamptz,
  -- Real-name tickets: the name, the ID number only as a keyed hash (one number per item per day) and
  -- masked, and a phone for the "almost your turn" SMS.
  holder_name        text,
  id_hash            text,
  id_masked          text,
  phone              text,
  near_notified_at   timestamptz,
  idempotency_key    text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, local_date, number)
);
ALTER SEQUENCE tickets_seq OWNED BY tickets.seq;
CREATE UNIQUE INDEX tickets_idempotency_idx ON tickets (hall_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX tickets_real_name_idx ON tickets (hall_id, issued_service_id, local_date, id_hash) WHERE id_hash IS NOT NULL;
CREATE INDEX tickets_waiting_idx ON tickets (hall_id, local_date, service_id, priority, seq) WHERE status = 'waiting';
CREATE INDEX tickets_window_idx ON tickets (window_id) WHERE window_id IS NOT NULL;
CREATE INDEX tickets_day_idx ON tickets (hall_id, local_date, status);

-- Every move of a ticket, and a window's pauses, as timed events written in the move's transaction.
-- Statistics are computed from this log; the trigger keeps it append-only.
CREATE TABLE ticket_events (
  id          bigserial PRIMARY KEY,
  hall_id     uuid NOT NULL REFERENCES halls(id),
  ticket_id   uuid REFERENCES tickets(id),
  type        text NOT NULL CHECK (type IN ('issued', 'called', 'recalled', 'started', 'finished', 'skipped',
                                            'restored', 'transferred', 'cancelled', 'paused', 'resumed')),
  at          timestamptz NOT NULL,
  service_id  uuid REFERENCES services(id),
  window_id   uuid REFERENCES windows(id),
  staff_id    uuid REFERENCES users(id),
  priority    text,
  details     jsonb NOT NULL DEFAULT '{}',
  CHECK ((ticket_id IS NULL) = (type IN ('paused', 'resumed')))
);
CREATE INDEX ticket_events_hall_at_idx ON ticket_events (hall_id, at);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id);
CREATE INDEX ticket_events_window_idx ON ticket_events (window_id, type, id DESC);
CREATE INDEX ticket_events_finished_idx ON ticket_events (service_id, id DESC) WHERE type = 'finished';

CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only';
END $$;
CREATE TRIGGER ticket_events_no_change BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();
