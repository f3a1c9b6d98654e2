-- Outgoing mail: a queue in the database, so a message survives restarts
-- and is retried with backoff until the SMTP server takes it (then the row
-- goes). The recipient, subject and body are sealed together with the data
-- key (`ref` is what they are bound to). A message given up on keeps its
-- row, without its words, as a record that it failed.
CREATE TABLE mail_queue (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref TEXT NOT NULL,
    sealed BYTEA,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    failed_at BIGINT
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at);

-- Password resets: a link e-mailed to the member (30 minutes) or made by an
-- admin for one without an address (a day). Only a keyed hash of the
-- link's token is kept; each works once.
CREATE TABLE password_resets (
    token_hash BYTEA PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'admin')),
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_account ON password_resets (account_id, created_at);
