-- The catalogue per level of the hall network (issue 12): what each hall does with an item defined at a
-- hall above it. An item's own hall (services.hall_id) decides it without a row; a row gives another hall
-- of its subtree one of: decide (办理: accepts and decides), forward (收件转报: takes in and sends the
-- case up to the nearest hall above that decides), guide (咨询/代办: only advises or helps). No row: the
-- hall does nothing with the item.
CREATE TABLE hall_catalog (
  hall_id          uuid NOT NULL REFERENCES halls(id),
  service_id       uuid NOT NULL REFERENCES services(id),
  mode             text NOT NULL CHECK (mode IN ('decide', 'forward', 'guide')),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by_name  text NOT NULL DEFAULT '',
  PRIMARY KEY (hall_id, service_id)
);
-- "Where is this item handled": every hall's row for one item (the public guide and the nearest hall).
CREATE INDEX hall_catalog_service_idx ON hall_catalog (service_id);
