-- The reply high-water mark of a post's thread: the platform's id of the
-- last message up to which a catch-up read the thread without a gap, so
-- every message up to it is stored (or known not to count). NULL: nothing is
-- known yet, and the next catch-up reads the thread from its start. Only a
-- fetch that read everything after the old mark moves it (never the newest
-- stored reply: gateway events are stored as they come, with gaps between).
ALTER TABLE posts ADD COLUMN replies_read_to TEXT;
