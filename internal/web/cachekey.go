package web

import (
	"net/http"
	"slices"
	"strings"

	"concord"
	"concord/internal/i18n"
)

// pageQuery lists, by HTML route path, the query parameters the page reads.
// Any other parameter is removed before the handler runs and is not part
// of a cache key: a response depends only on what its route declares, so
// junk query strings cannot multiply cache entries. A page that starts
// reading a new parameter must declare it here (TestQueryDeclared checks the
// names read in this package).
var pageQuery = map[string][]string{
	"/states":                                {"group"},
	"/organizations":                         {"kind", "type", "country", "q", "page"},
	"/persons":                               {"state", "q", "page"},
	"/log":                                   {"kind", "subject", "from", "to", "page"},
	"/login":                                 {"next", "expired", "reset", "deleted"},
	"/password/reset":                        {"token"},
	"/account/email/verify":                  {"token"},
	"/poc/ack":                               {"token"},
	"/poc/messages/new":                      {"template", "to"},
	"/rules":                                 {"at"},
	"/admin/appointments":                    {"past"},
	"/accreditation/windows/{id}":            {"list", "page"},
	"/accreditation/windows/{id}/simulation": {"rule", "page"},
	"/agendas/new":                           {"session"},
	"/sessions/{code}/diff":                  {"from", "to", "language"},
	"/briefers":                              {"dtg", "meeting"},
	"/meetings":                              {"body", "when", "page"},
	"/admin/signups":                         {"status", "page"},
	"/documents":                             {"type", "meeting", "language", "page"},
	"/search":                                {"q", "kind", "language", "body", "state", "meeting", "from", "to", "page"},
	"/statements":                            {"speaker", "meeting", "session", "item", "page"},
	"/positions/map":                         {"session", "body", "show"},
	"/states/{iso3}/record":                  {"page"},
	"/portal":                                {"area", "page"},
	"/portal/offers":                         {"area", "page"},
	"/portal/projects":                       {"area", "status", "page"},
	"/portal/needs/{id}":                     {"interest"},
	"/exercises/{id}":                        {"saved", "answered"},
	"/cofacilitators/{dtg}":                  {"term"},
	"/cofacilitators/check":                  {"dtg", "person1", "person2", "state1", "state2", "gender1", "gender2", "expertise1", "expertise2"},
}

// everyPageQuery is read by every page: the "saved" notice after a write,
// and the input kept across a change of language (RestoreParam).
var everyPageQuery = []string{"saved", RestoreParam}

// canonical returns r with its query reduced to the parameters its route
// declares, in a fixed order, and the key of its response in the page
// caches: the path, those parameters and, where the language comes from a
// header rather than the path (the API), the language. byHeader reports
// that last case, for Vary: Accept-Language.
func (s *Server) canonical(r *http.Request) (_ *http.Request, key string, byHeader bool) {
	var declared []string
	if strings.HasPrefix(r.URL.Path, "/api/v1/") {
		byHeader = true
		if s.APIQuery != nil {
			declared = s.APIQuery(r)
		}
	} else if s.mux != nil {
		_, pattern := s.mux.Handler(r)
		if _, path, ok := strings.Cut(pattern, " "); ok {
			// "/en/states" -> "/states"
			if l, rest, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/"); ok && concord.IsLanguage(l) {
				declared = append(pageQuery["/"+rest], everyPageQuery...)
			}
		}
	}
	raw := ""
	if r.URL.RawQuery != "" && len(declared) > 0 {
		q := r.URL.Query()
		for k := range q {
			if !slices.Contains(declared, k) {
				delete(q, k)
			}
		}
		raw = q.Encode() // sorted by key
	}
	if raw != r.URL.RawQuery {
		u := *r.URL
		u.RawQuery = raw
		r = r.WithContext(r.Context())
		r.URL = &u
		r.RequestURI = u.RequestURI()
	}
	key = r.URL.RequestURI()
	if byHeader {
		key += "\x00" + requestLang(r)
	}
	return r, key, byHeader
}

// requestLang is the API's language: ?lang=, then Accept-Language.
func requestLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); concord.IsLanguage(l) {
		return l
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}
