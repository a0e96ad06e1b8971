-- Quiet days: per channel, days (in the channel's zone) on which its slots
-- are skipped. A row is an inclusive range of days ('YYYY-MM-DD', compared
-- as text) or a weekly rule (`weekdays`, like 'sat,sun'); `origin` is
-- 'config' (kept in step with config.toml) or 'command' (added in chat).
CREATE TABLE quiet_days (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    first_day   TEXT,
    last_day    TEXT,
    weekdays    TEXT,
    reason      TEXT,
    origin      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX quiet_days_by_channel ON quiet_days (channel_id);
-- Slots that were skipped rather than posted (a quiet day, `skip`), with
-- why: the record admins see, and proof the slot was handled.
CREATE TABLE skipped_slots (
    schedule_id INTEGER NOT NULL REFERENCES schedules (id),
    slot_at     BIGINT  NOT NULL,
    reason      TEXT    NOT NULL,
    skipped_at  BIGINT  NOT NULL,
    PRIMARY KEY (schedule_id, slot_at)
);
