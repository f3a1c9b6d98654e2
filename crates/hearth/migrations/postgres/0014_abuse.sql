-- Abuse defences.
--
-- Word filters: admins name a word or phrase (in the crisis detector's
-- normalised form, so "b4dw0rd" meets "badword") and what happens when a
-- post or chat message contains it: block it, hold it for review, or flag
-- it (a report for the moderators). None of these ever applies to writing
-- the crisis detector finds risk in: that is published, and at most flagged.
CREATE TABLE word_filters (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phrase TEXT NOT NULL,
    phrase_key TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL CHECK (action IN ('block', 'hold', 'flag')),
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

-- A post held for review: its author and the group's facilitators (and
-- staff) see it; nobody else does until a reviewer approves it. The reason
-- is 'first_post' or 'filter:<phrase>'.
ALTER TABLE posts ADD COLUMN held_reason TEXT;
ALTER TABLE posts ADD COLUMN held_at BIGINT;
CREATE INDEX posts_held ON posts (held_at) WHERE held_at IS NOT NULL;
-- A thread whose first post is held is not listed for others either.
ALTER TABLE threads ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
-- Groups that hold each member's first post for a facilitator to approve.
ALTER TABLE groups ADD COLUMN hold_first_posts BOOLEAN NOT NULL DEFAULT FALSE;
-- When a reviewer first approved a post of theirs: a newcomer no more.
ALTER TABLE accounts ADD COLUMN first_approved_at BIGINT;
