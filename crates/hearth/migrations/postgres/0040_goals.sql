-- A member's personal goals and their check-ins, sealed with their own
-- key (the goal's words; each check-in's note and how it went).
CREATE TABLE goals (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    goal_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX goals_by_account ON goals (account_id, done_at, created_at);

CREATE TABLE goal_checkins (
    id BIGSERIAL PRIMARY KEY,
    goal_id BIGINT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    entry_sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX goal_checkins_by_goal ON goal_checkins (goal_id, created_at);
