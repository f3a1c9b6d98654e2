-- Facilitators of a group are looked up on every group page.
CREATE INDEX group_members_role ON group_members (group_id, role);
