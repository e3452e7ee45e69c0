-- +goose Up
-- The mail outbox: a message is written in the same transaction as the
-- event that causes it and sent after commit by whichever instance claims
-- it (locked_until is the claim's lease). dedupe makes one event one
-- message however often it is retried. Bodies are cleared once the message
-- is delivered or given up, so links with tokens do not outlive their use.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    dedupe       TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    recipients   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body_text    TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    unsubscribe  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    claimed_by   TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    sent_at      TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_at);

-- Single-use links sent by email (verify an address, reset a password,
-- accept an invitation): only the SHA-256 of the token is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    purpose    TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Addresses entered before verification existed were typed by the
-- Secretariat and have been receiving notices: they count as verified.
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;
-- Whether notices also go by email (List-Unsubscribe turns it off).
ALTER TABLE users ADD COLUMN notice_email BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE users SET email_verified = TRUE WHERE email <> '';

-- +goose Down
ALTER TABLE users DROP COLUMN notice_email;
ALTER TABLE users DROP COLUMN email_verified;
DROP TABLE account_tokens;
DROP TABLE outbox;
