-- A hall's changes to the national working-day calendar: local closures, extra opening days, and next
-- year's State Council notice entered by hand before the shipped data has it.
CREATE TABLE calendar_overrides (
  hall_id     uuid NOT NULL REFERENCES halls(id),
  date        date NOT NULL,
  workday     boolean NOT NULL,
  name        text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hall_id, date)
);

-- Years whose notice the hall has entered in full, so the product stops warning about them.
CREATE TABLE calendar_announced_years (
  hall_id  uuid NOT NULL REFERENCES halls(id),
  year     integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  source   text NOT NULL DEFAULT '',
  PRIMARY KEY (hall_id, year)
);
