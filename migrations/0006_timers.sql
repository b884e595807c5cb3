-- Timers: work due at an instant (a case's light turns yellow, a booking becomes a no-show). Stored, so they
-- survive restarts; claimed with SKIP LOCKED inside the transaction that does the work, so each fires once
-- even with several app nodes.
CREATE TABLE timers (
  id          bigserial PRIMARY KEY,
  hall_id     uuid NOT NULL REFERENCES halls(id),
  kind        text NOT NULL,
  key         text NOT NULL,
  due_at      timestamptz NOT NULL,
  payload     jsonb NOT NULL DEFAULT '{}',
  fired_at    timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, key)
);
CREATE INDEX timers_due_idx ON timers (due_at) WHERE fired_at IS NULL;
