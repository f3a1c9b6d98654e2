-- A member's own mutes. A muted thread sends them no notifications (and
-- they stop following it), and it is folded away at the end of the
-- group's list for them. A muted room is quiet for them: new messages are
-- not read out and typing is not shown. Nobody else is told.
CREATE TABLE thread_mutes (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, account_id)
);
CREATE TABLE room_mutes (
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, account_id)
);
