-- The Discord server (guild) a channel is in, as the Discord adapter learns
-- it (when the gateway lists the server's channels, or a slash command is
-- run there): Discord's links to a message need it, so the HTML archive can
-- link each prompt back to its thread. NULL: not known (and on Matrix and
-- the console, never needed).
ALTER TABLE channels ADD COLUMN guild TEXT;
