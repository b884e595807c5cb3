-- Reports at city scale and the hall network (issues 9 and 12).

-- The dashboard's satisfaction panel by local date, department and grade, for ratings not excluded. Kept in
-- step by a trigger in the transaction of every rating written, excluded on appeal or moved, so a late
-- rating or an exclusion shows at once, unlike a roll-up built at night (docs/performance.md).
CREATE TABLE report_rating_days (
  hall_id        uuid NOT NULL REFERENCES halls(id),
  local_date     date NOT NULL,
  department_id  uuid,
  grade          text NOT NULL,
  n              integer NOT NULL,
  UNIQUE NULLS NOT DISTINCT (hall_id, local_date, department_id, grade)
);

CREATE FUNCTION report_rating_days_add(r ratings, delta integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_rating_days AS d (hall_id, local_date, department_id, grade, n)
  SELECT r.hall_id, (coalesce(r.served_at, r.rated_at) AT TIME ZONE h.time_zone)::date, r.department_id, r.grade, delta
  FROM halls h WHERE h.id = r.hall_id
  ON CONFLICT (hall_id, local_date, department_id, grade) DO UPDATE SET n = d.n + EXCLUDED.n;
$$;

CREATE FUNCTION report_rating_days_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.excluded THEN
    PERFORM report_rating_days_add(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.excluded THEN
    PERFORM report_rating_days_add(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ratings_report_days AFTER INSERT OR DELETE OR UPDATE OF hall_id, department_id, grade, excluded, served_at, rated_at
  ON ratings FOR EACH ROW EXECUTE FUNCTION report_rating_days_track();

INSERT INTO report_rating_days (hall_id, local_date, department_id, grade, n)
SELECT r.hall_id, (coalesce(r.served_at, r.rated_at) AT TIME ZONE h.time_zone)::date, r.department_id, r.grade, count(*)
FROM ratings r JOIN halls h ON h.id = r.hall_id
WHERE NOT r.excluded
GROUP BY 1, 2, 3, 4;

-- Staff working in several halls of the network: roles held at a hall reach its whole subtree
-- (src/org/network.ts, hallScope). The home hall and roles stay on users.
CREATE TABLE user_halls (
  user_id     uuid NOT NULL REFERENCES users(id),
  hall_id     uuid NOT NULL REFERENCES halls(id),
  roles       text[] NOT NULL CHECK (cardinality(roles) > 0),
  granted_by  uuid REFERENCES users(id),
  granted_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, hall_id)
);
CREATE INDEX user_halls_hall_idx ON user_halls (hall_id);
