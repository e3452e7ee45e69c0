package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"concord"
	"concord/internal/cachectl"
	"concord/internal/httperr"
)

// HandlerFunc is a page handler: it writes a response or returns an error,
// which the route wrapper renders as a localised error page.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one HTML route. Its Action and Target say who may use it; the
// wrapper checks concord.Can before the handler runs, so no handler can
// forget the check.
type Route struct {
	Method string
	Path   string // after the /{lang} prefix
	Action concord.Action
	// Target extracts the object the action concerns (nil: none).
	Target func(r *http.Request) concord.Target
	// Sample is a concrete path for the permission matrix test.
	Sample  string
	Handler HandlerFunc
}

func stateTarget(r *http.Request) concord.Target { return concord.Target{State: r.PathValue("iso3")} }

func orgTarget(r *http.Request) concord.Target {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return concord.Target{OrgID: id}
}

// Routes is the HTML route table.
func (s *Server) Routes() []Route {
	routes := []Route{
		{"GET", "/{$}", concord.ActRead, nil, "/", s.home},
		{"GET", "/states", concord.ActRead, nil, "/states", s.statesList},
		{"GET", "/states/{iso3}", concord.ActRead, nil, "/states/FRA", s.statePage},
		{"GET", "/states/{iso3}/edit", concord.ActEditState, stateTarget, "/states/FRA/edit", s.stateEdit},
		{"POST", "/states/{iso3}/delegation", concord.ActEditState, stateTarget, "/states/FRA/delegation", s.stateAddDelegate},
		{"POST", "/states/{iso3}/classification", concord.ActEditState, stateTarget, "/states/FRA/classification", s.stateSetCategory},
		{"GET", "/groups", concord.ActRead, nil, "/groups", s.groupsList},
		{"GET", "/groups/{code}", concord.ActRead, nil, "/groups/WEOG", s.groupPage},
		{"GET", "/organizations", concord.ActRead, nil, "/organizations", s.orgsList},
		{"GET", "/organizations/new", concord.ActEditRegistry, nil, "/organizations/new", s.orgNew},
		{"POST", "/organizations", concord.ActEditRegistry, nil, "/organizations", s.orgCreate},
		{"GET", "/organizations/{id}", concord.ActRead, nil, "/organizations/1", s.orgPage},
		{"GET", "/organizations/{id}/edit", concord.ActEditOrg, orgTarget, "/organizations/1/edit", s.orgEdit},
		{"POST", "/organizations/{id}", concord.ActEditOrg, orgTarget, "/organizations/1", s.orgUpdate},
		{"GET", "/persons", concord.ActRead, nil, "/persons", s.personsList},
		{"GET", "/persons/{id}", concord.ActRead, nil, "/persons/1", s.personPage},
		{"GET", "/log", concord.ActRead, nil, "/log", s.logPage},
		{"GET", "/search", concord.ActRead, nil, "/search", s.searchPage},
		{"GET", "/login", concord.ActRead, nil, "/login", s.loginForm},
		{"POST", "/login", concord.ActRead, nil, "/login", s.login},
		{"POST", "/logout", concord.ActAccount, nil, "/logout", s.logout},
		{"GET", "/home", concord.ActAccount, nil, "/home", s.mine},
		{"GET", "/account", concord.ActAccount, nil, "/account", s.account},
		{"GET", "/account/sessions", concord.ActAccount, nil, "/account/sessions", s.accountSessions},
		{"POST", "/account/sessions/{id}/revoke", concord.ActAccount, nil, "/account/sessions/0000000000000000/revoke", s.revokeSession},
		{"GET", "/admin/users", concord.ActManageUsers, nil, "/admin/users", s.usersPage},
		{"POST", "/admin/users", concord.ActManageUsers, nil, "/admin/users", s.userCreate},
	}
	routes = append(routes, s.accreditationRoutes()...)
	routes = append(routes, s.decisionRoutes()...)
	routes = append(routes, s.cofacRoutes()...)
	routes = append(routes, s.ruleRoutes()...)
	routes = append(routes, s.topicRoutes()...)
	routes = append(routes, s.agendaRoutes()...)
	routes = append(routes, s.brieferRoutes()...)
	routes = append(routes, s.meetingRoutes()...)
	routes = append(routes, s.pocRoutes()...)
	routes = append(routes, s.pocMessageRoutes()...)
	routes = append(routes, s.portalRoutes()...)
	routes = append(routes, s.fundRoutes()...)
	routes = append(routes, s.exerciseRoutes()...)
	routes = append(routes, s.normsRoutes()...)
	routes = append(routes, s.projectRoutes()...)
	routes = append(routes, s.documentRoutes()...)
	routes = append(routes, s.statementRoutes()...)
	routes = append(routes, s.positionRoutes()...)
	routes = append(routes, s.feedRoutes()...)
	routes = append(routes, s.emailRoutes()...)
	routes = append(routes, s.signupRoutes()...)
	routes = append(routes, s.personalRoutes()...)
	routes = append(routes, s.delegationRoutes()...)
	routes = append(routes, s.twoFactorRoutes()...)
	routes = append(routes, s.passkeyRoutes()...)
	return routes
}

// route wraps a Route for one language with the permission check and
// error rendering.
func (s *Server) route(rt Route, lang string) http.Handler {
	confirm := s.confirmations()[rt.Method+" "+rt.Path]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(WithLang(r.Context(), lang))
		u := UserFrom(r.Context())
		var t concord.Target
		if rt.Target != nil {
			t = rt.Target(r)
		}
		if !concord.Can(u, rt.Action, t) {
			if u == nil {
				// Not signed in: go to the login page and come back.
				next := r.URL.Path
				if r.Method == http.MethodGet && r.URL.RawQuery != "" {
					next += "?" + r.URL.RawQuery
				}
				q := url.Values{"next": {next}}
				if r.Context().Value(expiredKey) != nil {
					q.Set("expired", "1")
				}
				http.Redirect(w, r, "/"+lang+"/login?"+q.Encode(), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed"))
			return
		}
		if u != nil && r.Method == http.MethodGet && rt.Action == concord.ActRead && s.caching() {
			// A public page seen by a signed-in user: reuse its content
			// (the query was reduced to the route's own by conditional).
			ver, err := s.version(r.Context())
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			key := audience(u) + " " + r.URL.RequestURI()
			if c, ok := s.contents.get(key); ok && c.version == ver && cachectl.Fresh(c.until, s.DB.Now()) {
				p := s.newPage(r, "", nil)
				p.Title, p.Content, p.slots, p.Feeds = c.title, c.content, c.slots, c.feeds
				if err := s.writeLayout(w, r, http.StatusOK, p); err != nil {
					s.renderError(w, r, err)
				}
				return
			}
			ctx, exp := cachectl.With(r.Context())
			r = r.WithContext(context.WithValue(ctx, contentKey, contentSlot{key, ver, exp}))
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.serveWrite(w, r, confirm, rt.Handler)
			return
		}
		if err := rt.Handler(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// Status and AsDomain are the shared error mapping.
var (
	Status   = httperr.Status
	AsDomain = httperr.AsDomain
)
