package store

import "context"

// ClearSearchForTest empties the search index outside any audited write,
// as migration 00034 does, for the test that opening the store fills it
// again.
func (db *DB) ClearSearchForTest(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, "DELETE FROM search_entries")
	return err
}

// RawTOTPSecret returns the secret column as stored, for tests that check
// it is not readable.
func RawTOTPSecret(ctx context.Context, db *DB, userID int64) (string, error) {
	var s string
	err := db.r().row(ctx, "SELECT secret FROM totp_secrets WHERE user_id = $1", userID).Scan(&s)
	return s, err
}

// SetRawTOTPSecret writes the secret column as given, as a row from before
// sealing existed.
func SetRawTOTPSecret(ctx context.Context, db *DB, userID int64, s string) error {
	_, err := db.write.ExecContext(ctx, "UPDATE totp_secrets SET secret = $1 WHERE user_id = $2", s, userID)
	return err
}
