-- Replies written within the same second arrive in any order over the
-- gateway; keep the platform's time to the millisecond so the archive and
-- the catch-up cursor follow the order people wrote in.
ALTER TABLE replies ADD COLUMN created_ms BIGINT;
UPDATE replies SET created_ms = created_at * 1000;
DROP INDEX replies_by_post;
CREATE INDEX replies_by_post ON replies (post_id, created_ms, id);
