-- Packs a community brought in chat (`prompts import`): a Discord server's
-- or a Matrix room's own, offered only there. `source` is the file as it
-- was imported, so `export-pack` gives it back unchanged and it travels
-- with backups; it is read again (and checked) when loaded. Nothing here
-- names who imported it.
CREATE TABLE community_packs (
    -- never reused (a replaced pack's new row gets a new id: caches compare them)
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- `discord:guild:ID`, or `PLATFORM:CHANNEL` where a room is the community
    community   TEXT    NOT NULL,
    pack_id     TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    prompts     INTEGER NOT NULL,
    imported_at BIGINT  NOT NULL,
    UNIQUE (community, pack_id)
);
-- Prompts a community never wants drawn again (`prompts disable`), by id.
CREATE TABLE disabled_prompts (
    community   TEXT    NOT NULL,
    prompt_id   TEXT    NOT NULL,
    disabled_at BIGINT  NOT NULL,
    PRIMARY KEY (community, prompt_id)
);
-- The packs a channel draws from as chosen in chat (`packs use`), which
-- win over the config's `packs`; NULL: the config's (or every pack).
ALTER TABLE channels ADD COLUMN chosen_packs TEXT;
