-- Online applications (网上申报, 预审, 不见面审批): applicants who sign in with their phone and a one-time
-- code, their applications with uploaded materials (kept in the database, so app nodes stay stateless and
-- backups carry them), the window's pre-review within 5 working days, and each step for the applicant.

-- One account per phone per hall. The phone and the ID number (or credit code) are sealed (AES-256-GCM
-- with the data key of migration 0011); the keyed hash finds the account by phone.
CREATE TABLE applicants (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  phone_hash      text NOT NULL,
  phone_enc       text NOT NULL,
  kind            text CHECK (kind IN ('person', 'company')),
  name            text NOT NULL DEFAULT '',
  number_enc      text,
  contact_name    text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, phone_hash)
);

-- One-time sign-in codes: only a hash is kept; a few wrong tries spend the code.
CREATE TABLE applicant_codes (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  phone_hash      text NOT NULL,
  code_hash       text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  created_at      timestamptz NOT NULL
);
CREATE INDEX applicant_codes_phone ON applicant_codes (hall_id, phone_hash, created_at DESC);

CREATE TABLE applicant_sessions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  applicant_id    uuid NOT NULL REFERENCES applicants(id),
  token_hash      text NOT NULL UNIQUE,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  created_at      timestamptz NOT NULL
);

CREATE TABLE online_applications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  applicant_id    uuid NOT NULL REFERENCES applicants(id),
  service_id      uuid NOT NULL REFERENCES services(id),
  service_code    text NOT NULL,
  service_name    text NOT NULL,
  department_id   uuid NOT NULL REFERENCES departments(id),
  window_id       uuid REFERENCES windows(id),
  guide_version   integer,
  status          text NOT NULL CHECK (status IN ('draft', 'submitted', 'corrections', 'resubmitted', 'accepted', 'rejected')),
  note            text NOT NULL DEFAULT '',
  not_applicable  jsonb NOT NULL DEFAULT '[]',
  finish          text NOT NULL DEFAULT 'online' CHECK (finish IN ('online', 'once', 'agent')),
  agent           jsonb,
  agent_enc       text,
  delivery_method text NOT NULL DEFAULT 'pickup' CHECK (delivery_method IN ('pickup', 'post')),
  delivery_address text,
  case_id         uuid REFERENCES cases(id),
  case_number     text,
  received_at     timestamptz,
  review_due_at   timestamptz,
  corrections     jsonb NOT NULL DEFAULT '[]',
  answer_note     text,
  decision_reason text,
  accepted_by     text CHECK (accepted_by IN ('staff', 'law')),
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX online_applications_applicant ON online_applications (applicant_id, created_at DESC);
-- The inbox: applications waiting for pre-review, soonest due first.
CREATE INDEX online_applications_inbox ON online_applications (hall_id, review_due_at) WHERE status IN ('submitted', 'resubmitted');
CREATE INDEX online_applications_case ON online_applications (case_id) WHERE case_id IS NOT NULL;

CREATE TABLE online_files (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         uuid NOT NULL REFERENCES halls(id),
  application_id  uuid NOT NULL REFERENCES online_applications(id),
  material_id     text NOT NULL,
  filename        text NOT NULL,
  mime_type       text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size            integer NOT NULL,
  sha256          text NOT NULL,
  data            bytea NOT NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX online_files_application ON online_files (application_id, material_id);

-- Each step as the applicant sees it: submitted, corrections asked, answered, accepted (by the window or
-- by law after 5 working days), rejected.
CREATE TABLE online_events (
  id              bigserial PRIMARY KEY,
  hall_id         uuid NOT NULL REFERENCES halls(id),
  application_id  uuid NOT NULL REFERENCES online_applications(id),
  action          text NOT NULL,
  actor_name      text NOT NULL,
  note            text,
  at              timestamptz NOT NULL
);
CREATE INDEX online_events_application ON online_events (application_id, id);
