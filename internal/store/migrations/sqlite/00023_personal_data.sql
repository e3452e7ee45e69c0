-- +goose Up
-- A person's own data, read for its export and erased with the account
-- (issue 11): the entries a person wrote, found by the pseudonymous actor
-- ("user:N") the logs record, and the mail addressed to them.
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX account_log_actor ON account_log (actor, seq);
CREATE INDEX outbox_recipients ON outbox (recipients);
-- Notices addressed to a role (the Chair, the Secretariat) rather than to
-- a State's delegates or an organisation's focal points.
ALTER TABLE notices ADD COLUMN role TEXT;
CREATE INDEX notices_role ON notices (role, id);

-- +goose Down
DROP INDEX notices_role;
ALTER TABLE notices DROP COLUMN role;
DROP INDEX outbox_recipients;
DROP INDEX account_log_actor;
DROP INDEX audit_log_actor;
