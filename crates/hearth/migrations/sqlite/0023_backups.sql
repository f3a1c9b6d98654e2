-- Each backup `hearth backup` took of this database: when, how large, and
-- of which database. The admin hub shows the latest, so an operator sees
-- at a glance whether backups are being taken.
CREATE TABLE backups (
    taken_at BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    backend TEXT NOT NULL CHECK (backend IN ('sqlite', 'postgres'))
);
CREATE INDEX backups_taken_at ON backups (taken_at);
