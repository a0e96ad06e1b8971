-- Where a closing thread's digest goes: 'thread' (default), 'channel' or 'off'.
ALTER TABLE channels ADD COLUMN digest TEXT NOT NULL DEFAULT 'thread';
