package api

import (
	"net/http"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/home"
)

// WaitingItemJSON is one thing waiting for the signed-in person: the twin of
// an item of the home page (/{lang}/home).
type WaitingItemJSON struct {
	Kind     home.Kind    `json:"kind"`
	Title    concord.Text `json:"title"`
	Status   *string      `json:"status"`
	Count    *int         `json:"count"`
	Deadline *time.Time   `json:"deadline"`
	Page     string       `json:"page"`     // the web page, without the language prefix
	Resource string       `json:"resource"` // the API resource
}

// WaitingJSON is what is waiting for the signed-in person, earliest deadline
// first, then the meetings coming up.
type WaitingJSON struct {
	Items []WaitingItemJSON `json:"items"`
}

// myWaiting is GET /me/waiting.
func (a *API) myWaiting(r *http.Request) (int, any, error) {
	svc := &home.Service{DB: a.DB, Process: concord.DefaultProcessCode}
	items, err := svc.Waiting(r.Context(), auth.UserFrom(r.Context()), a.DB.Now())
	if err != nil {
		return 0, nil, err
	}
	out := WaitingJSON{Items: []WaitingItemJSON{}}
	for _, it := range items {
		j := WaitingItemJSON{Kind: it.Kind, Title: text(it.Title), Page: it.Path, Resource: "/api/v1" + apiPath(it)}
		if it.Status != "" {
			j.Status = &it.Status
		}
		if it.Kind == home.KindNominations {
			j.Count = &it.Count
		}
		if !it.Deadline.IsZero() {
			d := it.Deadline.UTC()
			j.Deadline = &d
		}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}

// apiPath is the API resource of an item's page.
func apiPath(it home.Item) string {
	if it.Kind == home.KindNominations {
		return "/cofacilitators/nominations?dtg=" + it.Path[len("/cofacilitators/"):]
	}
	return it.Path
}
