-- A live session's chat is a chat room of its group that belongs to one
-- occurrence: only the group's facilitators and the members with a place
-- (and not removed) read and write it, and it is not in the group's list.
ALTER TABLE rooms ADD COLUMN meeting_id BIGINT REFERENCES meetings (id) ON DELETE CASCADE;
ALTER TABLE rooms ADD COLUMN occurrence TEXT;
