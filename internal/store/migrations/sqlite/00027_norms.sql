-- +goose Up
-- The norms implementation checklist (issue 13): a State's report on each
-- action of the checklist (norms.Report as JSON in doc, with the columns
-- the progress views and the visibility filter read), and every change of
-- a report's status kept as history.
CREATE TABLE norm_reports (
    process    TEXT NOT NULL,
    state      TEXT NOT NULL,
    action     TEXT NOT NULL,
    status     TEXT NOT NULL,
    visibility TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (process, state, action)
);
-- The progress views count the reports of a process per State and status
-- (and per norm) from this index alone, in the order of the grouping.
CREATE INDEX norm_reports_tally ON norm_reports(process, state, status, visibility, action);

CREATE TABLE norm_report_history (
    id          INTEGER PRIMARY KEY,
    process     TEXT NOT NULL,
    state       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
-- A State's history, newest first; the checklist's recent changes.
CREATE INDEX norm_report_history_state ON norm_report_history(process, state, id);
CREATE INDEX norm_report_history_recent ON norm_report_history(process, id);

-- +goose Down
DROP TABLE norm_report_history;
DROP TABLE norm_reports;
