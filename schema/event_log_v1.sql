-- The append-only event log (DESIGN §3). Never edit a shipped migration: add a new file.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY,         -- gap-free global order, assigned by the writer
    event_id        TEXT    NOT NULL UNIQUE,     -- UUID
    idempotency_key TEXT    UNIQUE,              -- "<actor>:<key>", on the first event of a command
    stream          TEXT    NOT NULL,            -- aggregate id, e.g. connection/…
    stream_version  INTEGER NOT NULL CHECK (stream_version >= 1),
    type            TEXT    NOT NULL,
    type_version    INTEGER NOT NULL CHECK (type_version >= 1),
    data            TEXT    NOT NULL,            -- JSON payload
    meta            TEXT    NOT NULL,            -- JSON envelope: actor, subject, action, purpose, source, ids
    recorded_at     INTEGER NOT NULL,            -- ms since the Unix epoch, UTC, from the injected clock
    prev_hash       BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash            BLOB    NOT NULL CHECK (length(hash) = 32),
    UNIQUE (stream, stream_version)
);

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE is refused');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: DELETE is refused');
END;

-- The chain is also enforced at insert time, so a second writer (another process on the same
-- file) fails loudly instead of forking the chain. Both look-ups are O(1) on the rowid.
CREATE TRIGGER events_chain_order BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM events)
  OR NEW.prev_hash IS NOT IFNULL((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), zeroblob(32))
BEGIN
    SELECT RAISE(ABORT, 'events must extend the chain: seq or prev_hash does not follow the head');
END;
