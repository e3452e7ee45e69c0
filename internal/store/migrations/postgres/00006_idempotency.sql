-- +goose Up
-- Idempotency keys: an API client's Idempotency-Key or a page's one-time
-- form token, per user. The row is inserted in the same transaction as the
-- write it guards (so a committed write always has its key, and the primary
-- key makes a parallel duplicate fail), and completed with the response
-- afterwards; status 0 means the response is not stored yet. A repeat is
-- answered from here without writing again, until expires_at.
CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    location     TEXT NOT NULL,
    body         BYTEA NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys(expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
