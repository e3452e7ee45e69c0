// Package api serves the JSON API under /api/v1. Every route is listed in
// Routes with the permission it needs, and described in openapi.json, which
// a test keeps in step with the route table.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"concord"
	"concord/internal/accredit"
	"concord/internal/auth"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/httperr"
	"concord/internal/i18n"
	"concord/internal/store"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 description of the API.
func OpenAPI() []byte { return openAPI }

// API holds what the handlers need.
type API struct {
	DB       *store.DB
	Accredit *accredit.Service
	Decide   *decide.Service
	CoFac    *cofac.Service
	Cat      *i18n.Catalog
	Log      *slog.Logger
}

// HandlerFunc answers with a value to encode as JSON, or an error.
type HandlerFunc func(r *http.Request) (status int, body any, err error)

// Route is one API route.
type Route struct {
	Method  string
	Path    string // under /api/v1
	Action  concord.Action
	Target  func(r *http.Request) concord.Target
	Sample  string
	Handler HandlerFunc
}

func orgTarget(r *http.Request) concord.Target {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return concord.Target{OrgID: id}
}

// stateTarget is the State of a route's {iso3}.
func stateTarget(r *http.Request) concord.Target {
	return concord.Target{State: strings.ToUpper(r.PathValue("iso3"))}
}

// Routes is the API route table.
func (a *API) Routes() []Route {
	routes := []Route{
		{"GET", "/openapi.json", concord.ActRead, nil, "/openapi.json", nil},
		{"GET", "/states", concord.ActRead, nil, "/states", a.listStates},
		{"GET", "/states/{iso3}", concord.ActRead, nil, "/states/FRA", a.getState},
		{"GET", "/states/{iso3}/delegations", concord.ActRead, nil, "/states/FRA/delegations", a.listDelegations},
		{"PUT", "/states/{iso3}/classification", concord.ActEditState, stateTarget, "/states/FRA/classification", a.setClassification},
		{"GET", "/regional-groups", concord.ActRead, nil, "/regional-groups", a.listGroups},
		{"GET", "/regional-groups/{code}", concord.ActRead, nil, "/regional-groups/WEOG", a.getGroup},
		{"GET", "/classification-schemes/{code}", concord.ActRead, nil, "/classification-schemes/unctad-m49", a.getScheme},
		{"GET", "/organizations", concord.ActRead, nil, "/organizations", a.listOrgs},
		{"POST", "/organizations", concord.ActEditRegistry, nil, "/organizations", a.createOrg},
		{"GET", "/organizations/{id}", concord.ActRead, nil, "/organizations/1", a.getOrg},
		{"PUT", "/organizations/{id}", concord.ActEditOrg, orgTarget, "/organizations/1", a.updateOrg},
		{"GET", "/persons", concord.ActRead, nil, "/persons", a.listPersons},
		{"GET", "/persons/{id}", concord.ActRead, nil, "/persons/1", a.getPerson},
		{"GET", "/log", concord.ActRead, nil, "/log", a.listLog},
		{"GET", "/popolo", concord.ActRead, nil, "/popolo", a.popolo},
		{"POST", "/sessions", concord.ActRead, nil, "/sessions", a.createSession},
		{"GET", "/me", concord.ActAccount, nil, "/me", a.me},
	}
	routes = append(routes, a.accreditationRoutes()...)
	routes = append(routes, a.ruleRoutes()...)
	routes = append(routes, a.topicRoutes()...)
	routes = append(routes, a.cofacRoutes()...)
	routes = append(routes, a.agendaRoutes()...)
	routes = append(routes, a.brieferRoutes()...)
	return append(routes, a.decisionRoutes()...)
}

// Handler returns the API mux, to be mounted at /api/v1/.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.Routes() {
		if rt.Handler == nil {
			mux.HandleFunc(rt.Method+" /api/v1"+rt.Path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(openAPI)
			})
			continue
		}
		mux.Handle(rt.Method+" /api/v1"+rt.Path, a.route(rt))
	}
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		a.writeError(w, r, concord.Errorf(concord.ENotFound, "", "error.not_found", "no such API route"))
	})
	return mux
}

// lang picks the language of error messages: ?lang=, then Accept-Language.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); concord.IsLanguage(l) {
		return l
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}

func (a *API) route(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := auth.UserFrom(r.Context())
		var t concord.Target
		if rt.Target != nil {
			t = rt.Target(r)
		}
		if !concord.Can(u, rt.Action, t) {
			if u == nil {
				a.writeError(w, r, concord.Errorf(concord.EUnauthorized, "", "error.unauthorized", "sign in first"))
			} else {
				a.writeError(w, r, concord.Errorf(concord.EForbidden, "", "error.forbidden", "not allowed"))
			}
			return
		}
		status, body, err := rt.Handler(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, status, body)
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names a stable code, the field concerned, and a localised message.
type ErrorDetail struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// WriteError answers with the API's error shape; the web layer uses it for
// API requests its middleware refuses (cross-origin, panics).
func (a *API) WriteError(w http.ResponseWriter, r *http.Request, err error) { a.writeError(w, r, err) }

func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	de := httperr.AsDomain(err)
	if de.Code == concord.EInternal {
		a.Log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	msg := a.Cat.T(lang(r), de.Key, nil)
	writeJSON(w, httperr.Status(de.Code), ErrorBody{ErrorDetail{Code: de.Code, Field: de.Field, Message: msg}})
}

// decode reads a JSON body into v: the content type must be JSON, unknown
// fields are refused, and exactly one value is allowed.
func decode(r *http.Request, v any) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return concord.Errorf(concord.EUnsupported, "", "error.content_type", "Content-Type must be application/json")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			field = strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		}
		return concord.Errorf(concord.EInvalid, field, "error.bad_json", "invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return concord.Errorf(concord.EInvalid, "", "error.bad_json", "invalid JSON: trailing data")
	}
	return nil
}

// page reads limit (1..200, default 50) and offset (>= 0).
func page(q url.Values) (limit, offset int, err error) {
	limit, offset = 50, 0
	if s := q.Get("limit"); s != "" {
		n, e := strconv.Atoi(s)
		if e != nil || n < 1 || n > 200 {
			return 0, 0, concord.Errorf(concord.EInvalid, "limit", "error.limit", "limit must be 1 to 200")
		}
		limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, e := strconv.Atoi(s)
		if e != nil || n < 0 {
			return 0, 0, concord.Errorf(concord.EInvalid, "offset", "error.offset", "offset must be a non-negative integer")
		}
		offset = n
	}
	return limit, offset, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.Errorf(concord.EInvalid, "id", "error.id", "id must be a positive integer")
	}
	return id, nil
}

// idBody reads the {id} of the path, then decodes the JSON body into in.
func idBody(r *http.Request, in any) (int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, err
	}
	return id, decode(r, in)
}

// List is a page of items.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func actor(ctx context.Context) string {
	if u := auth.UserFrom(ctx); u != nil {
		return "user:" + strconv.FormatInt(u.ID, 10)
	}
	return "public"
}
