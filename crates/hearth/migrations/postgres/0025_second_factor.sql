-- A second factor. An authenticator app's TOTP secret (sealed with the data
-- key) is in use once confirmed with a code; `last_step` keeps a code from
-- being used twice. Recovery codes are keyed hashes, each used once. A
-- session remembers whether it proved a second factor: moderators and
-- admins act only from such sessions.
CREATE TABLE totp_secrets (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    code_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX recovery_codes_account ON recovery_codes (account_id);

ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
