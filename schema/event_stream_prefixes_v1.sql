-- Issue 15: bytes per event. From here on a `stream` that is a prefix named in
-- schema/event_stream_prefixes_v1.json followed by a lower-case UUID, and nothing after it, is
-- kept as 17 bytes: the prefix's code (its index there plus one) and the UUID's 16 bytes
-- (Sources/LedgerStore/EventKeyStorage.swift), where event_keys_v1's form spelt the prefix out
-- (`spend/<uuid>` took 23 bytes). Rows written before keep their form, and nothing is rewritten.
-- A build from before this migration that is still running when a newer one migrates the file
-- would append such streams in event_keys_v1's form: its stream versions would not see the rows
-- written with codes (UNIQUE (stream, stream_version) compares the stored bytes), so its inserts
-- are refused. The prefixes are the table's, entry for entry (a test holds them equal).
CREATE TRIGGER events_stream_prefix_codes BEFORE INSERT ON events
WHEN typeof(NEW.stream) = 'blob' AND (
    (length(NEW.stream) = 23 AND hex(substr(NEW.stream, 1, 7)) = '067370656E642F')  -- spend/
    OR (length(NEW.stream) = 28 AND hex(substr(NEW.stream, 1, 12)) = '0B636F6E6E656374696F6E2F')  -- connection/
    OR (length(NEW.stream) = 25 AND hex(substr(NEW.stream, 1, 9)) = '08676174657761792F')  -- gateway/
    OR (length(NEW.stream) = 24 AND hex(substr(NEW.stream, 1, 8)) = '07636C69656E742F')  -- client/
    OR (length(NEW.stream) = 23 AND hex(substr(NEW.stream, 1, 7)) = '0661756469742F')  -- audit/
    OR (length(NEW.stream) = 28 AND hex(substr(NEW.stream, 1, 12)) = '0B6E7574732D746F6B656E2F')  -- nuts-token/
    OR (length(NEW.stream) = 30 AND hex(substr(NEW.stream, 1, 14)) = '0D6F7267616E697A6174696F6E2F')  -- organization/
    OR (length(NEW.stream) = 33 AND hex(substr(NEW.stream, 1, 17)) = '107369676E696E672D73657373696F6E2F')  -- signing-session/
    OR (length(NEW.stream) = 26 AND hex(substr(NEW.stream, 1, 10)) = '096F62702D62616E6B2F')  -- obp-bank/
    OR (length(NEW.stream) = 26 AND hex(substr(NEW.stream, 1, 10)) = '096F62702D757365722F')  -- obp-user/
    OR (length(NEW.stream) = 29 AND hex(substr(NEW.stream, 1, 13)) = '0C6F62702D6163636F756E742F')  -- obp-account/
)
BEGIN
    SELECT RAISE(ABORT, 'streams named in event_stream_prefixes_v1 are stored with the prefix as a code since event_stream_prefixes_v1: this grantledger is older than the ledger file');
END;
