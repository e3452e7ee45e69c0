-- +goose Up
-- Localised names are JSON objects {"en": "...", "fr": "..."}: every read
-- needs all six versions, and no query filters on one language.
CREATE TABLE processes (
    code        TEXT PRIMARY KEY,
    names       TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    scheme      TEXT NOT NULL
);

CREATE TABLE states (
    iso3        TEXT PRIMARY KEY,
    iso2        TEXT NOT NULL UNIQUE,
    m49         INTEGER NOT NULL,
    status      TEXT NOT NULL,
    region      INTEGER NOT NULL,
    sub_region  INTEGER NOT NULL,
    names       TEXT NOT NULL
);

CREATE TABLE regional_groups (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    names       TEXT NOT NULL
);

CREATE TABLE group_memberships (
    id          INTEGER PRIMARY KEY,
    state       TEXT NOT NULL REFERENCES states(iso3),
    group_code  TEXT NOT NULL REFERENCES regional_groups(code),
    kind        TEXT NOT NULL,
    since       TIMESTAMP NOT NULL,
    until       TIMESTAMP,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX group_memberships_state ON group_memberships(state);

CREATE TABLE classification_schemes (
    code        TEXT PRIMARY KEY,
    names       TEXT NOT NULL,
    source      TEXT NOT NULL,
    dated       TIMESTAMP NOT NULL,
    editable    BOOLEAN NOT NULL
);

CREATE TABLE state_classifications (
    scheme      TEXT NOT NULL REFERENCES classification_schemes(code),
    state       TEXT NOT NULL REFERENCES states(iso3),
    category    TEXT NOT NULL,
    PRIMARY KEY (scheme, state)
);

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    names       TEXT NOT NULL,
    sort_name   TEXT NOT NULL,
    acronym     TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL DEFAULT '',
    country     TEXT REFERENCES states(iso3),
    website     TEXT NOT NULL DEFAULT '',
    ecosoc      TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX organizations_kind_sort ON organizations(kind, sort_name, id);

CREATE TABLE organization_members (
    org_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    state       TEXT NOT NULL REFERENCES states(iso3),
    PRIMARY KEY (org_id, state)
);

CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL DEFAULT '',
    state       TEXT REFERENCES states(iso3),
    org_id      INTEGER REFERENCES organizations(id),
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX persons_name ON persons(name, id);
CREATE INDEX persons_org ON persons(org_id);
CREATE INDEX persons_state ON persons(state);

CREATE TABLE delegations (
    id          INTEGER PRIMARY KEY,
    state       TEXT NOT NULL REFERENCES states(iso3),
    session     TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    role        TEXT NOT NULL,
    UNIQUE (state, session, person_id)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    state         TEXT REFERENCES states(iso3),
    org_id        INTEGER REFERENCES organizations(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL
);

-- Sessions are looked up by the SHA-256 of the cookie token: one indexed
-- read, and a database leak does not reveal usable tokens.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    before_digest BLOB,
    after_digest  BLOB,
    public       BOOLEAN NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);

-- tlog stored hashes, keyed by tlog storage index.
CREATE TABLE audit_tree (
    idx   INTEGER PRIMARY KEY,
    hash  BLOB NOT NULL
);

CREATE TABLE audit_checkpoints (
    size       INTEGER PRIMARY KEY,
    note       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE secrets;
DROP TABLE audit_checkpoints;
DROP TABLE audit_tree;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE delegations;
DROP TABLE persons;
DROP TABLE organization_members;
DROP TABLE organizations;
DROP TABLE state_classifications;
DROP TABLE classification_schemes;
DROP TABLE group_memberships;
DROP TABLE regional_groups;
DROP TABLE states;
DROP TABLE processes;
