// Package web serves Concord's HTML pages (server-rendered, no JavaScript
// needed) under a language prefix, and mounts the JSON API. It owns the
// middleware every request passes: security headers, body limits, the
// session, cross-origin protection and the permission check.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"concord"
	"concord/internal/account"
	"concord/internal/accredit"
	"concord/internal/auth"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/delegations"
	"concord/internal/i18n"
	"concord/internal/reqlog"
	"concord/internal/signup"
	"concord/internal/store"

	"github.com/maypok86/otter/v2"
)

// MaxBody is the largest request body accepted (forms and JSON). Uploads,
// when a capability needs them, get their own limit on their own route.
const MaxBody = 1 << 20

// SessionCookie is the session cookie's name. The __Host- prefix makes the
// browser refuse it unless Secure, host-only and Path=/.
const SessionCookie = "__Host-concord"

// sessionCookieInsecure is used on plain-HTTP development servers, where
// browsers refuse __Host- cookies.
const sessionCookieInsecure = "concord_session"

// Server holds what handlers need.
type Server struct {
	DB  *store.DB
	Cat *i18n.Catalog
	Log *slog.Logger
	// Secure is true behind HTTPS: cookies get Secure and the __Host- name,
	// responses Strict-Transport-Security.
	Secure bool
	// Proxies are the reverse proxies whose X-Forwarded-For names the client
	// (for sign-in throttling); none by default.
	Proxies auth.Proxies
	// API serves /api/v1/; it is mounted here so that one middleware chain
	// covers both surfaces.
	API http.Handler
	// APIError writes the API's JSON error shape, for /api/v1/ requests that
	// the shared middleware refuses (cross-origin) or that panic.
	APIError func(w http.ResponseWriter, r *http.Request, err error)
	// VersionTTL is how long the data version may be reused before it is
	// read again (zero: every request reads it).
	VersionTTL time.Duration
	// Accredit runs stakeholder accreditation for the accreditation pages.
	Accredit *accredit.Service
	// Decide runs decisions under contested modalities.
	Decide *decide.Service
	// CoFac runs co-facilitator nominations and appointments.
	CoFac *cofac.Service
	// Account sends and honours the emailed links of accounts.
	Account *account.Service
	// Passkeys runs WebAuthn ceremonies (nil: passkeys are not offered).
	Passkeys *auth.Passkeys
	// Signup runs organisations' own sign-up and the Secretariat's queue.
	Signup *signup.Service
	// Delegations runs a State's delegation and the dated appointments.
	Delegations *delegations.Service

	// APIQuery names the query parameters an API request's route declares
	// (nil: none); only those reach the handler and the cache key.
	APIQuery func(r *http.Request) []string
	// CacheBytes is the memory budget of each page cache (0: DefaultCacheBytes).
	CacheBytes int64

	pages    *cache[cachedPage]
	contents *cache[cachedContent]
	drafts   drafts // input kept across a change of language (drafts.go)
	sessions *otter.Cache[string, cachedSession]
	noCache  atomic.Bool
	ver      dataVersion
	tmpl     *templates
	mux      *http.ServeMux
}

// SetCaching turns the page caches on (the default) or off, for tests and
// benchmarks that measure the work behind a page.
func (s *Server) SetCaching(on bool) { s.noCache.Store(!on) }

func (s *Server) caching() bool { return !s.noCache.Load() }

type ctxKey int

const (
	langKey ctxKey = iota
	tokenKey
	expiredKey
)

// UserFrom returns the signed-in user, or nil for the public.
func UserFrom(ctx context.Context) *concord.User { return auth.UserFrom(ctx) }

// LangFrom returns the request's language.
func LangFrom(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok {
		return l
	}
	return "en"
}

// WithLang returns ctx carrying lang (the API sets it from Accept-Language).
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey, lang)
}

func (s *Server) cookieName() string {
	if s.Secure {
		return SessionCookie
	}
	return sessionCookieInsecure
}

