-- +goose Up
-- The process's calendar (issue 12): one row per meeting, its domain value
-- (meeting.Meeting) in doc, and the columns lists, filters, the room check
-- and the calendar feeds query. sequence is the iCalendar SEQUENCE, bumped
-- by every change, so calendar clients replace their copy.
CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    body       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    start_at   TIMESTAMP NOT NULL,
    end_at     TIMESTAMP NOT NULL,
    room_key   TEXT NOT NULL,
    session    TEXT NOT NULL,
    sequence   INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
-- Upcoming (end after now, by start) and past (by start, descending), for
-- the whole process or one body.
CREATE INDEX meetings_end ON meetings(process, end_at);
CREATE INDEX meetings_body_end ON meetings(process, body, end_at);
CREATE INDEX meetings_start ON meetings(process, start_at);
CREATE INDEX meetings_body_start ON meetings(process, body, start_at);
-- Meetings in one room, for the overlap warning.
CREATE INDEX meetings_room ON meetings(process, room_key, start_at);

-- +goose Down
DROP TABLE meetings;
