-- Crisis alerts for moderators, and the append-only audit log.
--
-- An alert is raised when the crisis detector reads ideation or imminent
-- risk in something a member wrote. Further risky writing by the same
-- member in the same place joins the open alert (count, last_at, and the
-- level rises to the highest seen) instead of opening another. Lifecycle:
-- open -> acknowledged (by, at) -> resolved (by, at, outcome note).
-- The detector's evidence (the rules and the words that fired) is sealed
-- with the data key: it quotes the member's words.
CREATE TABLE crisis_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    group_id BIGINT REFERENCES groups (id) ON DELETE SET NULL,
    level TEXT NOT NULL,
    score REAL NOT NULL,
    source_kind TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    source_url TEXT NOT NULL,
    evidence BLOB NOT NULL,
    count BIGINT NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    acknowledged_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    acknowledged_at BIGINT,
    resolved_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    resolved_at BIGINT,
    outcome TEXT
);
CREATE INDEX crisis_alerts_status ON crisis_alerts (status, created_at);
CREATE INDEX crisis_alerts_account ON crisis_alerts (account_id, group_id, status);

-- One row per privileged action, never updated or deleted by Hearth. Each
-- row's hash covers the previous row's hash and its own fields, so an
-- edit, a deletion or a reordering breaks the chain (`hearth audit verify`).
-- No content and no IP addresses: who, what, on what, when, why.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- The chain's head: updated first in each append, so appends serialise.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
