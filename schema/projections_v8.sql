-- Issue 15: the NEN 7513 trail's index in a third of the bytes. `audit_records` spelt every
-- value out in each row and again in each index: a user such as "connection:<uuid>" took 47
-- bytes in the row and 47 more in its index, and the record's id repeated its event's. From here
-- on each text value is stored once, in `audit_terms`, and rows and indexes hold its code; a
-- record whose id is its event's id (every record the ledger maps itself) holds no id; when it
-- was recorded is its event's `recorded_at`.
--
-- Rows written before stay in `audit_records`, which nothing writes any more: every one of them
-- comes before every row here (both are keyed by the event's seq), so readers read that table
-- for what is older and this one for what is newer, and nothing is copied on upgrade. A replay
-- writes every record here.
CREATE TABLE audit_terms (
    code INTEGER PRIMARY KEY,             -- assigned in the order terms first appear in the log
    term TEXT NOT NULL UNIQUE
);
-- No REFERENCES to audit_terms: the writer assigns every code it stores, and foreign-key checks
-- would cost a look-up per code on every append.
CREATE TABLE audit_trail (
    seq INTEGER PRIMARY KEY,              -- the event's seq: one record per event
    id TEXT,                              -- NULL when the record's id is its event's event_id
    source_term INTEGER NOT NULL,         -- "grantledger", or the reporting client
    record_id TEXT,                       -- the reporter's own id: a retry is the same record
    occurred_at_ms INTEGER NOT NULL,
    event_code_term INTEGER NOT NULL,
    action_term INTEGER NOT NULL,
    user_term INTEGER NOT NULL,
    responsible_user_term INTEGER,
    subject_id_type_term INTEGER NOT NULL,
    subject_term INTEGER NOT NULL,
    outcome_term INTEGER NOT NULL,        -- success | failure
    emergency INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX audit_trail_id ON audit_trail (id) WHERE id IS NOT NULL;
CREATE UNIQUE INDEX audit_trail_reported ON audit_trail (source_term, record_id) WHERE record_id IS NOT NULL;
CREATE INDEX audit_trail_subject ON audit_trail (subject_term, seq);
CREATE INDEX audit_trail_user ON audit_trail (user_term, seq);
CREATE INDEX audit_trail_responsible ON audit_trail (responsible_user_term, seq) WHERE responsible_user_term IS NOT NULL;
CREATE INDEX audit_trail_occurred ON audit_trail (occurred_at_ms, seq);
-- Readers take every row of audit_records to come before every row here. A build from before
-- this migration, already running when a newer one migrated the file, would go on writing there
-- and split the trail: its writes fail instead.
CREATE TRIGGER audit_records_closed BEFORE INSERT ON audit_records
BEGIN
    SELECT RAISE(ABORT, 'audit_records is closed since migration projections_v8: this ledger was upgraded by a newer grantledger, run that one');
END;
