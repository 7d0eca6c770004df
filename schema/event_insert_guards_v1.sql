-- Issue 15: the writer's cost per event. The five triggers that refused the inserts of a build
-- older than the file that still has it open (made by event_keys_v1, event_links_v1,
-- event_storage_v2, event_types_v1 and event_stream_prefixes_v1) are one trigger here, with the same
-- five conditions, each written to need less of SQLite. SQLite runs every BEFORE INSERT trigger as
-- a program of its own for every row, and sets up every register that program has whether its
-- condition holds or not: the stream's eleven clauses alone cost about 8,700 instructions an
-- insert, the five triggers 16,200, this one 3,600 (callgrind, inserts into a copy of a payment
-- ledger). Its one message names what the five said in common; a RAISE per form in the body cost
-- 3,400 more an insert, as registers, on every row. Each condition is true for exactly the values
-- its trigger's was:
-- - a value `>= X''` is a BLOB, one `< X''` is text or a number (SQLite orders types so): typeof()
--   without a call;
-- - `>= X'01' AND < X'02'` is a BLOB whose first byte is 01: substr(…, 1, 1) = X'01';
-- - a stream in event_keys_v1's form with a listed prefix and nothing after its UUID is the
--   prefix's length as a byte, the prefix and 16 bytes: the hex of all but its last 16 bytes is in
--   the list, and so its length is the one each of the eleven clauses asked for.
-- events_chain_order stays as it is (verify checks it by name). A file missing one of the five
-- (which verify reports) still opens, and leaves with the whole guard.
DROP TRIGGER IF EXISTS events_keys_as_bytes;
DROP TRIGGER IF EXISTS events_links_implied;
DROP TRIGGER IF EXISTS events_storage_v2;
DROP TRIGGER IF EXISTS events_type_codes;
DROP TRIGGER IF EXISTS events_stream_prefix_codes;
CREATE TRIGGER events_older_builds BEFORE INSERT ON events
WHEN (length(NEW.event_id) = 36 AND typeof(NEW.event_id) = 'text'
      AND NEW.event_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')  -- event_keys_v1: an event id that is a UUID, as text
  OR (NEW.prev_hash IS NOT NULL)  -- event_links_v1: a prev_hash
  OR ((NEW.data >= X'01' AND NEW.data < X'02') OR (NEW.meta >= X'01' AND NEW.meta < X'02'))  -- event_storage_v2: data or meta in format 1
  OR (NEW.type < X'' AND NEW.type IN (
        'SpendReserved',
        'SpendSettled',
        'ConnectionGranted',
        'ConnectionUpdated',
        'ConnectionRevoked',
        'CommandRejected',
        'TokenIssued',
        'SpendCorrected',
        'SpendReleased',
        'SpendDenied',
        'BudgetThresholdReached',
        'AdminCredentialSet',
        'CheckpointKeyAdded',
        'ClientRegistered',
        'ClientUpdated',
        'ClientDeleted',
        'AuthorizationCodeIssued',
        'DeviceAuthorizationStarted',
        'DeviceAuthorizationAnswered',
        'GrantRedeemed',
        'GrantReplayed',
        'RefreshTokenIssued',
        'RefreshTokenRotated',
        'RefreshTokenReused',
        'TokenRevoked',
        'GatewayAccessRecorded',
        'AccessReported',
        'AuditLogRead',
        'OrganizationRegistered',
        'OrganizationChanged',
        'OrganizationRemoved',
        'SigningSessionStarted',
        'SigningSessionChanged',
        'NutsAccessTokenIssued',
        'ObpBankCreated',
        'ObpAccountCreated',
        'ObpUserCreated',
        'EntitlementGranted',
        'EntitlementRevoked',
        'ObpViewSaved',
        'ObpViewDeleted',
        'AccountAccessGranted',
        'AccountAccessRevoked',
        'AuthorizationChecked',
        'DAuthRefused'
    ))  -- event_types_v1: a type named in schema/event_types_v1.json, as text
  OR (NEW.stream >= X'' AND length(NEW.stream) BETWEEN 23 AND 33
      AND hex(substr(NEW.stream, 1, length(NEW.stream) - 16)) IN (
        '067370656E642F',  -- spend/
        '0B636F6E6E656374696F6E2F',  -- connection/
        '08676174657761792F',  -- gateway/
        '07636C69656E742F',  -- client/
        '0661756469742F',  -- audit/
        '0B6E7574732D746F6B656E2F',  -- nuts-token/
        '0D6F7267616E697A6174696F6E2F',  -- organization/
        '107369676E696E672D73657373696F6E2F',  -- signing-session/
        '096F62702D62616E6B2F',  -- obp-bank/
        '096F62702D757365722F',  -- obp-user/
        '0C6F62702D6163636F756E742F'   -- obp-account/
    ))  -- event_stream_prefixes_v1: a stream with a prefix named in schema/event_stream_prefixes_v1.json, in event_keys_v1's form
BEGIN
    SELECT RAISE(ABORT, 'this grantledger is older than the ledger file: it writes an event in a form the file''s migrations replaced (event_keys_v1, event_links_v1, event_storage_v2, event_types_v1, event_stream_prefixes_v1)');
END;
