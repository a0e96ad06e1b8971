-- Member suggestions: a queue per channel; approved ones join its rotation
-- as prompts `suggestion-<id>`.
CREATE TABLE suggestions (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    platform    TEXT    NOT NULL,
    author_id   TEXT    NOT NULL,
    author_name TEXT    NOT NULL,
    -- 1: the prompt names the suggester when it posts
    credit      INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    -- pending -> approved | rejected
    state       TEXT    NOT NULL DEFAULT 'pending',
    reason      TEXT,
    created_at  BIGINT  NOT NULL,
    decided_at  BIGINT
);
CREATE INDEX suggestions_by_channel ON suggestions (channel_id, state);
CREATE INDEX suggestions_by_author ON suggestions (platform, author_id);

-- Anonymous reflections: `author_id` holds a keyed hash (`anon:<hex>`) of the
-- author and the post, never the author's id; `author_name` is `anonymous`.
ALTER TABLE replies ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
-- 1 where Ponder posted the message on the member's behalf (`reflect`), so
-- `forget-me` also deletes it from the platform.
ALTER TABLE replies ADD COLUMN relayed INTEGER NOT NULL DEFAULT 0;

-- Per channel: whether anonymous reflections are allowed, and whether a
-- digest may quote them.
ALTER TABLE channels ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN anonymous_excerpts INTEGER NOT NULL DEFAULT 0;
-- What the last permission self-check found missing (NULL: nothing, or never checked).
ALTER TABLE channels ADD COLUMN missing_permissions TEXT;
ALTER TABLE channels ADD COLUMN checked_at BIGINT;

-- Per schedule: who to ping with its prompts (a Discord role id, or Matrix
-- user ids separated by commas), and whether to pin the newest prompt.
ALTER TABLE schedules ADD COLUMN ping TEXT;
ALTER TABLE schedules ADD COLUMN pin INTEGER NOT NULL DEFAULT 0;
-- 1 while the post's message is pinned by Ponder.
ALTER TABLE posts ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
