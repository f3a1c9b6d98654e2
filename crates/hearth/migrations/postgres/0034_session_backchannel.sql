-- A live session's second chat: the co-facilitators' backchannel, which
-- only the group's facilitators read and write.
ALTER TABLE rooms ADD COLUMN facilitators_only BOOLEAN NOT NULL DEFAULT FALSE;
