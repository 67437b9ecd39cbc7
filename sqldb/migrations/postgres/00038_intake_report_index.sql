-- The report page reads how its report arrived by mail (ReportIntakeRecord)
-- on every view: by report, not by a scan of every filed message.

-- +goose Up
CREATE INDEX intake_messages_report ON intake_messages (report_id);

-- +goose Down
DROP INDEX intake_messages_report;
