-- Which node hosts an occurrence's room and its media, so that a second
-- node never opens a second, separate room for the same session. The host
-- refreshes `seen_at` while the room is in use; a host not seen for a few
-- minutes (a node that stopped) can be replaced.
CREATE TABLE meeting_hosts (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    node BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, occurrence)
);
