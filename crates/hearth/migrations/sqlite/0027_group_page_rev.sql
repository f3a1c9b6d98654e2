-- A group's page revision: raised in the same transaction as every change
-- to any of its threads (a new one, a reply, an edit or deletion, a pin,
-- a lock, a review), so a thread list kept by any node is used only while
-- it is still true (forum::cache). Triggers, so that no
-- write path can forget it.
ALTER TABLE groups ADD COLUMN page_rev BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER threads_page_rev_insert AFTER INSERT ON threads BEGIN
    UPDATE groups SET page_rev = page_rev + 1 WHERE id = NEW.group_id;
END;
CREATE TRIGGER threads_page_rev_update AFTER UPDATE ON threads BEGIN
    UPDATE groups SET page_rev = page_rev + 1 WHERE id = NEW.group_id OR id = OLD.group_id;
END;
CREATE TRIGGER threads_page_rev_delete AFTER DELETE ON threads BEGIN
    UPDATE groups SET page_rev = page_rev + 1 WHERE id = OLD.group_id;
END;
