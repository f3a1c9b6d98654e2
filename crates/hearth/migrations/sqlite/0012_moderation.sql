-- Reports, moderators' actions and appeals.
--
-- A report is a case about a post, a chat message or a member: the
-- reporter is shown to staff only; a moderator takes it, keeps private
-- notes, acts from it, and resolves it with a message to the reporter.
-- An action (hide, warn, mute in a group, suspend, ban) names the member,
-- the reason and, for mute and suspend, when it ends; undoing it sets
-- revoked_at. The member sees it with its reason and may appeal once; a
-- moderator other than the one who acted decides. Hidden posts keep their
-- words (they may come back on appeal). Every action, undoing and
-- decision is also written to the audit log.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    target_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    assigned_to BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    resolution TEXT
);
CREATE INDEX reports_status ON reports (status, created_at);

CREATE TABLE report_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX report_notes_report ON report_notes (report_id, id);

CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    report_id BIGINT REFERENCES reports (id) ON DELETE SET NULL,
    actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    seen_at BIGINT,
    revoked_at BIGINT,
    revoked_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE INDEX sanctions_account ON sanctions (account_id, revoked_at);

CREATE TABLE appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sanction_id BIGINT NOT NULL UNIQUE REFERENCES sanctions (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    decided_at BIGINT,
    decision TEXT
);

-- A post hidden by a moderator's action: readers see that it was hidden;
-- its words stay, for an appeal.
ALTER TABLE posts ADD COLUMN hidden_by BIGINT;
