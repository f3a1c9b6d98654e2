-- A member's mood check-ins and questionnaires (PHQ-9, GAD-7): each
-- sealed whole with their own key (the mood, tags and note; the answers
-- and score). Only the kind and the time are plain, to page by them.
CREATE TABLE checkins (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    entry_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX checkins_by_account ON checkins (account_id, created_at);

CREATE TABLE assessments (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    entry_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX assessments_by_account ON assessments (account_id, kind, created_at);
