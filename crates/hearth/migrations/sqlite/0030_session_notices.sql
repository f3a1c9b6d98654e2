-- What live sessions tell members: a reminder a day and a quarter of an
-- hour before a date they have a place at (`session-reminder`), a place
-- freed for them from the waiting list (`session-place`), a date they had
-- a place at called off (`session-cancelled`). SQLite cannot change a
-- CHECK in place, so the table is made again with the same rows.
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'request-approved', 'request-declined',
                                       'report-resolved', 'action', 'appeal-decided',
                                       'session-reminder', 'session-place', 'session-cancelled')),
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    thread_id BIGINT REFERENCES threads (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    actor_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    report_id BIGINT REFERENCES reports (id) ON DELETE CASCADE,
    sanction_id BIGINT REFERENCES sanctions (id) ON DELETE CASCADE,
    request_id BIGINT REFERENCES join_requests (id) ON DELETE CASCADE,
    meeting_id BIGINT REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT
);
INSERT INTO notifications_new (id, account_id, kind, group_id, thread_id, post_id, actor_id, actor_anonymous,
                               created_at, read_at, report_id, sanction_id, request_id)
    SELECT id, account_id, kind, group_id, thread_id, post_id, actor_id, actor_anonymous,
           created_at, read_at, report_id, sanction_id, request_id FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_account ON notifications (account_id, read_at, id);

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
