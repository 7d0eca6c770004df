-- Issue 15: bytes per event. A spend's status, and its method where it is one of NIP-47's that pay,
-- are kept as one-byte codes (SpendColumnStorage.swift) instead of 'settled' and 'pay_keysend':
-- 16 of a spend row's bytes. Rows written before keep their text, and every reader takes either,
-- so nothing is rewritten. The held spends' index is made again to hold 'held' in both forms.
-- A build from before reads the codes as no status it knows, so it must not run on the file once
-- this one has: stop every process on the file before upgrading (README). The migration's mark
-- makes such a build refuse the file when it is started. A trigger would not help: that build
-- decides on the spends it misreads before it writes any, and any trigger on spends would make
-- SQLite keep a statement journal for every write to it (see projections_v10).
DROP INDEX spends_held_by_expiry;
CREATE INDEX spends_held_by_expiry ON spends (expires_at_ms) WHERE status IN ('held', x'00');
