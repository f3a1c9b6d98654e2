-- What a member told onboarding they would like support with: private to
-- them, used only to recommend groups.
CREATE TABLE account_interests (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    term_id BIGINT NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, term_id)
);

CREATE TABLE account_languages (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    PRIMARY KEY (account_id, language)
);
