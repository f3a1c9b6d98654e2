-- More rooms per group, room controls, and message edits and deletions.
-- Edits and deletions are themselves numbered events in the room (kind
-- 'edit', 'delete' by the author, 'remove' by a facilitator or moderator,
-- with target_seq naming the message), so a client resuming from a number
-- also receives every later change. The message row holds its current
-- text; a deleted message's text, and that of its edits, is erased.
ALTER TABLE rooms ADD COLUMN slow_seconds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
ALTER TABLE messages ADD COLUMN target_seq BIGINT;
ALTER TABLE messages ADD COLUMN edited_at BIGINT;
ALTER TABLE messages ADD COLUMN deleted_at BIGINT;
ALTER TABLE messages ADD COLUMN deleted_by TEXT;
-- Slow mode asks for a member's latest message in the room.
CREATE INDEX messages_room_author ON messages (room_id, author_id, created_at);
