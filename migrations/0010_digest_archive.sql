-- `digest_archive = true` on a configured channel: a closing thread's
-- digest carries the archive page of its prompt. Off unless the config
-- says so (set at each start from the config).
ALTER TABLE channels ADD COLUMN digest_archive BOOLEAN NOT NULL DEFAULT 0;
