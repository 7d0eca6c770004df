-- Issue 15: bytes per event. Two things a payment's trail row repeated, and their indexes:
--
-- * `occurred_at_ms` is NULL where it is the row's event's `recorded_at` (every record the ledger
--   maps itself, and a reported one that happened in the same millisecond). `audit_trail_occurred`
--   keeps only the rows that spell their time out; the others are found by seq: the ledger's
--   `recorded_at` is what `audit_trail_times` records, per block of 1,024 seqs, as the earliest
--   and latest time of the block's rows that hold NULL. A time filter reads the blocks that
--   overlap it and then each row's event, so it stays exact whatever order the log's times are in.
-- * `responsible_user_term` is 0 where the responsible user is the subject (a payment made on the
--   subject's own behalf), which costs no byte; `audit_trail_responsible` keeps only the rows that
--   name someone else. NULL still means there is none.
--
-- The NOT NULL of occurred_at_ms is lifted by editing the table's declaration (Schema.swift's
-- allowNullOccurredAt), as event_links_v1 did for prev_hash. Rows written before keep both values
-- spelt out, which every reader takes as they are; only the two indexes are made again.
DROP INDEX audit_trail_occurred;
CREATE INDEX audit_trail_occurred ON audit_trail (occurred_at_ms, seq) WHERE occurred_at_ms IS NOT NULL;
DROP INDEX audit_trail_responsible;
CREATE INDEX audit_trail_responsible ON audit_trail (responsible_user_term, seq) WHERE responsible_user_term > 0;
CREATE TABLE audit_trail_times (
    block INTEGER PRIMARY KEY,             -- seq >> 10
    earliest_recorded_at_ms INTEGER NOT NULL, -- the earliest recorded_at of the block's rows whose occurred_at_ms is NULL
    latest_recorded_at_ms INTEGER NOT NULL    -- the latest
);
-- A build from before this migration that is still running when a newer one migrates the file
-- would read NULL and 0 as values (its time and user filters would pass those rows by); every row
-- it writes spells both out, so its inserts are refused and it fails loudly on its next write.
CREATE TRIGGER audit_trail_repeats_refused BEFORE INSERT ON audit_trail
WHEN NEW.responsible_user_term = NEW.subject_term
  OR NEW.occurred_at_ms = (SELECT recorded_at FROM events WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'audit_trail keeps neither its event''s time nor its subject as responsible since projections_v10: this grantledger is older than the ledger file');
END;
