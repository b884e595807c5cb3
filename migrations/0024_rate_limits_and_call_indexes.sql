-- Rate-limit counts shared by the app nodes of one PostgreSQL (src/server/rate-store.ts): one row per
-- route and client (address or kiosk key hash) and fixed window, so two nodes behind nginx give a client
-- one allowance, not two. PGlite (one node) counts in memory and leaves this table empty.
--
-- UNLOGGED: a count is worth a minute; it needs no WAL and no replica, and a crash that empties the table
-- only hands every client a fresh window. No hall_id: the limit is checked before the request's hall is
-- known, and a client's allowance is the same in every hall a node serves.
CREATE UNLOGGED TABLE rate_limit_hits (
  key         text NOT NULL,
  window_no   bigint NOT NULL,
  hits        integer NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (key, window_no)
);
CREATE INDEX rate_limit_hits_expires_idx ON rate_limit_hits (expires_at);

-- Call-next (src/queue/service.ts) looks for the head of a window's line class by class, in call order
-- (seq) across the window's services. The line index (0004) is by service first, so with a long line
-- that head was a scan and sort of every waiting ticket of the day, twice per call (20-30 ms of
-- PostgreSQL CPU a call at 3,000 waiting); in seq order per class it is the first entry that matches.
CREATE INDEX tickets_waiting_order_idx ON tickets (hall_id, local_date, priority, seq) WHERE status = 'waiting';
-- Every call also looks for waiting visitors who left a phone and have not had the near-front SMS:
-- usually none, which without this index took a scan of the whole line to find out.
CREATE INDEX tickets_near_front_idx ON tickets (hall_id, local_date) WHERE status = 'waiting' AND phone IS NOT NULL AND near_notified_at IS NULL;
-- The ticket a window is on (called or serving), read by every call, complete and screen refresh. The
-- window index (0004) holds every ticket the window ever served, so that read grew by the day: after a
-- year, tens of thousands of entries filtered for the one or none that is current.
CREATE INDEX tickets_window_current_idx ON tickets (window_id) WHERE status IN ('called', 'serving');
