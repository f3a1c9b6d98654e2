-- A group's page revision: raised in the same transaction as every change
-- to any of its threads (a new one, a reply, an edit or deletion, a pin,
-- a lock, a review), so a thread list kept by any node is used only while
-- it is still true (forum::cache). Triggers, so that no
-- write path can forget it.
ALTER TABLE groups ADD COLUMN page_rev BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION raise_group_page_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE groups SET page_rev = page_rev + 1 WHERE id = OLD.group_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.group_id <> OLD.group_id) THEN
        UPDATE groups SET page_rev = page_rev + 1 WHERE id = NEW.group_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER threads_page_rev AFTER INSERT OR UPDATE OR DELETE ON threads
    FOR EACH ROW EXECUTE FUNCTION raise_group_page_rev();
