package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"concord"
	"concord/internal/search"
	"concord/internal/store"
	"concord/meeting"
)

// searchView is the data of the search page.
type searchView struct {
	Results search.Results
	Items   []searchItem
	Pager   pager
	Kinds   []FieldOption // with their counts
	Langs   []FieldOption
	Bodies  []FieldOption
}

// searchItem is one result as the page shows it.
type searchItem struct {
	Kind    string
	URL     string
	Title   string
	Lang    string
	Day     string        // the date (YYYY-MM-DD), empty when undated
	Snippet template.HTML // escaped by search.Snippet, marks added after
}

// searchPage is /{lang}/search: the form with its facets and, once asked,
// one page of results. Two statements for any search (the counts, the
// page).
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "search.title", nil)
	p.Form = r.URL.Query()
	v := searchView{}
	sq, qerr := search.Parse(p.Form)
	status := http.StatusOK
	if qerr == nil {
		svc := &search.Service{DB: s.DB}
		u := UserFrom(r.Context())
		res, err := svc.Search(r.Context(), u, sq)
		if err != nil {
			return err
		}
		// The service clamps a page past the end as the pager does.
		v.Results, v.Pager = res, pagerOnly(newPager(r, res.Total, search.PageSize))
		for _, e := range res.Results {
			it := searchItem{Kind: e.Kind, URL: p.URL(search.Path(e.SearchEntry)), Title: e.Title, Lang: e.Lang, Snippet: template.HTML(e.Snippet)}
			if !e.Date.IsZero() {
				it.Day = e.Date.Format(time.DateOnly)
			}
			v.Items = append(v.Items, it)
		}
	} else {
		status = Status(concord.EInvalid)
		p.SetErr(qerr)
	}
	for _, k := range store.SearchKinds {
		v.Kinds = append(v.Kinds, FieldOption{Value: k, Label: p.T("search.kind."+k) + count(v.Results.Asked, v.Results.Kinds[k])})
	}
	for _, l := range concord.Languages {
		v.Langs = append(v.Langs, FieldOption{Value: l, Label: p.LangLabel(l) + count(v.Results.Asked, v.Results.Langs[l])})
	}
	for _, b := range meeting.Bodies {
		v.Bodies = append(v.Bodies, FieldOption{Value: string(b), Label: p.T("meeting.body." + string(b))})
	}
	p.Data = v
	return s.render(w, r, status, "search", p)
}

// count is a facet's count after its label, once something was asked.
func count(asked bool, n int) string {
	if !asked {
		return ""
	}
	return " (" + strconv.Itoa(n) + ")"
}

// pagerOnly drops the offset newPager also returns.
func pagerOnly(p pager, _ int) pager { return p }
