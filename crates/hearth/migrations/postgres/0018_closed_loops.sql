-- Every loop closes with a notification: a reporter hears how their report
-- ended (`report-resolved`), a member hears of a moderator's action about
-- them (`action`) and of the decision on their appeal (`appeal-decided`),
-- and an approved member reads the facilitator's welcome (the request's
-- decision message, through `request_id`). The words stay where they were
-- written (the report, the sanction, the appeal, the request); the
-- notification points at them.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('reply', 'mention', 'request-approved', 'request-declined',
                    'report-resolved', 'action', 'appeal-decided'));
ALTER TABLE notifications ADD COLUMN report_id BIGINT REFERENCES reports (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN sanction_id BIGINT REFERENCES sanctions (id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN request_id BIGINT REFERENCES join_requests (id) ON DELETE CASCADE;
