-- Cases (办件): a row per application with its current projection (status, kind, deadline, light), the
-- append-only action log that is the truth behind it, the departments' tasks of a joint case, the notices
-- as issued, and the daily counters behind case numbers.

-- Case numbers `<hallCode>-<yyyyMMdd>-<sequence>`: one counter row per hall per local date, bumped with
-- INSERT ... ON CONFLICT DO UPDATE ... RETURNING in the receiving transaction, so every app node gets a
-- distinct value and a receipt that rolls back gives its value back.
CREATE TABLE case_counters (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  local_date  date NOT NULL,
  value       integer NOT NULL,
  PRIMARY KEY (hall_id, local_date)
);

CREATE TABLE cases (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id               uuid NOT NULL REFERENCES halls(id),
  -- Hall codes are unique across the network and part of the number, so the number is unique everywhere.
  case_number           text NOT NULL UNIQUE,
  service_id            uuid NOT NULL REFERENCES services(id),
  -- The item's name when received and the guide version the application was checked against.
  service_name          text NOT NULL,
  guide_version         integer,
  -- The handling department: the item's, or the lead department of a joint case.
  department_id         uuid NOT NULL REFERENCES departments(id),
  window_id             uuid REFERENCES windows(id),
  ticket_id             uuid REFERENCES tickets(id),
  -- Who received it: the handling staff member whom light reminders reach, with the department's leaders.
  handler_id            uuid REFERENCES users(id),
  kind                  text NOT NULL CHECK (kind IN ('immediate', 'promised', 'joint', 'supplement', 'returned', 'escalated')),
  accepted_kind         text NOT NULL CHECK (accepted_kind IN ('immediate', 'promised', 'joint')),
  status                text NOT NULL CHECK (status IN ('received', 'awaiting_supplement', 'accepted', 'joint_review', 'paused',
                                                         'escalated', 'forwarded', 'completed', 'delivered', 'returned',
                                                         'not_accepted', 'not_required')),
  -- Applicant: a person (ID number, GB 11643) or a company (unified social credit code, GB 32100), both
  -- check-digit validated; the full number stays with the hall (staff, provincial exchange), masked elsewhere.
  applicant_type        text NOT NULL CHECK (applicant_type IN ('person', 'company')),
  applicant_name        text NOT NULL,
  applicant_id_number   text NOT NULL,
  applicant_phone       text NOT NULL,
  applicant_contact     text,
  -- 代办员: {name, idNumber, phone, authorization}.
  agent                 jsonb,
  -- 查询密码 for the provincial platform's progress query; optional.
  query_password        text,
  -- The guide's materials as checked at receipt: [{id, name, required, condition, received}].
  materials             jsonb NOT NULL DEFAULT '[]',
  missing_materials     jsonb NOT NULL DEFAULT '[]',
  corrections           jsonb NOT NULL DEFAULT '[]',
  limit_days            integer NOT NULL CHECK (limit_days >= 0),
  received_at           timestamptz NOT NULL,
  accepted_at           timestamptz,
  deadline_at           timestamptz,
  deadline_date         date,
  light                 text CHECK (light IN ('green', 'reminder', 'yellow', 'red')),
  next_light_change_at  timestamptz,
  -- The pending 'case.light' timer, so a move can cancel it.
  light_timer_key       text,
  finished_at           timestamptz,
  decision_reason       text,
  competent_authority   text,
  escalation            jsonb,
  result                text,
  delivery_method       text NOT NULL DEFAULT 'pickup' CHECK (delivery_method IN ('pickup', 'post')),
  delivery_address      text,
  pickup_at             timestamptz,
  tracking_number       text,
  delivered_at          timestamptz,
  -- Number of logged actions: the next action's seq, checked against the log.
  version               integer NOT NULL DEFAULT 1,
  idempotency_key       text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cases_idempotency_idx ON cases (hall_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Boards: open cases of a department, or of the hall, by due date (overdue first); the light (and the
-- department) ride along so the counts per light come from the index alone.
CREATE INDEX cases_open_department_idx ON cases (department_id, deadline_at) INCLUDE (light) WHERE finished_at IS NULL;
CREATE INDEX cases_open_hall_idx ON cases (hall_id, deadline_at) INCLUDE (department_id, light) WHERE finished_at IS NULL;
-- Staff lists: a window's cases and a hall's cases, newest first.
CREATE INDEX cases_window_idx ON cases (window_id, received_at DESC);
CREATE INDEX cases_hall_received_idx ON cases (hall_id, received_at DESC);

-- A joint case's departments, each with its task and sub-deadline (a projection, like the case row).
CREATE TABLE case_tasks (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id        uuid NOT NULL REFERENCES halls(id),
  case_id        uuid NOT NULL REFERENCES cases(id),
  department_id  uuid NOT NULL REFERENCES departments(id),
  task           text NOT NULL,
  limit_days     integer NOT NULL CHECK (limit_days >= 0),
  deadline_at    timestamptz,
  done_at        timestamptz,
  done_by_name   text,
  note           text,
  UNIQUE (case_id, department_id)
);
CREATE INDEX case_tasks_open_department_idx ON case_tasks (department_id) WHERE done_at IS NULL;

-- Every move of a case, in order, written in the move's transaction: the status is replayed from it.
-- A retried request with the same Idempotency-Key finds its row instead of moving the case twice.
CREATE TABLE case_actions (
  id               bigserial PRIMARY KEY,
  hall_id          uuid NOT NULL REFERENCES halls(id),
  case_id          uuid NOT NULL REFERENCES cases(id),
  seq              integer NOT NULL CHECK (seq > 0),
  action           text NOT NULL CHECK (action IN ('receive', 'accept', 'correct', 'supplement', 'reject', 'no_approval',
                                                   'return', 'escalate', 'forward', 'pause', 'resume', 'task_complete',
                                                   'complete', 'schedule_pickup', 'pick_up', 'mail')),
  status_after     text NOT NULL,
  actor_id         uuid,
  actor_name       text NOT NULL,
  reason           text,
  -- What the replay needs (materials, limits, departments) and what people read (tracking number ...).
  facts            jsonb NOT NULL DEFAULT '{}',
  payload          jsonb NOT NULL DEFAULT '{}',
  at               timestamptz NOT NULL,
  idempotency_key  text,
  UNIQUE (case_id, seq),
  UNIQUE (case_id, idempotency_key)
);

-- Notices as issued (承诺件受理通知, 办件通知书, 联办件通知书, 退回件通知书, 不予受理决定书): the data and the
-- rendered page are kept, so a reprint shows exactly what the applicant was given.
CREATE TABLE case_notices (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id           uuid NOT NULL REFERENCES halls(id),
  case_id           uuid NOT NULL REFERENCES cases(id),
  seq               integer NOT NULL CHECK (seq > 0),
  type              text NOT NULL CHECK (type IN ('acceptance', 'supplement', 'joint', 'return', 'rejection')),
  template_version  integer NOT NULL,
  title             text NOT NULL,
  data              jsonb NOT NULL,
  html              text NOT NULL,
  action_seq        integer NOT NULL,
  issued_at         timestamptz NOT NULL,
  issued_by_name    text NOT NULL,
  UNIQUE (case_id, seq)
);

CREATE FUNCTION cases_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER case_actions_no_change BEFORE UPDATE OR DELETE ON case_actions
  FOR EACH ROW EXECUTE FUNCTION cases_append_only();
CREATE TRIGGER case_notices_no_change BEFORE UPDATE OR DELETE ON case_notices
  FOR EACH ROW EXECUTE FUNCTION cases_append_only();
