-- +goose Up
-- One full-text index over the record (issue 12, doc/record.md "Search"):
-- one row per source and language (a document's version, a decision, an
-- organisation, a State; statements plug in the same way). folded is the
-- text as package textfold folds it (case, accents, Arabic letter forms
-- and tashkeel, CJK as characters and pairs), tokens separated by spaces,
-- so the FTS5 tokenizer only splits on spaces and both engines index the
-- same tokens. visibility is who may see the entry (a document's
-- distribution, "confidential" for the Secretariat alone) and every query
-- filters on it. bodies, meetings and states are the facets as ",a,b,",
-- one LIKE each, as record_documents.langs.
CREATE TABLE search_entries (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    lang        TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    bodies      TEXT NOT NULL,
    meetings    TEXT NOT NULL,
    states      TEXT NOT NULL,
    entry_date  TIMESTAMP,
    title       TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    folded      TEXT NOT NULL,
    UNIQUE (kind, ref, lang)
);
CREATE INDEX search_entries_date ON search_entries(entry_date, id);
-- The narrow columns of every entry by id: counting and ordering the
-- matches of a search reads this index only, not the rows with their
-- texts (78 ms to 6 ms for 2,800 matches at seed --scale 1).
CREATE INDEX search_entries_facets ON search_entries(id, visibility, kind, lang, entry_date, bodies, meetings, states);
-- The FTS5 index reads its text from search_entries (external content)
-- and the triggers keep it in step: entries are only inserted and deleted.
CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_entries', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
-- +goose StatementBegin
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_entries_ad;
DROP TRIGGER search_entries_ai;
DROP TABLE search_fts;
DROP TABLE search_entries;
