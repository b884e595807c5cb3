-- Staff (窗口人员) and supervision: attendance punches, leave, going out, AB backup and its gaps, leader
-- inspections, the managers' registers, chief representatives, assessment points and confirmed awards,
-- and the extended services found in the queue's event log.
-- Attendance figures (lateness, absences, the discipline score) are computed from these facts and the
-- calendar when read, never stored beside them.

-- Sign-in and sign-out at the staff console, append-only: the day's attendance is replayed from them.
CREATE TABLE attendance_events (
  id          bigserial PRIMARY KEY,
  hall_id     uuid NOT NULL REFERENCES halls(id),
  user_id     uuid NOT NULL REFERENCES users(id),
  window_id   uuid REFERENCES windows(id),
  type        text NOT NULL CHECK (type IN ('sign_in', 'sign_out')),
  at          timestamptz NOT NULL,
  local_date  date NOT NULL
);
CREATE INDEX attendance_events_user_day_idx ON attendance_events (user_id, local_date, id);
CREATE INDEX attendance_events_hall_day_idx ON attendance_events (hall_id, local_date);

CREATE FUNCTION staff_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER attendance_events_no_change BEFORE UPDATE OR DELETE ON attendance_events
  FOR EACH ROW EXECUTE FUNCTION staff_append_only();

-- Leave (事假 personal, 病假 sick, 公休 annual) by half days. `days` is the working time the request
-- covers as counted when it was made: the figure the approval was given for.
CREATE TABLE leave_requests (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id            uuid NOT NULL REFERENCES halls(id),
  user_id            uuid NOT NULL REFERENCES users(id),
  kind               text NOT NULL CHECK (kind IN ('personal', 'sick', 'annual')),
  from_date          date NOT NULL,
  from_half          text NOT NULL CHECK (from_half IN ('am', 'pm')),
  to_date            date NOT NULL,
  to_half            text NOT NULL CHECK (to_half IN ('am', 'pm')),
  days               numeric(5, 1) NOT NULL CHECK (days > 0),
  reason             text NOT NULL DEFAULT '',
  -- More than a day, or more than the monthly allowance: the home unit's stamped approval must be on file.
  requires_document  boolean NOT NULL,
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  decided_by         uuid REFERENCES users(id),
  decided_at         timestamptz,
  decision_note      text,
  created_at         timestamptz NOT NULL,
  CHECK (from_date < to_date OR (from_date = to_date AND NOT (from_half = 'pm' AND to_half = 'am')))
);
CREATE INDEX leave_requests_user_idx ON leave_requests (user_id, from_date);
CREATE INDEX leave_requests_hall_idx ON leave_requests (hall_id, from_date, to_date);

-- The home unit's stamped approval (单位盖章请假条), kept in the database like every other file.
CREATE TABLE leave_documents (
  leave_id     uuid PRIMARY KEY REFERENCES leave_requests(id) ON DELETE CASCADE,
  hall_id      uuid NOT NULL REFERENCES halls(id),
  filename     text NOT NULL,
  mime_type    text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size         integer NOT NULL,
  bytes        bytea NOT NULL,
  uploaded_by  uuid REFERENCES users(id),
  uploaded_at  timestamptz NOT NULL
);

-- Going out on business (外出办事登记) with the promised return and who covers the window meanwhile.
CREATE TABLE going_outs (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id             uuid NOT NULL REFERENCES halls(id),
  user_id             uuid NOT NULL REFERENCES users(id),
  window_id           uuid REFERENCES windows(id),
  reason              text NOT NULL,
  out_at              timestamptz NOT NULL,
  expected_return_at  timestamptz NOT NULL CHECK (expected_return_at > out_at),
  returned_at         timestamptz,
  covered_by          uuid REFERENCES users(id),
  local_date          date NOT NULL
);
CREATE INDEX going_outs_user_idx ON going_outs (user_id, local_date);
CREATE INDEX going_outs_hall_idx ON going_outs (hall_id, local_date);
CREATE UNIQUE INDEX going_outs_one_open_idx ON going_outs (user_id) WHERE returned_at IS NULL;

-- AB角: each post (window) has an A and a B who steps in.
CREATE TABLE window_backups (
  window_id   uuid PRIMARY KEY REFERENCES windows(id) ON DELETE CASCADE,
  hall_id     uuid NOT NULL REFERENCES halls(id),
  a_user_id   uuid NOT NULL REFERENCES users(id),
  b_user_id   uuid NOT NULL REFERENCES users(id),
  updated_at  timestamptz NOT NULL,
  CHECK (a_user_id <> b_user_id)
);

