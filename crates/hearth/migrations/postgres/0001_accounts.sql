-- Accounts and sessions. Instants are epoch milliseconds (BIGINT).
CREATE TABLE accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle TEXT NOT NULL,
    handle_key TEXT NOT NULL,
    handle_skeleton TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- E-mail address sealed with the data key (crypto.rs); NULL if none given.
    email_sealed BYTEA,
    age_bracket TEXT NOT NULL CHECK (age_bracket IN ('13-17', '18+')),
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
    is_professional BOOLEAN NOT NULL DEFAULT FALSE,
    language TEXT,
    region TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX accounts_handle_key ON accounts (handle_key);
CREATE UNIQUE INDEX accounts_handle_skeleton ON accounts (handle_skeleton);

CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash BYTEA NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
CREATE INDEX sessions_account ON sessions (account_id);
