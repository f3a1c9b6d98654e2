-- Chat rooms and their messages. Each room numbers its messages 1, 2, 3…
-- without gaps (rooms.last_seq is raised in the transaction that stores the
-- message); a client's own id for a message makes re-sending harmless.
CREATE TABLE rooms (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX rooms_group_slug ON rooms (group_id, slug);

CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    client_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_room_seq ON messages (room_id, seq);
CREATE UNIQUE INDEX messages_client_id ON messages (room_id, author_id, client_id);
