-- The site's own settings, one row: its name (in the header and the tab)
-- and who may register: anyone (open), those with an invitation (invite),
-- or nobody for now (closed). Invitations are single-use codes an admin
-- makes; only their hash is kept.
CREATE TABLE site_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    registration TEXT NOT NULL CHECK (registration IN ('open', 'invite', 'closed'))
);
INSERT INTO site_settings (id, name, registration) VALUES (1, 'Hearth', 'open');

CREATE TABLE invites (
    code_hash BLOB PRIMARY KEY,
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL
);
