-- +goose Up
-- The public checkpoint is the log as of the last midnight (UTC): the
-- first entry of the day is found without a scan of the log.
CREATE INDEX audit_log_at ON audit_log (at, seq);

-- +goose Down
DROP INDEX audit_log_at;
