-- +goose Up
-- The process's documents (issue 12, doc/record.md): one row per document,
-- its domain value (document.Document) in doc, and the columns lists and
-- filters query. The upload table "documents" belongs to accreditation
-- (every row an organisation's); these are record_documents.
-- langs lists the languages a version can be read in, as ",en,fr,", so the
-- language filter is one LIKE on the row the date index already visits.
CREATE TABLE record_documents (
    id           INTEGER PRIMARY KEY,
    process      TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    base_symbol  TEXT NOT NULL,
    type         TEXT NOT NULL,
    distribution TEXT NOT NULL,
    doc_date     TIMESTAMP NOT NULL,
    langs        TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    doc          TEXT NOT NULL,
    UNIQUE (process, symbol)
);
-- Newest first, for the whole process or one type; a family of revisions
-- and corrigenda by its base symbol, in the order of their symbols (without
-- symbol here, the planner walks the unique index for the order instead).
CREATE INDEX record_documents_date ON record_documents(process, doc_date, id);
CREATE INDEX record_documents_type_date ON record_documents(process, type, doc_date, id);
CREATE INDEX record_documents_base ON record_documents(process, base_symbol, symbol);
-- A list's total counted from the index alone: what the reader may see,
-- the type and language filters, without reading the documents' rows.
CREATE INDEX record_documents_count ON record_documents(process, distribution, type, langs);
-- The meetings a document concerns, for a meeting's documents and the
-- meeting filter.
CREATE TABLE record_document_meetings (
    document_id INTEGER NOT NULL REFERENCES record_documents(id),
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    PRIMARY KEY (meeting_id, document_id)
);
-- The file of a language version; its name, type, size and SHA-256 are
-- also in the document's value, which the audit entry covers.
CREATE TABLE record_document_files (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES record_documents(id),
    lang         TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX record_document_files_doc ON record_document_files(document_id);

-- +goose Down
DROP TABLE record_document_files;
DROP TABLE record_document_meetings;
DROP TABLE record_documents;
