package store

import (
	"encoding/json"
	"time"
)

// scanDoc reads a row of the columns "id, created_at, updated_at, doc"
// that the tables of domain documents share (meetings' statements,
// documents, POCs, needs, offers, projects, events, exercises, Fund calls
// and applications): the JSON of doc decoded into a T, then set gives it
// its id and times (UTC). A missing row is the domain's not-found error.
func scanDoc[T any](sc interface{ Scan(...any) error }, set func(v *T, id int64, created, updated time.Time)) (T, error) {
	var v T
	var id int64
	var created, updated time.Time
	var doc string
	if err := sc.Scan(&id, &created, &updated, &doc); err != nil {
		return v, notFound(err)
	}
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return v, err
	}
	set(&v, id, created.UTC(), updated.UTC())
	return v, nil
}
