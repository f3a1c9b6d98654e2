-- What live sessions tell members: a reminder a day and a quarter of an
-- hour before a date they have a place at (`session-reminder`), a place
-- freed for them from the waiting list (`session-place`), a date they had
-- a place at called off (`session-cancelled`).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('reply', 'mention', 'request-approved', 'request-declined',
                    'report-resolved', 'action', 'appeal-decided',
                    'session-reminder', 'session-place', 'session-cancelled'));
ALTER TABLE notifications ADD COLUMN meeting_id BIGINT REFERENCES meetings (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN occurrence TEXT;

-- Which reminders went out (`day`, `soon`), so that each is sent once
-- whichever node gets there first.
CREATE TABLE meeting_reminders (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('day', 'soon')),
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence, account_id, kind)
);

-- A member's quiet hours, on their own clock (hours 0-23): no e-mail
-- reminders then. None: no quiet hours.
ALTER TABLE accounts ADD COLUMN quiet_from BIGINT;
ALTER TABLE accounts ADD COLUMN quiet_to BIGINT;
