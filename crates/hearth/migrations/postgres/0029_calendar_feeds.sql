-- Each member's private calendar feed: a secret address their calendar
-- app reads the sessions of their groups from. Only a keyed hash of the
-- address's token is kept; making a new one ends the old.
CREATE TABLE calendar_feeds (
    token_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
