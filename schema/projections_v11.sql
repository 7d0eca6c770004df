-- Issue 15: bytes per event. An index of a rowid table ends each entry with the row's rowid, and
-- audit_trail's rowid is its seq: the trail's four indexes, declared (term, seq), kept every seq
-- twice. Declared (term) they hold the same entries in the same order, (term, rowid), and SQLite
-- searches them the same way (`subject_term = ? AND rowid > ?`, ORDER BY seq without a sort).
-- On a payment log that is 4 of the 11 bytes of each entry in audit_trail_subject and
-- audit_trail_user, about 11.6 bytes per event in the file. The indexes are made again from the
-- trail (one pass each); no row changes.
DROP INDEX audit_trail_subject;
CREATE INDEX audit_trail_subject ON audit_trail (subject_term);
DROP INDEX audit_trail_user;
CREATE INDEX audit_trail_user ON audit_trail (user_term);
DROP INDEX audit_trail_occurred;
CREATE INDEX audit_trail_occurred ON audit_trail (occurred_at_ms) WHERE occurred_at_ms IS NOT NULL;
DROP INDEX audit_trail_responsible;
CREATE INDEX audit_trail_responsible ON audit_trail (responsible_user_term) WHERE responsible_user_term > 0;
