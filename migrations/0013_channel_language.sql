-- The language a channel speaks (`language` in its config entry, or
-- `language de` in chat): a shipped language's tag, `en` or `de`. NULL: not
-- set; answers then follow the member's own locale where the platform says
-- it (Discord), else the config's top-level `language`.
ALTER TABLE channels ADD COLUMN language TEXT;
