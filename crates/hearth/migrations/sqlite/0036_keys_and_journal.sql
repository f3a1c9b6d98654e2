-- The key hierarchy (see src/keys.rs): the site key and each member's
-- key, wrapped (sealed) by the data key in the data dir's data.key.
CREATE TABLE data_keys (
    name TEXT PRIMARY KEY,
    wrapped BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE member_keys (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    wrapped BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

-- A member's journal: the entry (title and body) sealed with their own
-- key; the mood tag and prompt key are plain, for filtering, and say
-- nothing written.
CREATE TABLE journal_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prompt TEXT,
    mood TEXT,
    entry_sealed BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX journal_entries_by_account ON journal_entries (account_id, created_at DESC);
