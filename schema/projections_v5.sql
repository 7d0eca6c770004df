-- Issue 11: OpenID Connect. A code remembers the request's nonce and when the user logged in
-- (the ID token's nonce and auth_time), a refresh family the login time; a client its PKCE
-- policy and signing algorithms. Projections only: the migration rebuilds every projection
-- from the log afterwards.
ALTER TABLE oauth_codes ADD COLUMN nonce TEXT;
ALTER TABLE oauth_codes ADD COLUMN auth_time_ms INTEGER;
ALTER TABLE refresh_tokens ADD COLUMN auth_time_ms INTEGER;
ALTER TABLE oauth_clients ADD COLUMN pkce TEXT NOT NULL DEFAULT 'required';
ALTER TABLE oauth_clients ADD COLUMN access_token_alg TEXT NOT NULL DEFAULT 'ES256';
ALTER TABLE oauth_clients ADD COLUMN id_token_alg TEXT NOT NULL DEFAULT 'RS256';

-- Issue 12: the NEN 7513 audit trail. One row per record: every event of the ledger (its own
-- decisions, mapped from the event's envelope) and every access a resource server reported.
-- Queries go by subject, user or time, each an index range; `seq` is the cursor's order.
CREATE TABLE audit_records (
    seq INTEGER PRIMARY KEY,              -- the event's seq: one record per event
    id TEXT NOT NULL UNIQUE,              -- the record's id (the event id, or the id drawn for a report)
    source_id TEXT NOT NULL,              -- "grantledger", or the reporting client
    record_id TEXT,                       -- the reporter's own id: a retry is the same record
    occurred_at_ms INTEGER NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    event_code TEXT NOT NULL,
    action TEXT NOT NULL,
    user_id TEXT NOT NULL,
    responsible_user_id TEXT,
    subject_id_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    outcome TEXT NOT NULL,                -- success | failure
    emergency INTEGER NOT NULL DEFAULT 0,
    record TEXT NOT NULL                  -- the whole record, canonical JSON
);
CREATE UNIQUE INDEX audit_records_reported ON audit_records (source_id, record_id) WHERE record_id IS NOT NULL;
CREATE INDEX audit_records_subject ON audit_records (subject_id, seq);
CREATE INDEX audit_records_user ON audit_records (user_id, seq);
CREATE INDEX audit_records_responsible ON audit_records (responsible_user_id, seq) WHERE responsible_user_id IS NOT NULL;
CREATE INDEX audit_records_occurred ON audit_records (occurred_at_ms, seq);
