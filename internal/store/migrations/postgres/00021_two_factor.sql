-- +goose Up
-- Two-factor sign-in (TOTP, RFC 6238) with single-use recovery codes.
-- users.two_factor is on once a code confirmed the secret: read with the
-- session, it says whether sign-in asks for a code.
ALTER TABLE users ADD COLUMN two_factor BOOLEAN NOT NULL DEFAULT FALSE;

-- The shared secret (base32), kept readable since the server computes the
-- same codes as the authenticator. confirmed_at is NULL while enrolment
-- waits for a first valid code. last_step is the last 30-second step whose
-- code was accepted: a code of that step or an earlier one is a replay.
CREATE TABLE totp_secrets (
    user_id      BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    last_step    BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ
);

-- Recovery codes: only the SHA-256 of each (random, 80 bits) is kept.
CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in waiting for its second step: the password was right, the code
-- not yet given. The token (only its hash here) is in a cookie of the
-- browser that gave the password; next is where sign-in goes afterwards.
CREATE TABLE login_pending (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    next       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_pending_expires ON login_pending(expires_at);

-- +goose Down
DROP TABLE login_pending;
DROP TABLE recovery_codes;
DROP TABLE totp_secrets;
ALTER TABLE users DROP COLUMN two_factor;
