-- +goose Up
-- ECOSOC status is established by the identifier the list gives each
-- organisation, never by a name: the Secretariat records the identifier on
-- the organisation, and the list is keyed on it. The old list, keyed on
-- names, cannot be matched that way and is dropped: import it again with
-- its identifiers.
ALTER TABLE organizations ADD COLUMN ecosoc_id TEXT NOT NULL DEFAULT '';
DROP TABLE ecosoc_list;
CREATE TABLE ecosoc_list (
    ecosoc_id TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    category  TEXT NOT NULL
);

-- +goose Down
DROP TABLE ecosoc_list;
CREATE TABLE ecosoc_list (
    name_key TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    category TEXT NOT NULL
);
ALTER TABLE organizations DROP COLUMN ecosoc_id;
