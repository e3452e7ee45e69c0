package store

import (
	"strconv"
	"strings"
)

// noticesSentChunk bounds the placeholders of one statement (SQLite
// allows 32,766, PostgreSQL 65,535).
const noticesSentChunk = 1000

// NoticesSent reports which of the dedupe keys a notice was already
// recorded under, in one statement per thousand keys: a scheduler checks
// its reminders with it and writes only when one is missing, so a run with
// nothing new writes nothing.
func (r Reader) NoticesSent(keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	for len(keys) > 0 {
		n := min(len(keys), noticesSentChunk)
		chunk := keys[:n]
		keys = keys[n:]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, k := range chunk {
			marks[i] = "$" + strconv.Itoa(i+1)
			args[i] = k
		}
		rows, err := r.query(r.ctx, "SELECT dedupe FROM notices WHERE dedupe IN ("+strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
