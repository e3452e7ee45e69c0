-- +goose Up
-- Sign-in throttling records each attempt before the password is checked
-- and makes the next one wait (exponential backoff) instead of locking the
-- account: a counter now keeps when its wait ends. Old counters mean
-- something else, so they go.
DELETE FROM login_attempts;
ALTER TABLE login_attempts RENAME COLUMN window_start TO next_at;

-- A session is a browser's (cookie) or an API client's (bearer token): its
-- owner sees which when listing and revoking them.
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'browser';

-- +goose Down
ALTER TABLE sessions DROP COLUMN kind;
DELETE FROM login_attempts;
ALTER TABLE login_attempts RENAME COLUMN next_at TO window_start;
