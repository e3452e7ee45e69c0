-- +goose Up
-- A document belongs to the application it was uploaded for: the upload
-- quota counts that application's files (not everything its organisation
-- uploaded since it was created, which took other windows' and parallel
-- uploads into the count), and a document without an application cannot
-- be stored. Existing documents are linked to the application whose letter
-- they are, else to the application whose letter replaced them, else to
-- their organisation's latest application. One that no application can
-- claim stays unlinked: deleting it would be a row the audit log still
-- records. New rows must name an application (the trigger), as PostgreSQL
-- enforces with a constraint not validated against the old rows.
ALTER TABLE documents ADD COLUMN application_id INTEGER REFERENCES accreditation_applications(id);
UPDATE documents SET application_id = (
    SELECT a.id FROM accreditation_applications a
    WHERE a.org_id = documents.org_id AND json_extract(a.doc, '$.Content.Letter') = CAST(documents.id AS TEXT)
    ORDER BY a.id LIMIT 1);
UPDATE documents SET application_id = (
    SELECT l.application_id FROM documents l
    WHERE l.org_id = documents.org_id AND l.id > documents.id AND l.application_id IS NOT NULL
    ORDER BY l.id LIMIT 1)
WHERE application_id IS NULL;
UPDATE documents SET application_id = (
    SELECT MAX(a.id) FROM accreditation_applications a WHERE a.org_id = documents.org_id)
WHERE application_id IS NULL;
CREATE INDEX documents_application ON documents(application_id);
-- +goose StatementBegin
CREATE TRIGGER documents_application_required BEFORE INSERT ON documents
WHEN NEW.application_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'documents.application_id: a document belongs to an application');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_application_kept BEFORE UPDATE OF application_id ON documents
WHEN NEW.application_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'documents.application_id: a document belongs to an application');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER documents_application_kept;
DROP TRIGGER documents_application_required;
DROP INDEX documents_application;
CREATE TABLE documents_old (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
INSERT INTO documents_old SELECT id, org_id, name, content_type, size, sha256, data, created_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_old RENAME TO documents;
