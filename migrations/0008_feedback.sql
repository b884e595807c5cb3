-- Feedback: ratings (好差评) and the bad-review loop (差评回访整改, 申诉复核), complaints (投诉, 办不成事),
-- petitions (信访), the suggestion box and comment book, and appeals (诉求) in the 12345 model with their
-- Open311 GeoReport v2 face. Every ledger keeps its own deadline in working days, computed when a stage
-- starts, so a board never recomputes the past.

-- The key that signs rating links (SMS tokens, the window pad), when ONEWINDOW_SECRET is not set.
CREATE TABLE feedback_secrets (
  hall_id     uuid PRIMARY KEY REFERENCES halls(id),
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Daily counters behind complaint (TS), petition (XF), suggestion (YJ) and appeal (SQ) numbers, bumped with
-- INSERT ... ON CONFLICT DO UPDATE ... RETURNING in the registering transaction.
CREATE TABLE feedback_counters (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  scope       text NOT NULL,
  local_date  date NOT NULL,
  value       integer NOT NULL,
  PRIMARY KEY (hall_id, scope, local_date)
);

-- One rating per service given (一次一评): a ticket, a case, or (online, 一事一评) an item of the guide.
CREATE TABLE ratings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  subject         text NOT NULL CHECK (subject IN ('ticket', 'case', 'service')),
  ticket_id       uuid REFERENCES tickets(id),
  case_id         uuid REFERENCES cases(id),
  case_number     text,
  service_id      uuid REFERENCES services(id),
  -- Who and where the service was given: the window, the staff member and the item's department.
  department_id   uuid REFERENCES departments(id),
  window_id       uuid REFERENCES windows(id),
  staff_id        uuid REFERENCES users(id),
  -- The label is the truth; the number (非常满意 5 ... 非常不满意 1) is kept for means.
  grade           text NOT NULL CHECK (grade IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied')),
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  criteria        jsonb NOT NULL DEFAULT '{}',
  tags            text[] NOT NULL DEFAULT '{}',
  comment         text NOT NULL DEFAULT '',
  channel         text NOT NULL CHECK (channel IN ('pad', 'qr', 'sms', 'online', 'form')),
  -- A number the supervision office may call back (named bad reviews are called back, 100%).
  rater_phone     text,
  -- When the service ended (null for an item rated online), when the rater rated (a paper form's date),
  -- and when the rating reached the system (data timeliness).
  served_at       timestamptz,
  rated_at        timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL,
  -- Entered within the hall's limit (a paper form); electronic channels are recorded as they happen.
  timely          boolean NOT NULL DEFAULT true,
  -- The SMS token used: a token is good for one rating only.
  token_nonce     text UNIQUE,
  edit_key_hash   text,
  editable_until  timestamptz,
  updated_at      timestamptz,
  -- Excluded from indicators by an upheld 申诉复核 (a malicious bad review).
  excluded        boolean NOT NULL DEFAULT false,
  CHECK ((subject = 'ticket') = (ticket_id IS NOT NULL)),
  CHECK ((subject = 'case') = (case_id IS NOT NULL))
);
CREATE UNIQUE INDEX ratings_ticket_idx ON ratings (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE UNIQUE INDEX ratings_case_idx ON ratings (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX ratings_hall_served_idx ON ratings (hall_id, (coalesce(served_at, rated_at)));
CREATE INDEX ratings_staff_idx ON ratings (staff_id, rated_at DESC);

-- Every time a service was offered a rating channel (the pad showed it, an SMS link was sent, a QR code
-- was printed): the numerator of the coverage of evaluation.
CREATE TABLE rating_invitations (
  id          bigserial PRIMARY KEY,
  hall_id     uuid NOT NULL REFERENCES halls(id),
  ticket_id   uuid REFERENCES tickets(id),
  case_id     uuid REFERENCES cases(id),
  channel     text NOT NULL CHECK (channel IN ('pad', 'sms', 'qr')),
  at          timestamptz NOT NULL,
  CHECK ((ticket_id IS NULL) <> (case_id IS NULL))
);
CREATE UNIQUE INDEX rating_invitations_ticket_idx ON rating_invitations (ticket_id, channel) WHERE ticket_id IS NOT NULL;
CREATE UNIQUE INDEX rating_invitations_case_idx ON rating_invitations (case_id, channel) WHERE case_id IS NOT NULL;

-- A bad review's follow-up by the supervision office: verify (call back), rectify, answer the rater and
-- the department. The status moves only along the table in followup-states.ts; each stage's deadline is
-- set when the stage starts.
CREATE TABLE followups (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id            uuid NOT NULL REFERENCES halls(id),
  rating_id          uuid NOT NULL UNIQUE REFERENCES ratings(id),
  status             text NOT NULL CHECK (status IN ('to_verify', 'invalid_pending', 'invalid', 'rectifying', 'rectified',
                                                     'cannot_rectify_pending', 'cannot_rectify', 'done', 'withdrawn')),
  stage              text NOT NULL CHECK (stage IN ('verify', 'rectify', 'answer', 'closed')),
  deadline_at        timestamptz NOT NULL,
  verification       text CHECK (verification IN ('valid', 'invalid')),
  verification_note  text,
  rectification      text,
  answer             text,
  rater_response     text CHECK (rater_response IN ('satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable')),
  extension_days     integer,
  extension_status   text CHECK (extension_status IN ('pending', 'approved', 'rejected')),
  extension_reason   text,
  -- The first time any stage ran past its deadline; a follow-up overdue once is not "handled in time".
  overdue_at         timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  closed_at          timestamptz
);
CREATE INDEX followups_open_idx ON followups (hall_id, deadline_at) WHERE closed_at IS NULL;

CREATE TABLE followup_actions (
  id           bigserial PRIMARY KEY,
  hall_id      uuid NOT NULL REFERENCES halls(id),
  followup_id  uuid NOT NULL REFERENCES followups(id),
  action       text NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  note         text,
  data         jsonb NOT NULL DEFAULT '{}',
  actor_id     uuid,
  actor_name   text NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX followup_actions_followup_idx ON followup_actions (followup_id, id);

-- 申诉复核: a staff member (or the department's leader) contests a bad review as mistaken or malicious; a
-- supervisor decides; upheld, the rating leaves the indicators.
CREATE TABLE rating_disputes (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id          uuid NOT NULL REFERENCES halls(id),
  rating_id        uuid NOT NULL UNIQUE REFERENCES ratings(id),
  filed_by         uuid NOT NULL REFERENCES users(id),
  filed_by_name    text NOT NULL,
  reason           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected')),
  decided_by       uuid REFERENCES users(id),
  decided_by_name  text,
  decision_note    text,
  filed_at         timestamptz NOT NULL,
  decided_at       timestamptz
);

-- Complaints, and the 办不成事 window's matters that could not get done.
CREATE TABLE complaints (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id            uuid NOT NULL REFERENCES halls(id),
  number             text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('complaint', 'cannot_get_done')),
  channel            text NOT NULL CHECK (channel IN ('on_site', 'phone', 'letter', 'online')),
  complexity         text NOT NULL CHECK (complexity IN ('simple', 'complex', 'multi_unit')),
  -- Kept confidential: shown in clear to supervisors only.
  complainant_name   text NOT NULL,
  complainant_phone  text,
  content            text NOT NULL,
  -- Whom and where the complaint is about, as told.
  window_id          uuid REFERENCES windows(id),
  staff_id           uuid REFERENCES users(id),
  department_id      uuid REFERENCES departments(id),
  status             text NOT NULL CHECK (status IN ('open', 'answered')),
  received_at        timestamptz NOT NULL,
  due_at             timestamptz NOT NULL,
  escalated_at       timestamptz,
  outcome            text,
  -- The finding, linked to the staff member and window for their assessment.
  finding            text CHECK (finding IN ('substantiated', 'partly', 'unsubstantiated')),
  finding_window_id  uuid REFERENCES windows(id),
  finding_staff_id   uuid REFERENCES users(id),
  answered_at        timestamptz,
  answered_by_name   text,
  created_by_name    text NOT NULL,
  UNIQUE (hall_id, number)
);
CREATE INDEX complaints_open_idx ON complaints (hall_id, due_at) WHERE status = 'open';

-- 信访登记: the register's fields (time, name, sex, age, occupation, address, issue), the answer, group visits.
CREATE TABLE petitions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id          uuid NOT NULL REFERENCES halls(id),
  number           text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('visit', 'letter', 'phone')),
  registered_at    timestamptz NOT NULL,
  name             text NOT NULL,
  sex              text NOT NULL CHECK (sex IN ('male', 'female')),
  age              integer CHECK (age BETWEEN 1 AND 130),
  occupation       text NOT NULL DEFAULT '',
  address          text NOT NULL DEFAULT '',
  phone            text,
  issue            text NOT NULL,
  visitors         integer NOT NULL DEFAULT 1 CHECK (visitors >= 1),
  group_visit      boolean NOT NULL,
  status           text NOT NULL CHECK (status IN ('open', 'answered')),
  due_at           timestamptz NOT NULL,
  answer           text,
  on_the_spot      boolean NOT NULL DEFAULT false,
  answered_at      timestamptz,
  overdue_at       timestamptz,
  created_by_name  text NOT NULL,
  UNIQUE (hall_id, number)
);

CREATE TABLE petition_receptions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id       uuid NOT NULL REFERENCES halls(id),
  petition_id   uuid NOT NULL REFERENCES petitions(id),
  leader_id     uuid NOT NULL REFERENCES users(id),
  leader_name   text NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  place         text NOT NULL DEFAULT '',
  status        text NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
  notes         text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX petition_receptions_petition_idx ON petition_receptions (petition_id);

-- The suggestion box is opened every working day (an opening is recorded even when it is empty) and the
-- comment book read; each entry is answered within its limit and fixed within its own.
CREATE TABLE suggestion_openings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  source          text NOT NULL CHECK (source IN ('box', 'book')),
  opened_on       date NOT NULL,
  found           integer NOT NULL CHECK (found >= 0),
  opened_by_name  text NOT NULL,
  opened_at       timestamptz NOT NULL,
  UNIQUE (hall_id, source, opened_on)
);

CREATE TABLE suggestions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id          uuid NOT NULL REFERENCES halls(id),
  number           text NOT NULL,
  source           text NOT NULL CHECK (source IN ('box', 'book', 'online')),
  received_on      date NOT NULL,
  content          text NOT NULL,
  contact_name     text,
  contact_phone    text,
  department_id    uuid REFERENCES departments(id),
  status           text NOT NULL CHECK (status IN ('open', 'answered', 'fixed', 'closed')),
  answer_due_at    timestamptz NOT NULL,
  fix_due_at       timestamptz NOT NULL,
  answer           text,
  answered_at      timestamptz,
  fix_note         text,
  fixed_at         timestamptz,
  created_by_name  text NOT NULL,
  created_at       timestamptz NOT NULL,
  UNIQUE (hall_id, number)
);

-- Appeal categories: what a 12345 appeal is about, with its type and the department it goes to; served as
-- Open311 services (service_code = code) with their service definitions (attributes).
CREATE TABLE appeal_categories (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id        uuid NOT NULL REFERENCES halls(id),
  code           text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
  name           text NOT NULL,
  description    text NOT NULL DEFAULT '',
  type           text NOT NULL CHECK (type IN ('consultation', 'help', 'complaint', 'report', 'suggestion')),
  department_id  uuid REFERENCES departments(id),
  level          text NOT NULL DEFAULT 'district' CHECK (level IN ('grid', 'community', 'street', 'district')),
  group_name     text NOT NULL DEFAULT '',
  keywords       text NOT NULL DEFAULT '',
  attributes     jsonb NOT NULL DEFAULT '[]',
  open311_type   text NOT NULL DEFAULT 'realtime' CHECK (open311_type IN ('realtime', 'batch')),
  active         boolean NOT NULL DEFAULT true,
  sort_order     integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, code)
);

