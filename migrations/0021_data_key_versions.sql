-- Personal data at rest, finished: keys that can rotate, and the last clear phone numbers sealed.
--
-- Lookup hashes (appointments' ID hash, online applicants' phone hash, blocks and per-person counts that
-- hold only the hash) get their own key that rotation never changes. A database that already keeps its
-- data key made those hashes with it, so that key becomes the lookup key too; the next rotation then
-- changes only the sealing key (src/shared/data-key.ts).
INSERT INTO data_keys (name, key) SELECT 'lookup', key FROM data_keys WHERE name = 'personal'
ON CONFLICT (name) DO NOTHING;

-- tickets.phone (the "N places from the front" SMS) and the SMS outbox's recipient are sealed by the
-- application from now on, in the same columns. SQL cannot seal with the application's key, so the rows
-- written before this migration are sealed by each hall's `ops.seal_clear` timer, due at once: it walks
-- them in batches at the next start (src/ops/reseal.ts).
INSERT INTO timers (hall_id, kind, key, due_at)
SELECT id, 'ops.seal_clear', id::text, now() FROM halls
ON CONFLICT (kind, key) DO NOTHING;
