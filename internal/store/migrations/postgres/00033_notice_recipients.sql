-- +goose Up
-- The recipients of a notice (store.NoticeEmails) are a State's delegates
-- or an organisation's focal points: without these indexes every notice
-- read the whole users table, and a round's decision at the scale of issue
-- 11 (5,000 organisations, 1,000 delegates) read it 5,000 times.
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_state_role ON users(state, role);

-- +goose Down
DROP INDEX users_state_role;
DROP INDEX users_org;
