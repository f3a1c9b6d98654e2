-- A thread's revision, raised by every change to what its pages show
-- (replies, edits, deletions, reactions): cached pages are checked
-- against it, on every node.
ALTER TABLE threads ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
CREATE INDEX reactions_account ON reactions (account_id);
