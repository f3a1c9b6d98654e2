-- Members a member has blocked: their posts and messages are collapsed
-- for the blocker (and, once Hearth has private messages, cannot reach
-- them). The blocked member is not told.
CREATE TABLE blocks (
    blocker_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    blocked_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
