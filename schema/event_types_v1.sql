-- Issue 15: bytes per event. From here on a row keeps an event's `type` named in
-- schema/event_types_v1.json as its index there, a BLOB of one byte (Sources/LedgerStore/
-- EventTypeStorage.swift), where the name took 12 to 29 bytes; other names stay text, and rows
-- written before keep theirs. Nothing is rewritten. A build from before this migration that is
-- still running when a newer one migrates the file would misread those rows: its inserts (a listed
-- name as text) are refused, as event_keys_v1 and event_storage_v2 refuse theirs, so it fails
-- loudly on its next write. The names are the table's, entry for entry (a test holds them equal).
CREATE TRIGGER events_type_codes BEFORE INSERT ON events
WHEN typeof(NEW.type) = 'text' AND NEW.type IN (
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
)
BEGIN
    SELECT RAISE(ABORT, 'a type named in event_types_v1 is stored as its code since event_types_v1: this grantledger is older than the ledger file');
END;
