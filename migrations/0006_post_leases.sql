-- Leases on unfinished posts: the process that claimed (or took over) a
-- pending or sent post writes its name and renews `lease_until` while it
-- lives; another process takes the post only once the lease has expired
-- (its holder died) or was released at a clean stop.
ALTER TABLE posts ADD COLUMN owner TEXT;
ALTER TABLE posts ADD COLUMN lease_until BIGINT;
