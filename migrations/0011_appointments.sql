-- Appointments (预约): bookable slots with an atomic per-slot counter, bookings with the ID number and phone
-- encrypted at rest (AES-256-GCM) plus a keyed hash for lookups and limits, short holds while a person
-- fills in the form, and booking blocks after no-shows.

-- The data key when ONEWINDOW_DATA_KEY is not set: generated once, shared by every node.
CREATE TABLE data_keys (
  name        text PRIMARY KEY,
  key         text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per slot that was ever booked, held or closed. The capacity check is the conditional UPDATE of
-- INSERT ... ON CONFLICT DO UPDATE ... WHERE booked < capacity, so concurrent bookings never overbook.
CREATE TABLE appointment_slots (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  service_id  uuid NOT NULL REFERENCES services(id),
  start_at    timestamptz NOT NULL,
  capacity    integer NOT NULL,
  booked      integer NOT NULL DEFAULT 0 CHECK (booked >= 0),
  closed      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (service_id, start_at)
);

CREATE TABLE appointments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  service_id      uuid NOT NULL REFERENCES services(id),
  code            text NOT NULL,
  start_at        timestamptz NOT NULL,
  end_at          timestamptz NOT NULL,
  local_date      date NOT NULL,
  status          text NOT NULL CHECK (status IN ('held', 'booked', 'cancelled', 'checked_in', 'no_show')),
  channel         text NOT NULL DEFAULT 'normal' CHECK (channel IN ('normal', 'same_day', 'home_visit', 'green_window')),
  name            text NOT NULL DEFAULT '',
  id_number_enc   text,
  id_hash         text,
  phone_enc       text,
  details         jsonb NOT NULL DEFAULT '{}',
  hold_expires_at timestamptz,
  ticket_id       uuid,
  cancel_reason   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, code)
);
CREATE INDEX appointments_person ON appointments (hall_id, id_hash, local_date);
CREATE INDEX appointments_slot ON appointments (service_id, start_at);

CREATE TABLE appointment_blocks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id     uuid NOT NULL REFERENCES halls(id),
  id_hash     text NOT NULL,
  until_date  date NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_blocks_person ON appointment_blocks (hall_id, id_hash);
