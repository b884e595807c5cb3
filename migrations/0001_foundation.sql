-- Foundation: the hall network, organisation, staff accounts, sessions and the audit trail.
-- Every record belongs to a hall from this first migration on, so the hall network adds levels, not a rewrite.

CREATE TABLE halls (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id   uuid REFERENCES halls(id),
  level       text NOT NULL CHECK (level IN ('city', 'county', 'township', 'village')),
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9]{2,16}$'),
  name        text NOT NULL,
  address     text NOT NULL DEFAULT '',
  phone       text NOT NULL DEFAULT '',
  time_zone   text NOT NULL DEFAULT 'Asia/Shanghai',
  hours       jsonb NOT NULL DEFAULT '{"workday":[["09:00","11:45"],["13:00","16:45"]],"weekend":[],"ticketCutoffMinutes":30}',
  settings    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX halls_parent_idx ON halls (parent_id);

CREATE TABLE departments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id     uuid NOT NULL REFERENCES halls(id),
  name        text NOT NULL,
  sort_order  integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, name)
);

CREATE TABLE services (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id              uuid NOT NULL REFERENCES halls(id),
  code                 text NOT NULL,
  name                 text NOT NULL,
  department_id        uuid NOT NULL REFERENCES departments(id),
  kind                 text NOT NULL CHECK (kind IN ('immediate', 'promised')),
  legal_limit_days     integer NOT NULL CHECK (legal_limit_days >= 0),
  promised_limit_days  integer NOT NULL CHECK (promised_limit_days >= 0),
  queue_prefix         text NOT NULL CHECK (queue_prefix ~ '^[A-Z]{1,2}$'),
  bookable             boolean NOT NULL DEFAULT false,
  appointment          jsonb,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, code)
);

CREATE TABLE windows (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id        uuid NOT NULL REFERENCES halls(id),
  department_id  uuid REFERENCES departments(id),
  name           text NOT NULL,
  number         integer NOT NULL CHECK (number > 0),
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paused', 'closed')),
  pause_reason   text,
  hours          jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, number)
);

CREATE TABLE window_services (
  window_id   uuid NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
  service_id  uuid NOT NULL REFERENCES services(id),
  PRIMARY KEY (window_id, service_id)
);
CREATE INDEX window_services_service_idx ON window_services (service_id);

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id             uuid NOT NULL REFERENCES halls(id),
  username            text NOT NULL UNIQUE,
  display_name        text NOT NULL DEFAULT '',
  password_hash       text NOT NULL,
  roles               text[] NOT NULL,
  department_id       uuid REFERENCES departments(id),
  active              boolean NOT NULL DEFAULT true,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  must_change_password boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_windows (
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  window_id  uuid NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, window_id)
);

CREATE TABLE sessions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users(id),
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Append-only: the trigger refuses any UPDATE or DELETE, so the trail cannot be rewritten by the app.
CREATE TABLE audit_events (
  id           bigserial PRIMARY KEY,
  hall_id      uuid REFERENCES halls(id),
  at           timestamptz NOT NULL DEFAULT now(),
  actor_id     uuid,
  actor_name   text NOT NULL DEFAULT '',
  actor_roles  text[] NOT NULL DEFAULT '{}',
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  before       jsonb,
  after        jsonb
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_hall_at_idx ON audit_events (hall_id, at DESC);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
