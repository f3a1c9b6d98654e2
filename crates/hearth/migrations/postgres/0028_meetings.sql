-- A group's live sessions ("meetings" here: a session is also a log-in).
-- A meeting is a schedule: the first start on the wall clock of an IANA
-- zone, how it repeats, until when (see meetings::schedule). Each
-- occurrence is named by its date in that zone. `rsvp_rev` is raised
-- before every change to who is coming, so that changes to one meeting
-- take turns (a row lock on PostgreSQL) and no place is given twice.
CREATE TABLE meetings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    first_start TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    recurrence TEXT NOT NULL CHECK (recurrence IN ('once', 'weekly', 'fortnightly', 'monthly')),
    until_date TEXT,
    capacity BIGINT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('video', 'audio', 'text')),
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    rsvp_rev BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX meetings_group ON meetings (group_id);

-- Occurrences called off, by their date in the meeting's zone.
CREATE TABLE meeting_cancellations (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    cancelled_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    cancelled_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence)
);

-- Who is coming to an occurrence, and who waits for a place (in the order
-- they asked: `asked_at`, then the account).
CREATE TABLE meeting_rsvps (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('going', 'waiting')),
    asked_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence, account_id)
);
CREATE INDEX meeting_rsvps_account ON meeting_rsvps (account_id);

-- The zone a member reads times in; none: each session's own.
ALTER TABLE accounts ADD COLUMN time_zone TEXT;
