-- Issue 15: bytes per event. event_log_v1 declared `idempotency_key` UNIQUE, so SQLite indexed it
-- for every event, though only the first event of a command that came with a key holds one: on a
-- payment log every entry of that index was a NULL, 10 bytes per event. Schema+IdempotencyIndex.swift's
-- indexOnlyIdempotencyKeys takes the UNIQUE out of the declaration and leaves its index as
-- `events_idempotency_v0`, a unique index like any other; this replaces it by one of the keys
-- alone. The rule is the same (a UNIQUE lets any number of NULLs through), and a look-up by key
-- (`WHERE idempotency_key = ?`, which implies NOT NULL) searches the new index.
CREATE UNIQUE INDEX events_idempotency ON events (idempotency_key) WHERE idempotency_key IS NOT NULL;
DROP INDEX events_idempotency_v0;
