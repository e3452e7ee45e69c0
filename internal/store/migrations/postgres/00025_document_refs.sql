-- +goose Up
-- What a document names besides its meetings, one row per reference, so
-- that a State's feed and an agenda item's feed read their newest documents
-- from an index instead of scanning every document's JSON: "author:FRA",
-- "author:chair", "item:GM-2026-1/item-5" (doc/record.md). Written with the
-- document (store.SaveRecordDocument); the rows of documents already
-- stored are filled from their JSON here.
CREATE TABLE record_document_refs (
    ref         TEXT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES record_documents(id),
    PRIMARY KEY (ref, document_id)
);
INSERT INTO record_document_refs (ref, document_id)
    SELECT DISTINCT 'author:' || a, d.id FROM record_documents d,
        jsonb_array_elements_text(CASE WHEN jsonb_typeof(d.doc::jsonb -> 'Authors') = 'array' THEN d.doc::jsonb -> 'Authors' ELSE '[]'::jsonb END) a;
INSERT INTO record_document_refs (ref, document_id)
    SELECT DISTINCT 'item:' || (i ->> 'Session') || '/' || (i ->> 'Item'), d.id FROM record_documents d,
        jsonb_array_elements(CASE WHEN jsonb_typeof(d.doc::jsonb -> 'Items') = 'array' THEN d.doc::jsonb -> 'Items' ELSE '[]'::jsonb END) i
    ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE record_document_refs;
