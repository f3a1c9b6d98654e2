-- Facilitators' private notes on one occurrence of a live session, sealed
-- with the data key (bound to the meeting and date).
CREATE TABLE meeting_notes (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    body_sealed BLOB NOT NULL,
    updated_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence)
);
