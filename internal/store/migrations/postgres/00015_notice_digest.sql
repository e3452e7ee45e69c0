-- +goose Up
-- Notices by email either as they happen or gathered in one email a day
-- (a digest); notice_email still turns them off altogether.
ALTER TABLE users ADD COLUMN notice_digest BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX notices_created ON notices (created_at);

-- +goose Down
DROP INDEX notices_created;
ALTER TABLE users DROP COLUMN notice_digest;
