-- +goose Up
-- What a document names besides its meetings, one row per reference, so
-- that a State's feed and an agenda item's feed read their newest documents
-- from an index instead of scanning every document's JSON: "author:FRA",
-- "author:chair", "item:GM-2026-1/item-5" (doc/record.md). Written with the
-- document (store.SaveRecordDocument); the rows of documents already
-- stored are filled from their JSON here.
CREATE TABLE record_document_refs (
    ref         TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES record_documents(id),
    PRIMARY KEY (ref, document_id)
);
INSERT OR IGNORE INTO record_document_refs (ref, document_id)
    SELECT 'author:' || a.value, d.id FROM record_documents d, json_each(d.doc, '$.Authors') a WHERE a.type = 'text';
INSERT OR IGNORE INTO record_document_refs (ref, document_id)
    SELECT 'item:' || json_extract(i.value, '$.Session') || '/' || json_extract(i.value, '$.Item'), d.id
    FROM record_documents d, json_each(d.doc, '$.Items') i WHERE i.type = 'object';

-- +goose Down
DROP TABLE record_document_refs;
