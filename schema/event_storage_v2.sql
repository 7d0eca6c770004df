-- Issue 15: bytes per event. From here on a row keeps `data` and `meta` in format 2 of
-- Sources/LedgerStore/EventStorageCodec.swift (first byte 2: format 1's codes, and references to
-- what the row already says), or as text; rows written before keep format 1. Nothing is
-- rewritten. A build from before this migration that is still running when a newer one migrates
-- the file would read format 2 values as text: its inserts (format 1) are refused, as
-- event_keys_v1 and event_links_v1 refuse theirs, so it fails loudly on its next write.
CREATE TRIGGER events_storage_v2 BEFORE INSERT ON events
WHEN (typeof(NEW.data) = 'blob' AND substr(NEW.data, 1, 1) = X'01')
  OR (typeof(NEW.meta) = 'blob' AND substr(NEW.meta, 1, 1) = X'01')
BEGIN
    SELECT RAISE(ABORT, 'data and meta are stored in format 2 since event_storage_v2: this grantledger is older than the ledger file');
END;
