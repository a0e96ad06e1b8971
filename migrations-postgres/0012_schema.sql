-- Ponder's schema on PostgreSQL: the final state of the SQLite migrations
-- 0001 to 0012 in one file, numbered 12 like the last of them. A later
-- migration is written for both backends under the same number.
-- Integers are BIGINT (Rust's i64), flags BOOLEAN, times UTC seconds.

CREATE TABLE channels (
    id                  BIGSERIAL PRIMARY KEY,
    platform            TEXT    NOT NULL,
    external_id         TEXT    NOT NULL,
    timezone            TEXT    NOT NULL DEFAULT 'UTC',
    -- comma-separated pack ids; empty means every pack
    packs               TEXT    NOT NULL DEFAULT '',
    paused              BOOLEAN NOT NULL DEFAULT FALSE,
    paused_reason       TEXT,
    created_at          BIGINT  NOT NULL,
    digest              TEXT    NOT NULL DEFAULT 'thread',
    anonymous           BOOLEAN NOT NULL DEFAULT FALSE,
    anonymous_excerpts  BOOLEAN NOT NULL DEFAULT FALSE,
    missing_permissions TEXT,
    checked_at          BIGINT,
    guild               TEXT,
    digest_archive      BOOLEAN NOT NULL DEFAULT FALSE,
    chosen_packs        TEXT,
    UNIQUE (platform, external_id)
);

CREATE TABLE schedules (
    id          BIGSERIAL PRIMARY KEY,
    channel_id  BIGINT  NOT NULL REFERENCES channels (id),
    spec        TEXT    NOT NULL,
    timezone    TEXT    NOT NULL,
    -- 'config' (kept in step with config.toml) or 'command' (added in chat)
    origin      TEXT    NOT NULL,
    paused      BOOLEAN NOT NULL DEFAULT FALSE,
    skip_slot   BIGINT,
    last_slot   BIGINT,
    created_at  BIGINT  NOT NULL,
    removed_at  BIGINT,
    ping        TEXT,
    pin         BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE posts (
    id                BIGSERIAL PRIMARY KEY,
    channel_id        BIGINT  NOT NULL REFERENCES channels (id),
    platform          TEXT    NOT NULL,
    schedule_id       BIGINT  REFERENCES schedules (id),
    slot_at           BIGINT,
    idempotency_key   TEXT    NOT NULL UNIQUE,
    prompt_id         TEXT    NOT NULL,
    prompt_pack       TEXT    NOT NULL,
    prompt_title      TEXT    NOT NULL,
    prompt_text       TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    message_id        TEXT,
    thread_id         TEXT,
    attempts          BIGINT  NOT NULL DEFAULT 0,
    retry_at          BIGINT,
    error             TEXT,
    created_at        BIGINT  NOT NULL,
    posted_at         BIGINT,
    close_at          BIGINT,
    closed_at         BIGINT,
    pinned            BOOLEAN NOT NULL DEFAULT FALSE,
    owner             TEXT,
    lease_until       BIGINT,
    digest_state      TEXT,
    digest_at         BIGINT,
    digest_message_id TEXT,
    replies_read_to   TEXT,
    UNIQUE (schedule_id, slot_at)
);
CREATE INDEX posts_by_thread ON posts (platform, thread_id);
CREATE INDEX posts_by_state ON posts (state);

CREATE TABLE replies (
    id          BIGSERIAL PRIMARY KEY,
    post_id     BIGINT  NOT NULL REFERENCES posts (id),
    platform    TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    author_id   TEXT    NOT NULL,
    author_name TEXT    NOT NULL,
    body        TEXT,
    created_at  BIGINT  NOT NULL,
    edited_at   BIGINT,
    deleted_at  BIGINT,
    created_ms  BIGINT,
    anonymous   BOOLEAN NOT NULL DEFAULT FALSE,
    relayed     BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (platform, message_id)
);
CREATE INDEX replies_by_post ON replies (post_id, created_ms, id);
CREATE INDEX replies_by_author ON replies (platform, author_id);

CREATE TABLE rotation_cycles (
    channel_id  BIGINT PRIMARY KEY REFERENCES channels (id),
    cycle       BIGINT NOT NULL
);
CREATE TABLE rotation_used (
    channel_id  BIGINT NOT NULL REFERENCES channels (id),
    cycle       BIGINT NOT NULL,
    prompt_id   TEXT   NOT NULL,
    used_at     BIGINT NOT NULL,
    PRIMARY KEY (channel_id, cycle, prompt_id)
);

CREATE TABLE erased_messages (
    platform   TEXT   NOT NULL,
    message_id TEXT   NOT NULL,
    erased_at  BIGINT NOT NULL,
    PRIMARY KEY (platform, message_id)
);

CREATE TABLE suggestions (
    id          BIGSERIAL PRIMARY KEY,
    channel_id  BIGINT  NOT NULL REFERENCES channels (id),
    platform    TEXT    NOT NULL,
    author_id   TEXT    NOT NULL,
    author_name TEXT    NOT NULL,
    credit      BOOLEAN NOT NULL,
    body        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending',
    reason      TEXT,
    created_at  BIGINT  NOT NULL,
    decided_at  BIGINT
);
CREATE INDEX suggestions_by_channel ON suggestions (channel_id, state);
CREATE INDEX suggestions_by_author ON suggestions (platform, author_id);

CREATE TABLE quiet_days (
    id          BIGSERIAL PRIMARY KEY,
    channel_id  BIGINT  NOT NULL REFERENCES channels (id),
    first_day   TEXT,
    last_day    TEXT,
    weekdays    TEXT,
    reason      TEXT,
    origin      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX quiet_days_by_channel ON quiet_days (channel_id);

CREATE TABLE skipped_slots (
    schedule_id BIGINT NOT NULL REFERENCES schedules (id),
    slot_at     BIGINT NOT NULL,
    reason      TEXT   NOT NULL,
    skipped_at  BIGINT NOT NULL,
    PRIMARY KEY (schedule_id, slot_at)
);

CREATE TABLE community_packs (
    -- never reused (a replaced pack's new row gets a new id: caches compare them)
    id          BIGSERIAL PRIMARY KEY,
    community   TEXT    NOT NULL,
    pack_id     TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    prompts     BIGINT  NOT NULL,
    imported_at BIGINT  NOT NULL,
    UNIQUE (community, pack_id)
);
CREATE TABLE disabled_prompts (
    community   TEXT   NOT NULL,
    prompt_id   TEXT   NOT NULL,
    disabled_at BIGINT NOT NULL,
    PRIMARY KEY (community, prompt_id)
);

-- written by the health check (`/healthz`): proof the database takes writes
CREATE TABLE health (
    id INTEGER PRIMARY KEY,
    at BIGINT
);
