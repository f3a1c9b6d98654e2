-- Full-text search over group names and purposes (FTS5, ranked by bm25),
-- kept in step with the groups table by triggers.
CREATE VIRTUAL TABLE groups_fts USING fts5(name, purpose, content='groups', content_rowid='id');
INSERT INTO groups_fts (rowid, name, purpose) SELECT id, name, purpose FROM groups;
CREATE TRIGGER groups_fts_insert AFTER INSERT ON groups BEGIN
    INSERT INTO groups_fts (rowid, name, purpose) VALUES (new.id, new.name, new.purpose);
END;
CREATE TRIGGER groups_fts_delete AFTER DELETE ON groups BEGIN
    INSERT INTO groups_fts (groups_fts, rowid, name, purpose) VALUES ('delete', old.id, old.name, old.purpose);
END;
CREATE TRIGGER groups_fts_update AFTER UPDATE OF name, purpose ON groups BEGIN
    INSERT INTO groups_fts (groups_fts, rowid, name, purpose) VALUES ('delete', old.id, old.name, old.purpose);
    INSERT INTO groups_fts (rowid, name, purpose) VALUES (new.id, new.name, new.purpose);
END;
