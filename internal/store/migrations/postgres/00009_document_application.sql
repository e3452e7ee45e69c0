-- +goose Up
-- A document belongs to the application it was uploaded for: the upload
-- quota counts that application's files (not everything its organisation
-- uploaded since it was created, which took other windows' and parallel
-- uploads into the count), and a document without an application cannot
-- be stored. Existing documents are linked to the application whose letter
-- they are, else to the application whose letter replaced them, else to
-- their organisation's latest application. One that no application can
-- claim stays unlinked: deleting it would be a row the audit log still
-- records. New rows must name an application: the constraint is NOT VALID,
-- checked on every insert and update but not against the old rows (SQLite
-- does the same with triggers).
ALTER TABLE documents ADD COLUMN application_id BIGINT REFERENCES accreditation_applications(id);
UPDATE documents d SET application_id = (
    SELECT a.id FROM accreditation_applications a
    WHERE a.org_id = d.org_id AND (a.doc::jsonb -> 'Content' ->> 'Letter') = d.id::text
    ORDER BY a.id LIMIT 1);
UPDATE documents d SET application_id = (
    SELECT l.application_id FROM documents l
    WHERE l.org_id = d.org_id AND l.id > d.id AND l.application_id IS NOT NULL
    ORDER BY l.id LIMIT 1)
WHERE application_id IS NULL;
UPDATE documents d SET application_id = (
    SELECT MAX(a.id) FROM accreditation_applications a WHERE a.org_id = d.org_id)
WHERE application_id IS NULL;
CREATE INDEX documents_application ON documents(application_id);
ALTER TABLE documents ADD CONSTRAINT documents_application_required CHECK (application_id IS NOT NULL) NOT VALID;

-- +goose Down
ALTER TABLE documents DROP CONSTRAINT documents_application_required;
DROP INDEX documents_application;
ALTER TABLE documents DROP COLUMN application_id;
