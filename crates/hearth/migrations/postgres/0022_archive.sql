-- A group its facilitators (or staff) archived: kept to be read by its
-- members, written in by nobody, and no longer listed or joined. Undone by
-- setting it back to NULL.
ALTER TABLE groups ADD COLUMN archived_at BIGINT;
