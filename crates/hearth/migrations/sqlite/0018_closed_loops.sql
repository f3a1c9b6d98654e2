-- Every loop closes with a notification: a reporter hears how their report
-- ended (`report-resolved`), a member hears of a moderator's action about
-- them (`action`) and of the decision on their appeal (`appeal-decided`),
-- and an approved member reads the facilitator's welcome (the request's
-- decision message, through `request_id`). The words stay where they were
-- written (the report, the sanction, the appeal, the request); the
-- notification points at them. SQLite cannot change a CHECK in place, so
-- the table is made again with the same rows.
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'request-approved', 'request-declined',
                                       'report-resolved', 'action', 'appeal-decided')),
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    thread_id BIGINT REFERENCES threads (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    actor_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    report_id BIGINT REFERENCES reports (id) ON DELETE CASCADE,
    sanction_id BIGINT REFERENCES sanctions (id) ON DELETE CASCADE,
    request_id BIGINT REFERENCES join_requests (id) ON DELETE CASCADE
);
INSERT INTO notifications_new (id, account_id, kind, group_id, thread_id, post_id, actor_id, actor_anonymous, created_at, read_at)
    SELECT id, account_id, kind, group_id, thread_id, post_id, actor_id, actor_anonymous, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_account ON notifications (account_id, read_at, id);
