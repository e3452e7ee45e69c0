-- +goose Up
-- Issue 13, second slice of the cooperation portal.
--
-- 1. The matching reads narrow rows: the fields it compares (areas,
-- languages, regions; the dates are columns already) and the title it
-- shows are kept in columns, comma-separated, so that scoring the offers
-- of an area no longer reads and decodes every offer's whole document.
ALTER TABLE capacity_offers ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE capacity_offers ADD COLUMN areas TEXT NOT NULL DEFAULT '';
ALTER TABLE capacity_offers ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE capacity_offers ADD COLUMN regions TEXT NOT NULL DEFAULT '';
UPDATE capacity_offers SET
    title = COALESCE(json_extract(doc, '$.Title'), ''),
    areas = COALESCE((SELECT group_concat(value, ',') FROM json_each(doc, '$.Areas')), ''),
    languages = COALESCE((SELECT group_concat(value, ',') FROM json_each(doc, '$.Languages')), ''),
    regions = COALESCE((SELECT group_concat(value, ',') FROM json_each(doc, '$.Regions')), '');

-- 2. Projects: from a match both sides agreed to (need_id and offer_id),
-- or entered directly (no need). A match becomes one project only.
CREATE TABLE capacity_projects (
    id          INTEGER PRIMARY KEY,
    process     TEXT NOT NULL,
    beneficiary TEXT NOT NULL,
    area        TEXT NOT NULL,
    status      TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    need_id     INTEGER REFERENCES capacity_needs(id),
    offer_id    INTEGER REFERENCES capacity_offers(id),
    from_day    TIMESTAMP NOT NULL,
    until_day   TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    doc         TEXT NOT NULL
);
CREATE UNIQUE INDEX capacity_projects_match ON capacity_projects(need_id, offer_id);
CREATE INDEX capacity_projects_list ON capacity_projects(process, visibility, id);

-- 3. The events calendar: trainings and roundtables, public.
CREATE TABLE capacity_events (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    area       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX capacity_events_start ON capacity_events(process, starts_at, id);

-- +goose Down
DROP TABLE capacity_events;
DROP TABLE capacity_projects;
ALTER TABLE capacity_offers DROP COLUMN regions;
ALTER TABLE capacity_offers DROP COLUMN languages;
ALTER TABLE capacity_offers DROP COLUMN areas;
ALTER TABLE capacity_offers DROP COLUMN title;
