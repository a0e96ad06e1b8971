-- Ponder's schema. Times are UTC seconds since the Unix epoch (BIGINT), ids
-- are integers, text is TEXT: the same statements run on PostgreSQL.

CREATE TABLE channels (
    id          INTEGER PRIMARY KEY,
    platform    TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    timezone    TEXT    NOT NULL DEFAULT 'UTC',
    -- comma-separated pack ids; empty means every pack
    packs       TEXT    NOT NULL DEFAULT '',
    paused      INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    created_at  BIGINT  NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE schedules (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    spec        TEXT    NOT NULL,
    timezone    TEXT    NOT NULL,
    -- 'config' (kept in step with config.toml) or 'command' (added in chat)
    origin      TEXT    NOT NULL,
    paused      INTEGER NOT NULL DEFAULT 0,
    -- a slot to skip (set by `skip`), UTC seconds
    skip_slot   BIGINT,
    -- the last slot handled (posted, skipped or missed): the scheduler starts after it
    last_slot   BIGINT,
    created_at  BIGINT  NOT NULL,
    removed_at  BIGINT
);

CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    channel_id      INTEGER NOT NULL REFERENCES channels (id),
    platform        TEXT    NOT NULL,
    schedule_id     INTEGER REFERENCES schedules (id),
    -- the slot this post fills; NULL for posts asked for with `now`
    slot_at         BIGINT,
    -- sent with the message (Discord nonce, Matrix transaction id) so a resend is deduplicated
    idempotency_key TEXT    NOT NULL UNIQUE,
    prompt_id       TEXT    NOT NULL,
    prompt_pack     TEXT    NOT NULL,
    prompt_title    TEXT    NOT NULL,
    prompt_text     TEXT    NOT NULL,
    -- pending (row written, not known to be sent) -> sent -> open -> closed; or failed
    state           TEXT    NOT NULL,
    message_id      TEXT,
    thread_id       TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    retry_at        BIGINT,
    error           TEXT,
    created_at      BIGINT  NOT NULL,
    posted_at       BIGINT,
    close_at        BIGINT,
    closed_at       BIGINT,
    UNIQUE (schedule_id, slot_at)
);
CREATE INDEX posts_by_thread ON posts (platform, thread_id);
CREATE INDEX posts_by_state ON posts (state);

CREATE TABLE replies (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    platform    TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    author_id   TEXT    NOT NULL,
    author_name TEXT    NOT NULL,
    -- NULL once the message is deleted
    body        TEXT,
    created_at  BIGINT  NOT NULL,
    edited_at   BIGINT,
    deleted_at  BIGINT,
    UNIQUE (platform, message_id)
);
CREATE INDEX replies_by_post ON replies (post_id, id);

-- Rotation: the current cycle per channel and the prompts it has used.
CREATE TABLE rotation_cycles (
    channel_id  INTEGER PRIMARY KEY REFERENCES channels (id),
    cycle       INTEGER NOT NULL
);
CREATE TABLE rotation_used (
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    cycle       INTEGER NOT NULL,
    prompt_id   TEXT    NOT NULL,
    used_at     BIGINT  NOT NULL,
    PRIMARY KEY (channel_id, cycle, prompt_id)
);
