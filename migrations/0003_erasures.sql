-- `forget-me`: the replies of a person are deleted; only the ids of their
-- messages stay, with no author, so a later catch-up never collects them again.
CREATE TABLE erased_messages (
    platform   TEXT   NOT NULL,
    message_id TEXT   NOT NULL,
    erased_at  BIGINT NOT NULL,
    PRIMARY KEY (platform, message_id)
);
CREATE INDEX replies_by_author ON replies (platform, author_id);
