-- +goose Up
-- The message log between POCs (issue 13): a message from one State to
-- another made from a standard template, or a reply in its thread; its
-- domain value (poc.Message) in doc. Read only by the two States and the
-- Secretariat, so every read names a State or a thread.
CREATE TABLE poc_messages (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    thread_id  BIGINT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    sent_at    TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX poc_messages_from ON poc_messages(process, from_state, id);
CREATE INDEX poc_messages_to ON poc_messages(process, to_state, id);
CREATE INDEX poc_messages_thread ON poc_messages(thread_id, id);

-- A ping whose mail bounced: the round's results show the address.
ALTER TABLE poc_pings ADD COLUMN bounced_at TIMESTAMP;

-- +goose Down
ALTER TABLE poc_pings DROP COLUMN bounced_at;
DROP TABLE poc_messages;
