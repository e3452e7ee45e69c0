package api

import (
	"net/http"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/search"
)

// The search over the record: the twin of /{lang}/search. Entries the
// caller may not see are neither listed nor counted.

func (a *API) searchRoutes() []Route {
	return []Route{
		{"GET", "/search", concord.ActRead, nil, "/search", a.search},
	}
}

// SearchResultJSON is one entry found.
type SearchResultJSON struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
	Lang string `json:"lang"`
	// Title is the source's title or name in Lang.
	Title string `json:"title"`
	// SnippetHTML is the text around the first match, HTML-escaped, the
	// matches in <mark>; empty when only the title matched.
	SnippetHTML string `json:"snippet_html"`
	Date        string `json:"date,omitempty"`
	URL         string `json:"url"`
}

// SearchJSON is one page of results, the total and the counts by kind and
// language of the whole search.
type SearchJSON struct {
	List[SearchResultJSON]
	Kinds     map[string]int `json:"kinds"`
	Languages map[string]int `json:"languages"`
}

func (a *API) search(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	var errs concord.Errors
	sq, err := search.Parse(q)
	errs.Add(err)
	limit, offset, err := page(q)
	errs.Add(err)
	if err := errs.Err(); err != nil {
		return 0, nil, err
	}
	sq.Limit, sq.Offset = limit, offset
	res, err := (&search.Service{DB: a.Decide.DB}).Search(r.Context(), auth.UserFrom(r.Context()), sq)
	if err != nil {
		return 0, nil, err
	}
	out := SearchJSON{List: List[SearchResultJSON]{Items: make([]SearchResultJSON, 0, len(res.Results)), Total: res.Total, Limit: limit, Offset: offset},
		Kinds: res.Kinds, Languages: res.Langs}
	for _, e := range res.Results {
		j := SearchResultJSON{Kind: e.Kind, Ref: e.Ref, Lang: e.Lang, Title: e.Title, SnippetHTML: e.Snippet, URL: "/api/v1" + search.Path(e.SearchEntry)}
		if !e.Date.IsZero() {
			j.Date = e.Date.Format(time.DateOnly)
		}
		out.Items = append(out.Items, j)
	}
	return http.StatusOK, out, nil
}
