// Package api serves the JSON API under /api/v1. Every route is listed in
// Routes with the permission it needs, and described in openapi.json, which
// a test keeps in step with the route table.
package api

import (
	"bytes"
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
	"time"

	"concord"
	"concord/internal/account"
	"concord/internal/accredit"
	"concord/internal/auth"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/delegations"
	"concord/internal/httperr"
	"concord/internal/i18n"
	"concord/internal/idem"
	"concord/internal/input"
	"concord/internal/reqlog"
	"concord/internal/signup"
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
	Account  *account.Service
	// Signup runs organisations' own sign-up, its verification and members.
	Signup *signup.Service
	// Delegations runs a State's delegation and the dated appointments.
	Delegations *delegations.Service
	// Passkeys runs WebAuthn ceremonies (nil: passkeys are not offered).
	Passkeys *auth.Passkeys
	Cat      *i18n.Catalog
	Log      *slog.Logger

	popoloOnce popoloCache
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
		{"GET", "/me/sessions", concord.ActAccount, nil, "/me/sessions", a.mySessions},
		{"DELETE", "/me/sessions/{id}", concord.ActAccount, nil, "/me/sessions/0000000000000000", a.revokeSession},
	}
	routes = append(routes, a.accreditationRoutes()...)
	routes = append(routes, a.ruleRoutes()...)
	routes = append(routes, a.topicRoutes()...)
	routes = append(routes, a.cofacRoutes()...)
	routes = append(routes, a.agendaRoutes()...)
	routes = append(routes, a.brieferRoutes()...)
	routes = append(routes, a.meetingRoutes()...)
	routes = append(routes, a.pocRoutes()...)
	routes = append(routes, a.pocMessageRoutes()...)
	routes = append(routes, a.portalRoutes()...)
	routes = append(routes, a.fundRoutes()...)
	routes = append(routes, a.exerciseRoutes()...)
	routes = append(routes, a.normsRoutes()...)
	routes = append(routes, a.projectRoutes()...)
	routes = append(routes, a.documentRoutes()...)
	routes = append(routes, a.searchRoutes()...)
	routes = append(routes, a.statementRoutes()...)
	routes = append(routes, a.positionRoutes()...)
	routes = append(routes, a.accountRoutes()...)
	routes = append(routes, a.personalRoutes()...)
	routes = append(routes, a.signupRoutes()...)
	routes = append(routes, a.delegationRoutes()...)
	routes = append(routes, a.twoFactorRoutes()...)
	routes = append(routes, a.passkeyRoutes()...)
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
		if key, ok := r.Header[IdempotencyHeader]; ok && u != nil && r.Method != http.MethodGet && r.Method != http.MethodHead && !secretAnswers[rt.Path] {
			a.idempotent(w, r, u, key, rt.Path, rt.Handler)
			return
		}
		a.serve(w, r, rt.Handler)
	})
}

func (a *API) serve(w http.ResponseWriter, r *http.Request, h HandlerFunc) {
	status, body, err := h(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, status, body)
}

// IdempotencyHeader names the header under which a client makes a write
// safe to retry: the first response is recorded with the key, and a repeat
// with the same key and request gets it again without a second write.
const IdempotencyHeader = "Idempotency-Key"

// idempotent serves a write that carries an Idempotency-Key. The key is the
// user's (two users' keys never meet); the request's method, path, query and
// body must match on a repeat.
func (a *API) idempotent(w http.ResponseWriter, r *http.Request, u *concord.User, keys []string, pattern string, h HandlerFunc) {
	key := keys[0]
	if len(keys) != 1 || len(key) == 0 || len(key) > 255 || strings.IndexFunc(key, func(c rune) bool { return c < 0x21 || c > 0x7e }) >= 0 {
		a.writeError(w, r, concord.Errorf(concord.EInvalid, IdempotencyHeader, "error.idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	hash := idem.Hash([]byte(r.Method), []byte(r.URL.Path), []byte(r.URL.RawQuery), body)
	// Should the response be lost after the write, a repeat is sent to the
	// resource the request wrote (see resourceOf).
	lost := store.IdemResponse{Status: http.StatusSeeOther, Location: "/api/v1" + resourceOf(pattern, r.URL.Path)}
	err = idem.Serve(w, r, a.DB, u, "api:"+key, hash, lost, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.serve(w, r, h) }))
	if err != nil {
		a.writeError(w, r, err)
	}
}

// resourceOf is the resource a write on path (matching the route pattern)
// concerns: the path up to the route's last wildcard segment
// (/accreditation/applications/12 for .../12/actions), or the path itself
// (the collection a POST adds to) when the pattern has none.
func resourceOf(pattern, path string) string {
	ps, segs := strings.Split(pattern, "/"), strings.Split(path, "/")
	last := -1
	for i, p := range ps {
		if strings.HasPrefix(p, "{") {
			last = i
		}
	}
	if last < 0 || last >= len(segs) {
		return path
	}
	return strings.Join(segs[:last+1], "/")
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	if f, ok := body.(fileBody); ok {
		serveFile(w, status, f)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if b, ok := body.(rawJSON); ok {
		w.Write(b)
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
	// Errors is every problem when there are several (Error is the first).
	Errors []ErrorDetail `json:"errors,omitempty"`
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
	if r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client went away: nobody to answer, nothing wrong here.
		reqlog.Logger(r.Context(), a.Log).Info("client closed request", "method", r.Method, "path", r.URL.Path)
		w.WriteHeader(499)
		return
	}
	de := httperr.AsDomain(err)
	if de.Code == concord.EInternal {
		reqlog.Logger(r.Context(), a.Log).Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var t *auth.Throttled
	if errors.As(err, &t) {
		w.Header().Set("Retry-After", strconv.Itoa(int(t.RetryAfter.Seconds())))
	}
	msg := a.Cat.T(lang(r), de.Key, nil)
	body := ErrorBody{Error: ErrorDetail{Code: de.Code, Field: de.Field, Message: msg}}
	if all := httperr.All(err); len(all) > 1 {
		for _, e := range all {
			body.Errors = append(body.Errors, ErrorDetail{Code: e.Code, Field: e.Field, Message: a.Cat.T(lang(r), e.Key, nil)})
		}
	}
	writeJSON(w, httperr.Status(de.Code), body)
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
	if e := input.JSON(v); e != nil {
		return e
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

// actor names the writer in the audit log by the one rule of
// concord.Actor: the signed-in user, else "system".
func actor(ctx context.Context) string { return concord.Actor(auth.UserFrom(ctx)) }

// timeOrNull is an optional instant as the API sends it: RFC 3339 in UTC,
// or null (never the zero time) when unset.
func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
