-- A chat message hidden by a moderator's action from a case. Its words are
-- kept, for the appeal, and withheld from the room: `hidden_by` names the
-- sanction on the message's row and on the rows that carry its words (its
-- edits, and the `restore` event of an earlier hide). Hiding and restoring
-- are events of the room (kinds `hide` and `restore`), numbered like any
-- other, so a client resuming from a number learns of them in order.
ALTER TABLE messages ADD COLUMN hidden_by BIGINT;
ALTER TABLE sanctions ADD COLUMN message_id BIGINT REFERENCES messages (id) ON DELETE SET NULL;
