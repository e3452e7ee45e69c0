-- +goose Up
-- Accreditation keeps each policy version, window and application as a JSON
-- document of the domain type, with the columns queries filter on beside it:
-- the state machine lives in the domain package, and documents keep the
-- store from re-encoding every field it adds.
CREATE TABLE accreditation_policies (
    process        TEXT NOT NULL,
    version        INTEGER NOT NULL,
    effective_from TIMESTAMP NOT NULL,
    doc            TEXT NOT NULL,
    PRIMARY KEY (process, version)
);

CREATE TABLE accreditation_windows (
    id       TEXT PRIMARY KEY,
    process  TEXT NOT NULL,
    scope    TEXT NOT NULL,
    cycle    INTEGER NOT NULL,
    opens    TIMESTAMP NOT NULL,
    deadline TIMESTAMP,
    doc      TEXT NOT NULL
);

CREATE TABLE accreditation_applications (
    id         INTEGER PRIMARY KEY,
    window_id  TEXT NOT NULL REFERENCES accreditation_windows(id),
    org_id     INTEGER NOT NULL REFERENCES organizations(id),
    status     TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX accreditation_applications_window ON accreditation_applications(window_id, status);
CREATE INDEX accreditation_applications_org ON accreditation_applications(org_id);

-- The ECOSOC consultative-status list as imported by the Secretariat.
CREATE TABLE ecosoc_list (
    name_key TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    category TEXT NOT NULL
);

-- Supporting documents uploaded with applications.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

-- Notices to an organisation's focal points or a State's delegates (the
-- in-app inbox); the message is a catalogue key with arguments, so each
-- reader sees it in their language.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    state      TEXT REFERENCES states(iso3),
    org_id     INTEGER REFERENCES organizations(id),
    msg_key    TEXT NOT NULL,
    args       TEXT NOT NULL,
    link       TEXT NOT NULL,
    dedupe     TEXT NOT NULL UNIQUE
);
CREATE INDEX notices_state ON notices(state, id);
CREATE INDEX notices_org ON notices(org_id, id);

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN email;
DROP TABLE notices;
DROP TABLE documents;
DROP TABLE ecosoc_list;
DROP TABLE accreditation_applications;
DROP TABLE accreditation_windows;
DROP TABLE accreditation_policies;
