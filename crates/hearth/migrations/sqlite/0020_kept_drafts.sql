-- Writing kept across an ended session: a form posted after the session
-- expired travels (in the log-in page, never stored while nobody is logged
-- in) and is kept here once the writer logs in again, sealed with the data
-- key, until the form it came from shows it to them. One per account.
CREATE TABLE kept_drafts (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sealed BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
