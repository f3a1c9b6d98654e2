-- A member's break reminder: after this many minutes of continuous use,
-- a gentle suggestion to pause (NULL: never).
ALTER TABLE accounts ADD COLUMN break_minutes BIGINT;
