-- Service catalogue: items (事项) gain the fields of a guide's basic information, guides (办事指南) are
-- versioned (one draft, one published, the rest superseded), attachments (blank forms, samples) live in
-- the database so every app node on one PostgreSQL serves them.

ALTER TABLE services
  ADD COLUMN category text NOT NULL DEFAULT 'public_service'
    CHECK (category IN ('licensing', 'benefit', 'confirmation', 'reward', 'adjudication', 'other_power', 'public_service')),
  ADD COLUMN online_applicable boolean NOT NULL DEFAULT false,
  ADD COLUMN green_channel boolean NOT NULL DEFAULT false,
  -- The published guide version; NULL while an item has never been published (not in the public catalogue).
  ADD COLUMN current_guide_version integer CHECK (current_guide_version > 0),
  -- Precomputed search key: name | pinyin syllables | initials | keywords | keyword initials (see search.ts).
  ADD COLUMN search_key text NOT NULL DEFAULT '',
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE guide_versions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id            uuid NOT NULL REFERENCES halls(id),
  service_id         uuid NOT NULL REFERENCES services(id),
  -- NULL while a draft; numbered 1, 2, ... when published, never reused.
  version            integer CHECK (version > 0),
  status             text NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
  based_on           integer,
  content            jsonb NOT NULL,
  note               text NOT NULL DEFAULT '',
  created_at         timestamptz NOT NULL DEFAULT now(),
  created_by         uuid,
  created_by_name    text NOT NULL DEFAULT '',
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by_name    text NOT NULL DEFAULT '',
  published_at       timestamptz,
  published_by       uuid,
  published_by_name  text,
  CHECK ((status = 'draft') = (version IS NULL)),
  CHECK ((status = 'draft') = (published_at IS NULL)),
  UNIQUE (service_id, version)
);
CREATE UNIQUE INDEX guide_versions_one_draft ON guide_versions (service_id) WHERE status = 'draft';
CREATE UNIQUE INDEX guide_versions_one_published ON guide_versions (service_id) WHERE status = 'published';
CREATE INDEX guide_versions_hall_idx ON guide_versions (hall_id, status);

CREATE TABLE guide_attachments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id          uuid NOT NULL REFERENCES halls(id),
  service_id       uuid NOT NULL REFERENCES services(id),
  filename         text NOT NULL CHECK (length(filename) BETWEEN 1 AND 120),
  mime_type        text NOT NULL,
  size             integer NOT NULL CHECK (size > 0 AND size <= 10485760),
  sha256           text NOT NULL,
  data             bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       uuid,
  created_by_name  text NOT NULL DEFAULT ''
);
CREATE INDEX guide_attachments_service_idx ON guide_attachments (service_id);

-- One counter that any change to what public search shows (items, department and window names, which
-- window takes which item) moves, in the same transaction. Each app node keeps an in-memory search index
-- and reloads it when the committed counter differs, so several nodes on one PostgreSQL stay in step
-- without a listener that could miss a message.
CREATE TABLE catalog_revision (
  id        integer PRIMARY KEY CHECK (id = 1),
  revision  bigint NOT NULL
);

CREATE FUNCTION catalog_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO catalog_revision (id, revision) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET revision = catalog_revision.revision + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER services_catalog_touch AFTER INSERT OR UPDATE OR DELETE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();
CREATE TRIGGER departments_catalog_touch AFTER INSERT OR UPDATE OF name OR DELETE ON departments
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();
-- Only names matter to search: a window pausing or reopening (status) must not reload every index.
CREATE TRIGGER windows_catalog_touch AFTER INSERT OR UPDATE OF name OR DELETE ON windows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();
CREATE TRIGGER window_services_catalog_touch AFTER INSERT OR UPDATE OR DELETE ON window_services
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();

-- Items created before the catalogue existed stay public: each gets a first published guide holding what
-- the item already knew (materials and the rest are left for the completeness review to flag).
INSERT INTO guide_versions (hall_id, service_id, version, status, content, created_by_name, updated_by_name, published_at, published_by_name, note)
SELECT s.hall_id, s.id, 1, 'published',
       jsonb_build_object(
         'name', s.name, 'category', 'public_service', 'departmentId', s.department_id, 'kind', s.kind,
         'legalLimitDays', s.legal_limit_days, 'promisedLimitDays', s.promised_limit_days),
       '系统', '系统', now(), '系统', '目录上线时由原有事项生成'
FROM services s;
UPDATE services SET current_guide_version = 1;
