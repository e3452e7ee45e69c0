-- +goose Up
-- Passkeys (WebAuthn): several per user, each named by its owner. data is
-- the credential as the library keeps it (public key, sign count, flags;
-- JSON): a public key, no secret. credential_id (base64url) finds the row
-- when a passkey signs in.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    data          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);
CREATE INDEX passkeys_user ON passkeys(user_id);

-- The challenges of passkey ceremonies already answered. A ceremony's
-- state travels sealed with its answer (nothing is written when a page
-- offers a passkey); its challenge is spent here, once, so an answer is
-- not replayed. The sweep deletes them once expired.
CREATE TABLE passkey_challenges (
    challenge_hash TEXT PRIMARY KEY,
    expires_at     TIMESTAMP NOT NULL
);
CREATE INDEX passkey_challenges_expires ON passkey_challenges(expires_at);

-- The sweep finds what expired without reading every row.
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX account_tokens_expires ON account_tokens(expires_at);

-- +goose Down
DROP INDEX account_tokens_expires;
DROP INDEX sessions_expires;
DROP TABLE passkey_challenges;
DROP TABLE passkeys;
