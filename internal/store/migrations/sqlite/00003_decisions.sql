-- +goose Up
-- A decision under a contested modality: its facts (proposal, positions,
-- Chair acts) and the policy it runs under, as a JSON document of the domain
-- types; the outcome is recomputed from them by the pure engine on read.
CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX decisions_process ON decisions(process, id);

-- +goose Down
DROP TABLE decisions;
