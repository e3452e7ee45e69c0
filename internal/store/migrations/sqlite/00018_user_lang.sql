-- +goose Up
-- The language a person reads Concord in: notice emails, digests and
-- account emails are written in it (one of ar zh en fr ru es).
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';

-- +goose Down
ALTER TABLE users DROP COLUMN lang;
