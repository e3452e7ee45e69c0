-- +goose Up
-- Dated appointments (issue 11): the Chair, co-facilitators and
-- Secretariat staff hold their role for a term; a State's delegation
-- managers and a named group's speakers are delegates appointed on top of
-- being one. A post grants its rights from starts_at until ends_at
-- (exclusive; NULL: no end), judged at each request's instant.
CREATE TABLE appointments (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    post       TEXT NOT NULL,
    scope      TEXT NOT NULL DEFAULT '',
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX appointments_user ON appointments(user_id);
CREATE INDEX appointments_scope ON appointments(post, scope);

-- Staff accounts already there hold their role from their creation, with
-- no end, so that their terms are dated from now on.
INSERT INTO appointments (user_id, post, scope, starts_at, created_at)
    SELECT id, role, '', created_at, created_at FROM users WHERE role IN ('secretariat', 'chair', 'co-facilitator');

-- A delegate whom the delegation does not let speak for the State (no
-- positions, objections or nominations). Existing delegates keep speaking.
ALTER TABLE users ADD COLUMN read_only BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE users DROP COLUMN read_only;
DROP TABLE appointments;