// Handler returns the whole application's handler.
func (s *Server) Handler() (http.Handler, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.tmpl = t
	budget := s.CacheBytes
	if budget <= 0 {
		budget = DefaultCacheBytes
	}
	s.pages = newCache[cachedPage](budget)
	s.contents = newCache[cachedContent](budget)
	s.sessions = newSessionCache()
	mux := http.NewServeMux()
	s.mux = mux
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	mux.HandleFunc("GET /audit/checkpoint", s.checkpoint)
	mux.HandleFunc("GET /{$}", s.rootRedirect)
	if s.API != nil {
		mux.Handle("/api/v1/", s.API)
	}
	// One pattern per language: a wildcard prefix would collide with
	// /static/ and /api/v1/, and unknown prefixes should fall through to
	// the localised 404.
	for _, lang := range concord.Languages {
		for _, rt := range s.Routes() {
			mux.Handle(rt.Method+" /"+lang+rt.Path, s.route(rt, lang))
		}
	}
	// Anything else under a language prefix, or an unknown prefix: a
	// localised 404 page.
	mux.HandleFunc("/", s.notFoundPage)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, concord.Errorf(concord.EForbidden, "", "error.cross_origin", "cross-origin request refused"))
	}))
	var h http.Handler = mux
	h = s.conditional(h)
	h = s.session(h)
	h = s.checkInput(h)
	h = cop.Handler(h)
	h = limitBody(h)
	h = securityHeaders(h, s.Secure)
	h = s.recoverer(h)
	h = s.accessLog(h)
	return h, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.DB.AuditHead(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// checkpoint serves a signed tree head of the audit log at a stable URL, so
// that anyone can keep copies and later check the log only grew. Readers of
// the full log get the live one; everyone else the log as of the last
// midnight (UTC), which a confidential entry joins only once its day has
// ended: a tree size that grew with each entry would date it to the second.
// The public's answer is cached until midnight (the store read says so).
func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	get := s.DB.DayCheckpoint
	if concord.Can(UserFrom(r.Context()), concord.ActViewAuditFull, concord.Target{}) {
		get = s.DB.Checkpoint
	}
	note, err := get(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	vkey, err := s.DB.VerifierKey(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Verifier-Key", vkey)
	w.Write([]byte(note))
}

// rootRedirect sends "/" to the visitor's language from Accept-Language;
// after that the language is in every URL, and the switcher changes it.
func (s *Server) rootRedirect(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	w.Header().Add("Vary", "Accept-Language")
	http.Redirect(w, r, "/"+lang+"/", http.StatusFound)
}

// fail answers an error in the shape of the surface asked: JSON under
// /api/v1/, a localised page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if s.APIError != nil && strings.HasPrefix(r.URL.Path, "/api/v1/") {
		s.APIError(w, r, err)
		return
	}
	s.renderError(w, r, err)
}

func securityHeaders(next http.Handler, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if secure {
			// Served over HTTPS: browsers must never fall back to plain
			// HTTP, where the session cookie could be stripped or forged.
			h.Set("Strict-Transport-Security", "max-age=63072000")
		}
		// No inline script or style anywhere: the CSP forbids both.
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(MaxBody)
		if r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/documents") || accrFormCarriesFile(r.URL.Path)) {
			// Supporting documents: the file plus the multipart envelope.
			limit = accredit.MaxUpload + 64<<10
		}
		if r.ContentLength > limit {
			// Refuse before reading: nothing of it is processed.
			r.Body = http.MaxBytesReader(w, r.Body, 0)
		} else if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				reqlog.Logger(r.Context(), s.Log).Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				s.fail(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// session loads the user of a valid session cookie (or API bearer token)
// into the context, with one indexed lookup whose answer is kept while the
// data version holds (sessionUser), and the client address. An
// expired or revoked cookie signs out (the request goes on as public); an
// invalid or expired bearer token is refused with 401, since a client that
// sent one expects to act as someone and must not be answered as anonymous.
func (s *Server) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(auth.WithAddr(r.Context(), s.Proxies.ClientAddr(r)))
		token, bearer := "", false
		if c, err := r.Cookie(s.cookieName()); err == nil {
			token = c.Value
		} else if scheme, rest, _ := strings.Cut(r.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "Bearer") {
			// Other schemes (a staging proxy's Basic) are not ours to judge.
			if token, bearer = strings.TrimSpace(rest), true; token == "" {
				s.badToken(w, r)
				return
			}
		}
		if token == "" {
			next.ServeHTTP(w, r)
			return
		}
		var err error
		var u concord.User
		h := auth.TokenHash(token)
		if len(token) > 200 {
			err = concord.ErrNotFound
		} else {
			u, err = s.sessionUser(r.Context(), h)
		}
		switch {
		case err == nil:
			// Appointments are judged at this request's instant: a term that
			// ended while the session was kept grants nothing.
			u.At = s.DB.Now()
			ctx := auth.WithSession(auth.WithUser(r.Context(), &u), store.SessionID(h))
			r = r.WithContext(context.WithValue(ctx, tokenKey, h))
			noteUser(r)
			if concord.RequiresTwoFactor(&u) && !u.TwoFactor && !enrolmentOnly(r) {
				s.requireEnrolment(w, r)
				return
			}
		case errors.Is(err, concord.ErrNotFound) && bearer:
			s.badToken(w, r)
			return
		case errors.Is(err, concord.ErrNotFound):
			// Expired or revoked: forget the cookie, continue as public.
			http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Path: "/", MaxAge: -1, Secure: s.Secure, HttpOnly: true})
			r = r.WithContext(context.WithValue(r.Context(), expiredKey, true))
		case clientGone(r, err):
			return
		default:
			s.fail(w, r, fmt.Errorf("session of %s %s: %w", r.Method, r.URL.Path, err))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// badToken refuses a request whose bearer token names no open session.
func (s *Server) badToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	s.fail(w, r, concord.Errorf(concord.EUnauthorized, "", "error.bad_token", "the token is invalid, expired or revoked; sign in again"))
}
