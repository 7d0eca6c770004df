-- Issue 15: bytes per event. A row's prev_hash is the hash of the row before, which that row
-- already holds: 32 bytes a row, stored twice. From here on it is NULL (the migration first lifts
-- the column's NOT NULL, in Sources/LedgerStore/Schema.swift), and readers take the hash of the
-- row before. Rows written before keep theirs, and their link is still checked. The hash is
-- unchanged: SHA-256 over the hash of the row before ‖ the other columns, as DESIGN §3 has it;
-- a change to a row's content or hash breaks its own hash or the next row's, stored or not.
DROP TRIGGER events_chain_order;
CREATE TRIGGER events_chain_order BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM events)
BEGIN
    SELECT RAISE(ABORT, 'events must extend the chain: seq does not follow the head');
END;
-- A build from before this migration that is still running when a newer one migrates the file
-- stores prev_hash: its inserts are refused, as event_keys_v1 refuses its keys as text, so every
-- row from here on has the same form.
CREATE TRIGGER events_links_implied BEFORE INSERT ON events
WHEN NEW.prev_hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'prev_hash is not stored since event_links_v1 (it is the hash of the row before): this grantledger is older than the ledger file');
END;
