-- +goose Up
-- The outcome of a write goes in with its idempotency key, in the write's
-- transaction: status, location and body now hold a provisional answer from
-- the start (where the written state is to be seen), and answered says
-- whether the request recorded its own response afterwards. A request that
-- died between its commit and that record no longer leaves the key "in
-- progress" until it expires: a repeat gets the provisional answer.
ALTER TABLE idempotency_keys ADD COLUMN answered BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE idempotency_keys SET answered = TRUE WHERE status <> 0;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN answered;
