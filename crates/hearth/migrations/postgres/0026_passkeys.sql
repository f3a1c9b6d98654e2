-- Passkeys: what webauthn-rs serialises of each, stored whole (its counter
-- and backup flags included) and updated after each use; `credential_id`
-- (hexadecimal) finds the one that answered a log-in. A challenge travels
-- sealed in the page; each is accepted once, its nonce kept here a while.
CREATE TABLE passkeys (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_account ON passkeys (account_id);

CREATE TABLE passkey_challenges_used (
    nonce TEXT PRIMARY KEY,
    used_at BIGINT NOT NULL
);
