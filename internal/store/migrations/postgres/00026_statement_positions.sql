-- +goose Up
-- The positions register and the map (issue 12, doc/record.md) read the
-- statements that carry positions which still count: positions is how many
-- stances a statement carries while it stands, 0 once withdrawn
-- (statement.Statement.Positions), so an item's, a session's or a State's
-- positions are read from a small partial index instead of every
-- statement's JSON. Rows already stored are filled from their JSON.
ALTER TABLE statements ADD COLUMN positions INTEGER NOT NULL DEFAULT 0;
UPDATE statements SET positions = jsonb_array_length(doc::jsonb -> 'Stances')
    WHERE jsonb_typeof(doc::jsonb -> 'Stances') = 'array' AND NOT (doc::jsonb ? 'Withdrawn');
CREATE INDEX statements_positions ON statements(process, session, item) WHERE positions > 0;
CREATE INDEX statements_speaker_positions ON statements(process, speaker) WHERE positions > 0;

-- +goose Down
DROP INDEX statements_speaker_positions;
DROP INDEX statements_positions;
ALTER TABLE statements DROP COLUMN positions;
