-- A hall's public search lists the items of its catalogue per level too (a village station shows what it
-- takes in for the county), so changing hall_catalog moves the revision that search indexes reload on.
CREATE TRIGGER hall_catalog_catalog_touch AFTER INSERT OR UPDATE OR DELETE ON hall_catalog
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();
