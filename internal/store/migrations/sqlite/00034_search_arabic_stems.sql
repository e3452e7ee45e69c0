-- +goose Up
-- The search folding now indexes an Arabic word with its light stem (the
-- article and the conjunction removed: والثقة also as ثقه) and queries
-- look for stems (package textfold). Entries folded before would not be
-- found by the stem, so the index is emptied here and filled again, with
-- the new folding, when the store is next opened (ensureSearch).
DELETE FROM search_entries;

-- +goose Down
-- Nothing to restore: the index is rebuilt from the record at start-up.
SELECT 1;
