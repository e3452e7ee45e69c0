package api_test

import (
	"fmt"
	"slices"
	"testing"

	"concord"
	"concord/internal/store"
)

// errorFields are the fields of an error answer's errors array, in order.
func errorFields(body map[string]any) []string {
	var out []string
	for _, x := range list(body["errors"]) {
		out = append(out, fmt.Sprint(obj(x)["field"]))
	}
	return out
}

// TestProposalErrorsAllAtOnce: a decision, a briefer nomination and an
// agenda wrong in several fields are refused with every problem in the
// errors array (the first also as "error"), in the documented shape; each
// stopped at its first problem.
func TestProposalErrorsAllAtOnce(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		createUser(t, db, concord.User{Username: "chair", Role: concord.RoleChair})
		createUser(t, db, concord.User{Username: "fra", Role: concord.RoleDelegate, State: "FRA"})
		e.signIn("chair")
		e.signIn("fra")
		for _, c := range []struct {
			name, op, path, as string
			body               any
			fields             []string
		}{
			{"decision", "POST /decisions", "/decisions", "chair",
				map[string]any{"kind": "treaty", "title": map[string]string{"en": ""}, "proposal": map[string]string{"en": ""}, "modality": "vote", "period_hours": -1},
				[]string{"title", "period", "modality", "kind", "proposal"}},
			{"briefer", "POST /briefers", "/briefers", "fra",
				map[string]any{"name": "", "affiliation": "", "dtg": "DTG-9", "meeting_date": "next week"},
				[]string{"name", "affiliation", "dtg", "meeting_date"}},
			{"agenda", "POST /agendas", "/agendas", "chair",
				map[string]any{"session": "no such session!", "items": []map[string]any{{"number": "1", "title": map[string]string{"en": "Opening"}},
					{"number": "2", "title": map[string]string{}}, {"number": "", "title": map[string]string{"en": "Organisation of work"}}, {"number": "1", "title": map[string]string{"en": "Adoption"}}}},
				[]string{"session", "items[1].title", "items[3].number", "items[2].number"}},
		} {
			got := obj(e.do(call{name: c.name, op: c.op, method: "POST", path: c.path, as: c.as, ct: "application/json", body: jsonBody(c.body), status: 422, field: c.fields[0]}))
			if f := errorFields(got); !slices.Equal(f, c.fields) {
				t.Errorf("%s: errors on %q, want %q: %s", c.name, f, c.fields, short(got))
			}
		}
	})
}
