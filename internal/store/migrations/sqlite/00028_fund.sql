-- +goose Up
-- The Voluntary Fund (issue 13): calls for applications, the States'
-- applications (one per State and call: a second submission is refused),
-- and the review committee's scores and comments, kept in a table of their
-- own so that nothing that reads an application can carry them by
-- accident. Each row keeps its domain value (fund.Call, fund.Application,
-- fund.Review) in doc, with the columns the lists read.
CREATE TABLE fund_calls (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    opens_at   TIMESTAMP NOT NULL,
    closes_at  TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX fund_calls_list ON fund_calls(process, opens_at);

CREATE TABLE fund_applications (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    call_id    BIGINT NOT NULL REFERENCES fund_calls(id),
    state      TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL,
    UNIQUE (call_id, state)
);
CREATE INDEX fund_applications_status ON fund_applications(process, status);

CREATE TABLE fund_reviews (
    application_id BIGINT NOT NULL REFERENCES fund_applications(id),
    reviewer       BIGINT NOT NULL,
    at             TIMESTAMP NOT NULL,
    doc            TEXT NOT NULL,
    PRIMARY KEY (application_id, reviewer)
);

-- +goose Down
DROP TABLE fund_reviews;
DROP TABLE fund_applications;
DROP TABLE fund_calls;
