-- Issue 15: bytes per event. From here on `event_id` and `stream` keep a lower-case UUID as its
-- 16 bytes (Sources/LedgerStore/EventKeyStorage.swift); rows written before keep their text, and
-- nothing is rewritten. A build from before this migration that is still running when a newer one
-- migrates the file would go on appending keys as text: its stream versions would not see the
-- rows written as bytes (a text value never equals a BLOB, so UNIQUE (stream, stream_version)
-- would not stop a second version 2). Every id such a build draws is a lower-case UUID in text,
-- which this build never stores: its inserts are refused.
CREATE TRIGGER events_keys_as_bytes BEFORE INSERT ON events
WHEN typeof(NEW.event_id) = 'text' AND length(NEW.event_id) = 36
  AND NEW.event_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
BEGIN
    SELECT RAISE(ABORT, 'event ids that are UUIDs are stored as 16 bytes since event_keys_v1: this grantledger is older than the ledger file');
END;
