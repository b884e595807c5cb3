-- Personal data of cases and feedback at rest: ID numbers and phones sealed with AES-256-GCM (the data key
-- of src/appointments/keys.ts, from ONEWINDOW_DATA_KEY or generated once), anonymisation after a hall's
-- retention period, and two more written notices of a case.

-- Sealed columns beside the old clear ones. SQL cannot seal with the application's key, so the clear
-- columns stay nullable for the rows written before this migration: the hall's retention run (scheduled
-- below, due at once) seals them and empties the clear columns; readers take a sealed value first.
ALTER TABLE cases ALTER COLUMN applicant_id_number DROP NOT NULL;
ALTER TABLE cases ALTER COLUMN applicant_phone DROP NOT NULL;
ALTER TABLE cases ADD COLUMN applicant_id_number_enc text;
ALTER TABLE cases ADD COLUMN applicant_phone_enc text;
-- The agent's ID number and phone, sealed together as JSON {"idNumber","phone"}; `agent` keeps the name
-- and the authorisation only.
ALTER TABLE cases ADD COLUMN agent_enc text;
-- When the retention run emptied the case's personal fields.
ALTER TABLE cases ADD COLUMN anonymised_at timestamptz;
-- The retention run walks finished cases by receipt date.
CREATE INDEX cases_retention_idx ON cases (hall_id, received_at) WHERE anonymised_at IS NULL AND finished_at IS NOT NULL;

ALTER TABLE ratings ADD COLUMN rater_phone_enc text;
ALTER TABLE complaints ADD COLUMN complainant_phone_enc text;
ALTER TABLE petitions ADD COLUMN phone_enc text;
ALTER TABLE suggestions ADD COLUMN contact_phone_enc text;
ALTER TABLE appeals ADD COLUMN appellant_phone_enc text;

-- Notices stay as issued, except that the retention run may blank the applicant's name and masked number
-- in them: it says so for its own transaction with SET LOCAL onewindow.anonymise = 'on'.
CREATE OR REPLACE FUNCTION cases_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_notices' AND current_setting('onewindow.anonymise', true) = 'on' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

-- 办结通知书 (the result, with the rating QR code) and 不需审批告知书 (no approval needed, with the reason).
ALTER TABLE case_notices DROP CONSTRAINT case_notices_type_check;
ALTER TABLE case_notices ADD CONSTRAINT case_notices_type_check
  CHECK (type IN ('acceptance', 'supplement', 'joint', 'return', 'rejection', 'completion', 'no_approval'));

-- Every hall's nightly retention run, the first one due now so that rows written before this migration are
-- sealed at the next start. Halls created later get theirs with their first case.
INSERT INTO timers (hall_id, kind, key, due_at)
SELECT id, 'cases.retention', id::text, now() FROM halls
ON CONFLICT (kind, key) DO NOTHING;
