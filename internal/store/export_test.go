package store

import "context"

// ClearSearchForTest empties the search index outside any audited write,
// as migration 00034 does, for the test that opening the store fills it
// again.
func (db *DB) ClearSearchForTest(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, "DELETE FROM search_entries")
	return err
}
