-- A member's safety plan: its six steps sealed with their own key.
CREATE TABLE safety_plans (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    plan_sealed BLOB NOT NULL,
    updated_at BIGINT NOT NULL
);
