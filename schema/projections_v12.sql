-- Two filters whose reads grew with the ledger, found by an audit of the queries requests make
-- (issue 15 asks that decisions not slow down as the log grows; these are reads). No row changes.
--
-- A review of emergency ("break-glass") accesses, which NEN 7513 ch. 6 says must be logged
-- (`GET /audit/events?emergency=true`), scanned the whole trail in seq order: 57–81 ms on a
-- 773,791-record trail, none of them emergencies. Indexed where a record is one, the index holds
-- those records only, so it costs a trail of routine accesses nothing; `Ledger.conditions` spells
-- `emergency = 1` out, as SQLite reads a partial index only for a query term that says what its
-- WHERE says.
CREATE INDEX audit_trail_emergency ON audit_trail (emergency) WHERE emergency = 1;

-- `GET /admin/connections?status=active` walked every connection in id order and skipped those
-- of the other status (24 ms a page with 198,000 revoked of 200,000). Searched by status, then id.
CREATE INDEX connections_by_status ON connections (status, id);
