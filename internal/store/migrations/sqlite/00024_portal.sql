-- +goose Up
-- The cooperation and capacity-building portal (issue 13): needs posted by
-- States, offers by States and organisations, and the interest each side
-- of a match expresses. Each row keeps its domain value (capacity.Need,
-- capacity.Offer) in doc, with the columns the lists and the matching
-- query.
CREATE TABLE capacity_needs (
    id         INTEGER PRIMARY KEY,
    process    TEXT NOT NULL,
    state      TEXT NOT NULL,
    area       TEXT NOT NULL,
    visibility TEXT NOT NULL,
    from_day   TIMESTAMP NOT NULL,
    until_day  TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    doc        TEXT NOT NULL
);
-- Lists: newest first, for everyone (public needs) or for States (all),
-- optionally one area.
CREATE INDEX capacity_needs_list ON capacity_needs(process, visibility, id);
CREATE INDEX capacity_needs_area ON capacity_needs(process, area, id);
CREATE INDEX capacity_needs_state ON capacity_needs(state, id);

CREATE TABLE capacity_offers (
    id             INTEGER PRIMARY KEY,
    process        TEXT NOT NULL,
    provider_state TEXT NOT NULL,
    provider_org   INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    from_day       TIMESTAMP NOT NULL,
    until_day      TIMESTAMP NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    doc            TEXT NOT NULL
);
CREATE INDEX capacity_offers_list ON capacity_offers(process, id);
-- The areas an offer covers, one row each: the matching reads the offers
-- of one area only.
CREATE TABLE capacity_offer_areas (
    area     TEXT NOT NULL,
    offer_id INTEGER NOT NULL REFERENCES capacity_offers(id),
    PRIMARY KEY (area, offer_id)
);
CREATE INDEX capacity_offer_areas_offer ON capacity_offer_areas(offer_id);

-- One side's interest in the match of a need and an offer, once.
CREATE TABLE capacity_interests (
    need_id  INTEGER NOT NULL REFERENCES capacity_needs(id),
    offer_id INTEGER NOT NULL REFERENCES capacity_offers(id),
    side     TEXT NOT NULL,
    at       TIMESTAMP NOT NULL,
    PRIMARY KEY (need_id, offer_id, side)
);
CREATE INDEX capacity_interests_offer ON capacity_interests(offer_id);

-- +goose Down
DROP TABLE capacity_interests;
DROP TABLE capacity_offer_areas;
DROP TABLE capacity_offers;
DROP TABLE capacity_needs;
