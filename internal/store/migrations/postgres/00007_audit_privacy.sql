-- +goose Up
-- A confidential entry's hash covers a random salt kept here and never
-- published, so a reader of the public log cannot test guesses of who did
-- what against it.
ALTER TABLE audit_log ADD COLUMN salt BYTEA;

-- Sign-ins and account changes: a hash chain of its own, never published,
-- so they neither show on nor leave gaps in the public log.
CREATE TABLE account_log (
    seq          BIGINT PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    before_digest BYTEA,
    after_digest  BYTEA,
    prev_hash    BYTEA NOT NULL,
    hash         BYTEA NOT NULL
);

-- The public log filters by subject.
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- +goose Down
DROP INDEX audit_log_object;
DROP TABLE account_log;
ALTER TABLE audit_log DROP COLUMN salt;
