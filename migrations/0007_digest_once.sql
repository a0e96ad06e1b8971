-- A closing thread's digest is its own exactly-once step: the intent is
-- recorded before the send ('pending', with its time), the outcome after
-- ('sent' with the message id, 'uncertain' when the platform cannot tell
-- whether a pending digest went out, 'failed'). NULL: no digest yet.
ALTER TABLE posts ADD COLUMN digest_state TEXT;
ALTER TABLE posts ADD COLUMN digest_at BIGINT;
ALTER TABLE posts ADD COLUMN digest_message_id TEXT;
