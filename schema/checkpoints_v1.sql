-- Signed checkpoints of the chain head (an ES256 JWS over {ledger_id, seq, hash, recorded_at}).
-- Kept out of `events`: a checkpoint event would move the head it vouches for. Never edit a
-- shipped migration: add a new file.
CREATE TABLE checkpoints (
    seq            INTEGER PRIMARY KEY,   -- the event seq the checkpoint vouches for (the head then)
    hash           TEXT    NOT NULL,      -- lowercase hex of that event's hash
    recorded_at_ms INTEGER NOT NULL,      -- when it was signed, ms since the Unix epoch, UTC
    kid            TEXT    NOT NULL,      -- the checkpoint key (a CheckpointKeyAdded event in the log)
    jws            TEXT    NOT NULL       -- the compact JWS; the columns above are a readable copy
);
