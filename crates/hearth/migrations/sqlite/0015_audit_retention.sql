-- Audit rows older than the retention period are purged (T19). The chain
-- then starts after the last purged row: its number and hash are kept here
-- so that verification still checks every remaining row from there.
ALTER TABLE audit_head ADD COLUMN purged_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN purged_hash TEXT NOT NULL DEFAULT '';
