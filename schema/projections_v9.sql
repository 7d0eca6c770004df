-- Issue 15: bytes per event. `spends_by_connection` (connection_id, id) was made with the spends
-- table (projections_v2) and no query has used it since: spends are read by id, and held ones
-- by expiry (`spends_held_by_expiry`). It took 40 of a payment event's bytes on disk and an
-- index insert per spend. Dropping it frees its pages for reuse; nothing else changes.
DROP INDEX IF EXISTS spends_by_connection;
