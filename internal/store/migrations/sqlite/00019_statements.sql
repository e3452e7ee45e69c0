-- +goose Up
-- Lists of speakers and statements (issue 12, doc/record.md). An
-- inscription is one place on the list of a meeting's agenda item (item ''
-- for the meeting generally); the unique key refuses a second place for
-- the same speaker on the same list even when two requests race (a right
-- of reply is a place of its own). place is the order of the list.
CREATE TABLE inscriptions (
    id           INTEGER PRIMARY KEY,
    process      TEXT NOT NULL,
    meeting_id   BIGINT NOT NULL REFERENCES meetings(id),
    item         TEXT NOT NULL,
    speaker      TEXT NOT NULL,
    reply        INTEGER NOT NULL,
    place        INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    doc          TEXT NOT NULL,
    UNIQUE (meeting_id, item, speaker, reply)
);
CREATE INDEX inscriptions_list ON inscriptions(meeting_id, item, place);

-- A statement: its domain value (statement.Statement) in doc and the
-- columns a meeting's page, a speaker's page and an item's statements
-- query, each by one index in delivery order.
CREATE TABLE statements (
    id           INTEGER PRIMARY KEY,
    process      TEXT NOT NULL,
    meeting_id   BIGINT NOT NULL REFERENCES meetings(id),
    session      TEXT NOT NULL,
    item         TEXT NOT NULL,
    speaker      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    delivered_at TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    doc          TEXT NOT NULL
);
CREATE INDEX statements_meeting ON statements(meeting_id, delivered_at, id);
CREATE INDEX statements_speaker ON statements(process, speaker, delivered_at, id);
CREATE INDEX statements_item ON statements(process, session, item, delivered_at, id);
CREATE INDEX statements_at ON statements(process, delivered_at, id);

-- +goose Down
DROP TABLE statements;
DROP TABLE inscriptions;
