-- How far each member has read, for unread markers and the member's home:
-- a thread by the time of the newest post they were shown, a room by the
-- number of the newest event they saw. A member with no row has read
-- nothing written since they joined the group. Rows only move forward.
CREATE TABLE thread_reads (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, thread_id)
);
CREATE INDEX thread_reads_thread ON thread_reads (thread_id);

CREATE TABLE room_reads (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (account_id, room_id)
);
CREATE INDEX room_reads_room ON room_reads (room_id);
