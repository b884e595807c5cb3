-- 办不成事 dispositions and the answer after an impossible finding, the indexes behind the 12345 red and
-- black lists (feedback); results picked up by appointment (appointments); the front-database increments
-- (cases/exchange.ts).

-- A 办不成事 matter ends solved, transferred to the unit it belongs to, or found truly impossible with its
-- legal reason; the finding starts its own answer deadline (3 working days by default).
ALTER TABLE complaints
  ADD COLUMN disposition         text CHECK (disposition IN ('solved', 'impossible', 'transferred')),
  ADD COLUMN impossible_reason   text,
  ADD COLUMN legal_basis         text,
  ADD COLUMN found_impossible_at timestamptz,
  ADD COLUMN found_by_name       text,
  ADD COLUMN reply_due_at        timestamptz,
  ADD COLUMN reply_reminded_at   timestamptz,
  ADD COLUMN transferred_to      text,
  ADD CONSTRAINT complaints_disposition_kind CHECK (disposition IS NULL OR kind = 'cannot_get_done'),
  ADD CONSTRAINT complaints_impossible_reason CHECK ((disposition = 'impossible') = (found_impossible_at IS NOT NULL AND impossible_reason IS NOT NULL AND reply_due_at IS NOT NULL));
CREATE INDEX complaints_hall_kind_received_idx ON complaints (hall_id, kind, received_at);

-- Results picked up by appointment: a booking of the case's item linked to the case, checked in for a
-- ticket like any booking, and closed when the result is handed over (the case's 领取 step).
ALTER TABLE appointments
  ADD COLUMN case_id        uuid REFERENCES cases(id),
  ADD COLUMN handed_over_at timestamptz;
-- One live pick-up booking per case.
CREATE UNIQUE INDEX appointments_pickup_case_idx ON appointments (case_id) WHERE case_id IS NOT NULL AND status = 'booked';

-- The month's red and black lists group the appeal log of a hall and month by unit.
CREATE INDEX appeal_actions_hall_at_idx ON appeal_actions (hall_id, at) INCLUDE (department_id, action);

-- Front-database increments: what changed since the exchange's last pull.
CREATE INDEX cases_hall_updated_idx ON cases (hall_id, updated_at);
CREATE INDEX case_actions_hall_at_idx ON case_actions (hall_id, at);
