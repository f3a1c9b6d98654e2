-- Groups: the taxonomy they are tagged with, the groups, and who is in them.
CREATE TABLE taxonomy_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('condition', 'community', 'format')),
    slug TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_es TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX taxonomy_terms_kind_slug ON taxonomy_terms (kind, slug);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    guidelines TEXT NOT NULL,
    language TEXT NOT NULL,
    leadership TEXT NOT NULL CHECK (leadership IN ('peer', 'professional')),
    age_space TEXT NOT NULL CHECK (age_space IN ('youth', 'adult')),
    visibility TEXT NOT NULL CHECK (visibility IN ('listed', 'unlisted')),
    joining TEXT NOT NULL CHECK (joining IN ('open', 'closed')),
    status TEXT NOT NULL CHECK (status IN ('active', 'proposed', 'declined')),
    created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    member_count BIGINT NOT NULL DEFAULT 0,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX groups_slug ON groups (slug);
CREATE INDEX groups_directory ON groups (status, visibility, age_space, last_activity_at);

CREATE TABLE group_terms (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    term_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, term_id)
);
CREATE INDEX group_terms_term ON group_terms (term_id);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'facilitator')),
    joined_at BIGINT NOT NULL,
    guidelines_accepted_at BIGINT,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_members_account ON group_members (account_id);
