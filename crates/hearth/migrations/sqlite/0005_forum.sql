-- The group forum: threads, their posts (the first post opens the thread),
-- earlier versions of edited posts, reactions, follows, in-app
-- notifications, and each member's personal filters.
ALTER TABLE groups ADD COLUMN allow_anonymous BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE threads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    title TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    reply_count BIGINT NOT NULL DEFAULT 0,
    last_post_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX threads_group ON threads (group_id, pinned, last_post_at, id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL,
    content_warning TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT,
    deleted_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE INDEX posts_thread ON posts (thread_id, id);
CREATE INDEX posts_author ON posts (author_id);

CREATE TABLE post_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    content_warning TEXT NOT NULL,
    replaced_at BIGINT NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions (post_id, id);

CREATE TABLE reactions (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('hug', 'me-too', 'thank-you', 'strength')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, account_id, kind)
);

CREATE TABLE thread_follows (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (thread_id, account_id)
);
CREATE INDEX thread_follows_account ON thread_follows (account_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'request-approved', 'request-declined')),
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    thread_id BIGINT REFERENCES threads (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    actor_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_account ON notifications (account_id, read_at, id);

-- Trigger words are sealed with the data key: they say what hurts someone.
CREATE TABLE personal_filters (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    words_sealed BLOB,
    collapse_warnings BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL
);
