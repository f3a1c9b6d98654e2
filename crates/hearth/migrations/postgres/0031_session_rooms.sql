-- A live session's room, per occurrence: who came (for the facilitators),
-- who was removed (they cannot come back to that occurrence, whatever
-- device they use) and whether it was ended for everyone.
CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Shown to the others under a neutral label, not their name.
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    first_joined BIGINT NOT NULL,
    last_left BIGINT,
    PRIMARY KEY (meeting_id, occurrence, account_id)
);

CREATE TABLE meeting_removals (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    removed_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    removed_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence, account_id)
);

CREATE TABLE meeting_endings (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    ended_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ended_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence)
);
