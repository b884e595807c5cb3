-- Reports: the text of the monthly bulletin that a person writes (issue number, opening paragraph,
-- problems, next steps); every figure in it is computed from the event tables when it is read.
CREATE TABLE bulletin_texts (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  month       text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  issue_no    text NOT NULL DEFAULT '',
  intro       text NOT NULL DEFAULT '',
  problems    text NOT NULL DEFAULT '',
  next_steps  text NOT NULL DEFAULT '',
  updated_by  uuid REFERENCES users(id),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (hall_id, month)
);

-- Indexes the monthly figures and the dashboard read by (see docs/performance-reports.md): a month's
-- accepted and finished cases are index-only range scans, and consultations find a ticket's case.
CREATE INDEX cases_report_accepted_idx ON cases (hall_id, accepted_at) INCLUDE (department_id, window_id, handler_id, accepted_kind);
CREATE INDEX cases_report_finished_idx ON cases (hall_id, finished_at) INCLUDE (department_id, window_id, handler_id, accepted_kind, status, deadline_at);
CREATE INDEX cases_ticket_idx ON cases (ticket_id) WHERE ticket_id IS NOT NULL;

-- Daily roll-ups, derived and rebuildable: one closed day of cases and of the queue, summed by the keys
-- the bulletin and the dashboard group by. A day is built once it is over, on first read (DELETE and
-- INSERT ... SELECT in one transaction, recorded in report_days); the running day is always read live
-- from the same SELECT, so the two can never disagree. Rebuilding a day gives the same rows.
CREATE TABLE report_days (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  local_date  date NOT NULL,
  built_at    timestamptz NOT NULL,
  PRIMARY KEY (hall_id, local_date)
);

-- Cases accepted (受理) and finished (办结) on a local date, by department, window, handler and kind.
CREATE TABLE report_case_days (
  hall_id        uuid NOT NULL REFERENCES halls(id),
  local_date     date NOT NULL,
  department_id  uuid NOT NULL,
  window_id      uuid,
  handler_id     uuid,
  accepted_kind  text NOT NULL,
  accepted       integer NOT NULL,
  finished       integer NOT NULL,
  with_deadline  integer NOT NULL,
  on_time        integer NOT NULL
);
CREATE INDEX report_case_days_idx ON report_case_days (hall_id, local_date);

-- The queue by local date, window and hour: tickets issued (by hour of issue) with their waiting and
-- service time, and consultations (visits finished with no case, by hour of finishing).
CREATE TABLE report_queue_days (
  hall_id        uuid NOT NULL REFERENCES halls(id),
  local_date     date NOT NULL,
  window_id      uuid,
  hour           smallint NOT NULL,
  issued         integer NOT NULL,
  called         integer NOT NULL,
  wait_s         double precision NOT NULL,
  served         integer NOT NULL,
  service_s      double precision NOT NULL,
  consultations  integer NOT NULL
);
CREATE INDEX report_queue_days_idx ON report_queue_days (hall_id, local_date);
