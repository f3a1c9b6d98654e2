-- Full-text search over group names and purposes (a generated tsvector with
-- a GIN index, ranked by ts_rank). The 'simple' configuration: groups are in
-- several languages, so words are matched as written, by prefix.
ALTER TABLE groups ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || purpose)) STORED;
CREATE INDEX groups_search ON groups USING GIN (search);
