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
-- No trigger refuses the inserts of a build from before this migration that is still running when
-- a newer one migrates the file (such a build's filters would pass by rows keeping NULL or 0 until
-- it is restarted, when the migration's mark makes it refuse the file): any trigger on
-- audit_trail made SQLite keep a statement journal for every insert into it, which cost a tenth
-- of the rate of reported records (POST /audit/access, tools/load-audit.sh; a profile put 10 % of
-- the server's CPU in the in-memory journal, 4 % without the trigger).
