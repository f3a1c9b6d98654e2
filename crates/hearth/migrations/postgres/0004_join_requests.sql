-- Closed groups: questions asked of people who want to join, and their
-- requests. Answers are sealed with the data key (they may be personal).
ALTER TABLE groups ADD COLUMN intake_questions TEXT NOT NULL DEFAULT '';

CREATE TABLE join_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    answers_sealed BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    decision_message TEXT,
    decided_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (group_id, account_id) WHERE status = 'pending';
CREATE INDEX join_requests_group ON join_requests (group_id, status, created_at);
