-- +goose Up
-- The procedure rules (agenda adoption, co-facilitator appointment, DTG
-- topics, briefers) as dated versions: every version is kept, so the rules
-- page shows the history and a subject keeps the version it ran under.
CREATE TABLE procedure_rules (
    process        TEXT NOT NULL,
    code           TEXT NOT NULL,
    version        INTEGER NOT NULL,
    effective_from TIMESTAMP NOT NULL,
    doc            TEXT NOT NULL,
    PRIMARY KEY (process, code, version)
);

-- The subjects the four applications decide on (agenda versions,
-- co-facilitator nominations and proposed sets, topic rounds, briefer
-- nominations), each a JSON document of its domain type. kind says which;
-- scope is what lists filter on (a session code, a DTG); decision_id links
-- the subject to the decision taken on it, if any yet.
CREATE TABLE procedure_records (
    id          INTEGER PRIMARY KEY,
    process     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    decision_id BIGINT REFERENCES decisions(id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    doc         TEXT NOT NULL
);
CREATE INDEX procedure_records_scope ON procedure_records(process, kind, scope, id);

-- +goose Down
DROP TABLE procedure_records;
DROP TABLE procedure_rules;
