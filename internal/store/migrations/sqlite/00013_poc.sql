-- +goose Up
-- The Points of Contact directory (issue 13), restricted to the States and
-- the Secretariat: one row per POC, its domain value (poc.POC) in doc.
CREATE TABLE pocs (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    state      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX pocs_state ON pocs(process, state, kind);

-- Ping rounds (poc.Round in doc).
CREATE TABLE poc_rounds (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    status     TEXT NOT NULL,
    closes_at  TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX poc_rounds_process ON poc_rounds(process, created_at);

-- One POC's ping in a round: who it went to (a copy, so that a POC edited
-- or removed later does not rewrite the round's record) and the answer.
CREATE TABLE poc_pings (
    round_id    BIGINT NOT NULL REFERENCES poc_rounds(id),
    poc_id      BIGINT NOT NULL,
    state       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    answered_at TIMESTAMP,
    answered_by TEXT NOT NULL,
    reminded    BOOLEAN NOT NULL,
    PRIMARY KEY (round_id, poc_id)
);
CREATE INDEX poc_pings_state ON poc_pings(round_id, state);

-- The acknowledgement links of a ping, by the SHA-256 of their token (never
-- the token): the ping's and the reminder's, both valid until the round's
-- deadline; the ping is answered once, whichever is used.
CREATE TABLE poc_tokens (
    token_hash TEXT PRIMARY KEY,
    round_id   BIGINT NOT NULL,
    poc_id     BIGINT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    FOREIGN KEY (round_id, poc_id) REFERENCES poc_pings(round_id, poc_id)
);

-- +goose Down
DROP TABLE poc_tokens;
DROP TABLE poc_pings;
DROP TABLE poc_rounds;
DROP TABLE pocs;