-- Appeals (诉求): the row is a projection of appeal_actions, which the status is replayed from.
CREATE TABLE appeals (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id            uuid NOT NULL REFERENCES halls(id),
  number             text NOT NULL,
  type               text NOT NULL CHECK (type IN ('consultation', 'help', 'complaint', 'report', 'suggestion')),
  category_id        uuid REFERENCES appeal_categories(id),
  source             text NOT NULL CHECK (source IN ('hotline', 'web', 'walk_in', 'grid', 'open311')),
  content            text NOT NULL,
  appellant_name     text,
  appellant_phone    text,
  email              text,
  account_id         text,
  address            text,
  address_id         text,
  zipcode            text,
  lat                double precision,
  long               double precision,
  media_url          text,
  attributes         jsonb NOT NULL DEFAULT '{}',
  status             text NOT NULL CHECK (status IN ('received', 'dispatched', 'accepted', 'returned', 'answered', 'closed')),
  level              text NOT NULL CHECK (level IN ('grid', 'community', 'street', 'district')),
  department_id      uuid REFERENCES departments(id),
  received_at        timestamptz NOT NULL,
  -- The type's limit runs from the first dispatch and does not restart on a return or a re-dispatch.
  deadline_at        timestamptz,
  sign_deadline_at   timestamptz,
  level_deadline_at  timestamptz,
  signed_at          timestamptz,
  answered_at        timestamptz,
  answer             text,
  closed_at          timestamptz,
  satisfaction       text CHECK (satisfaction IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied', 'unreachable')),
  extended           boolean NOT NULL DEFAULT false,
  extension_days     integer,
  overdue_at         timestamptz,
  open311_token      text UNIQUE,
  version            integer NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (hall_id, number)
);
CREATE INDEX appeals_department_idx ON appeals (department_id, status) WHERE closed_at IS NULL;
CREATE INDEX appeals_hall_received_idx ON appeals (hall_id, received_at DESC);

CREATE TABLE appeal_actions (
  id             bigserial PRIMARY KEY,
  hall_id        uuid NOT NULL REFERENCES halls(id),
  appeal_id      uuid NOT NULL REFERENCES appeals(id),
  seq            integer NOT NULL CHECK (seq > 0),
  action         text NOT NULL,
  status_after   text NOT NULL,
  -- The level and department after the action, and the time limit running at that level then.
  level          text NOT NULL,
  department_id  uuid REFERENCES departments(id),
  deadline_at    timestamptz,
  reason         text,
  data           jsonb NOT NULL DEFAULT '{}',
  actor_id       uuid,
  actor_name     text NOT NULL,
  at             timestamptz NOT NULL,
  UNIQUE (appeal_id, seq)
);

-- Keys of outside systems allowed to file appeals through Open311 (only the SHA-256 is kept).
CREATE TABLE open311_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id     uuid NOT NULL REFERENCES halls(id),
  name        text NOT NULL,
  key_hash    text NOT NULL UNIQUE,
  key_prefix  text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL
);

CREATE FUNCTION feedback_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER followup_actions_no_change BEFORE UPDATE OR DELETE ON followup_actions
  FOR EACH ROW EXECUTE FUNCTION feedback_append_only();
CREATE TRIGGER appeal_actions_no_change BEFORE UPDATE OR DELETE ON appeal_actions
  FOR EACH ROW EXECUTE FUNCTION feedback_append_only();