-- A stretch in which a window that should be open had nobody on post. At most one open gap per window,
-- so a check that runs every few minutes alerts once per gap.
CREATE TABLE ab_gaps (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id     uuid NOT NULL REFERENCES halls(id),
  window_id   uuid NOT NULL REFERENCES windows(id) ON DELETE CASCADE,
  reason      text NOT NULL CHECK (reason IN ('nobody_signed_in', 'out_without_cover')),
  opened_at   timestamptz NOT NULL,
  closed_at   timestamptz,
  local_date  date NOT NULL,
  CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE UNIQUE INDEX ab_gaps_one_open_idx ON ab_gaps (window_id) WHERE closed_at IS NULL;
CREATE INDEX ab_gaps_hall_day_idx ON ab_gaps (hall_id, local_date);

-- 巡查签到: a department leader's signed inspection of the department's windows.
CREATE TABLE inspections (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id        uuid NOT NULL REFERENCES halls(id),
  department_id  uuid NOT NULL REFERENCES departments(id),
  leader_id      uuid NOT NULL REFERENCES users(id),
  window_ids     uuid[] NOT NULL,
  findings       text NOT NULL DEFAULT '',
  at             timestamptz NOT NULL,
  local_date     date NOT NULL
);
CREATE INDEX inspections_hall_day_idx ON inspections (hall_id, local_date);

-- The managers' registers for the bulletin: leader visits (领导督办), media reports, information reports
-- (信息报送), good deeds (好人好事) and other work.
CREATE TABLE staff_register (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id        uuid NOT NULL REFERENCES halls(id),
  kind           text NOT NULL CHECK (kind IN ('leader_visit', 'media_report', 'info_report', 'good_deed', 'other_work')),
  occurred_on    date NOT NULL,
  title          text NOT NULL,
  body           text NOT NULL DEFAULT '',
  department_id  uuid REFERENCES departments(id),
  window_id      uuid REFERENCES windows(id),
  user_ids       uuid[] NOT NULL DEFAULT '{}',
  created_by     uuid REFERENCES users(id),
  created_at     timestamptz NOT NULL
);
CREATE INDEX staff_register_hall_day_idx ON staff_register (hall_id, occurred_on);

-- 首席代表: one chief representative per department in the hall.
CREATE TABLE department_chiefs (
  department_id  uuid PRIMARY KEY REFERENCES departments(id) ON DELETE CASCADE,
  hall_id        uuid NOT NULL REFERENCES halls(id),
  user_id        uuid NOT NULL REFERENCES users(id),
  updated_at     timestamptz NOT NULL
);

-- Points a manager gives by hand on the assessment sheet (the items whose source is 'manual').
CREATE TABLE assessment_points (
  hall_id       uuid NOT NULL REFERENCES halls(id),
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  subject_type  text NOT NULL CHECK (subject_type IN ('window', 'staff')),
  subject_id    uuid NOT NULL,
  item_key      text NOT NULL,
  points        numeric(6, 2) NOT NULL CHECK (points >= 0),
  note          text NOT NULL DEFAULT '',
  updated_by    uuid REFERENCES users(id),
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (hall_id, month, subject_type, subject_id, item_key)
);

-- Awards the manager confirmed (红旗窗口 per department, 星级首席, 服务标兵) or entered (other honours),
-- with the figures they were given on.
CREATE TABLE awards (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id       uuid NOT NULL REFERENCES halls(id),
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  kind          text NOT NULL CHECK (kind IN ('red_flag', 'star_chief', 'service_model', 'other')),
  subject_type  text NOT NULL CHECK (subject_type IN ('department', 'window', 'staff')),
  subject_id    uuid,
  name          text NOT NULL,
  title         text NOT NULL DEFAULT '',
  score         numeric(7, 2),
  basis         jsonb NOT NULL DEFAULT '{}',
  confirmed_by  uuid REFERENCES users(id),
  confirmed_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX awards_once_idx ON awards (hall_id, month, kind, subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX awards_hall_month_idx ON awards (hall_id, month);

-- Extended services (延时服务) found in the queue's event log: a roll-up, derived and rebuildable. A day
-- is scanned once it is over (or on demand); `extended_service_days` says which days are scanned, so a
-- rescan replaces that day's rows.
CREATE TABLE extended_services (
  id          bigserial PRIMARY KEY,
  hall_id     uuid NOT NULL REFERENCES halls(id),
  local_date  date NOT NULL,
  user_id     uuid NOT NULL REFERENCES users(id),
  window_id   uuid REFERENCES windows(id),
  kind        text NOT NULL CHECK (kind IN ('lunch', 'after_close')),
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz NOT NULL,
  minutes     integer NOT NULL,
  visits      integer NOT NULL
);
CREATE INDEX extended_services_hall_day_idx ON extended_services (hall_id, local_date);

CREATE TABLE extended_service_days (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  local_date  date NOT NULL,
  scanned_at  timestamptz NOT NULL,
  PRIMARY KEY (hall_id, local_date)
);
