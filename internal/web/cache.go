package web

import (
	"bytes"
	"fmt"
	"html/template"

	"compress/gzip"
	"concord"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"

	"concord/internal/auth"
	"concord/internal/cachectl"
)

// DefaultVersionTTL bounds how long a cached page may lag a write made on
// another instance. Writes on this instance are seen at once (DB.Writes
// changes).
const DefaultVersionTTL = 20 * time.Millisecond

// dataVersion returns the data version that cached pages are keyed on
// (store.DataVersion), re-reading it at most every Server.VersionTTL: under load one
// query serves thousands of requests.
type dataVersion struct {
	mu      sync.Mutex
	head    int64
	writes  int64
	checked time.Time
}

func (s *Server) version(ctx context.Context) (int64, error) {
	v := &s.ver
	v.mu.Lock()
	defer v.mu.Unlock()
	w := s.DB.Writes()
	if w == v.writes && time.Since(v.checked) < s.VersionTTL {
		return v.head, nil
	}
	head, err := s.DB.DataVersion(ctx)
	if err != nil {
		return 0, err
	}
	v.head, v.writes, v.checked = head, w, time.Now()
	return head, nil
}

// cacheable reports whether a request may be answered from, and stored in,
// the shared page cache: anonymous GETs only, so that nothing personal is
// ever shared.
func cacheable(r *http.Request) bool {
	return r.Method == http.MethodGet && auth.UserFrom(r.Context()) == nil && r.Context().Value(expiredKey) == nil &&
		r.URL.Path != "/healthz" && r.URL.Path != "/audit/checkpoint" && r.URL.Path != "/"
}

// recorder buffers a response so that its ETag can be computed and it can
// be cached.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(status int) { r.status = status }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// cachedPage is a stored response, with its gzip form made once.
type cachedPage struct {
	version     int64
	until       time.Time // zero, or when the response stops being true (cachectl)
	etag        string
	contentType string
	body        []byte
	gz          []byte
}

// gzipMin is the smallest body worth compressing (about one packet).
const gzipMin = 1400

func gzipBytes(b []byte) []byte {
	if len(b) < gzipMin {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// conditional serves GET responses with an ETag (and 304 when the client
// already has it), and serves anonymous GETs from the page cache when no
// write happened since they were rendered. Any write moves the audit head,
// so a stale page is never served for longer than VersionTTL on any instance.
func (s *Server) conditional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		shared := cacheable(r)
		key := r.URL.RequestURI()
		var ver int64
		if shared {
			v, err := s.version(r.Context())
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			ver = v
			if c, ok := s.pages.get(key); ok && c.version == ver && cachectl.Fresh(c.until, s.DB.Now()) {
				w.Header().Set("Content-Type", c.contentType)
				w.Header().Set("Cache-Control", "no-cache")
				send(w, r, c.etag, c.body, c.gz)
				return
			}
		}
		rec := &recorder{ResponseWriter: w}
		var exp *cachectl.Expiry
		if shared {
			// A clock-dependent handler says until when its answer holds.
			var ctx context.Context
			ctx, exp = cachectl.With(r.Context())
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(rec, r)
		if rec.status != http.StatusOK {
			if rec.status != 0 {
				w.WriteHeader(rec.status)
			}
			w.Write(rec.buf.Bytes())
			return
		}
		body := rec.buf.Bytes()
		sum := sha256.Sum256(body)
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		var gz []byte
		if shared && !strings.Contains(w.Header().Get("Cache-Control"), "no-store") {
			w.Header().Set("Cache-Control", "no-cache") // revalidate with the ETag
			body = bytes.Clone(body)
			gz = gzipBytes(body)
			s.pages.put(key, cachedPage{version: ver, until: exp.Time(), etag: etag, contentType: w.Header().Get("Content-Type"), body: body, gz: gz})
		} else if acceptsGzip(r) {
			gz = gzipBytes(body)
		}
		send(w, r, etag, body, gz)
	})
}

// send writes a 200 (gzip-encoded when the client accepts it and gz is
// set) or a 304 when the client already has this ETag.
func send(w http.ResponseWriter, r *http.Request, etag string, body, gz []byte) {
	h := w.Header()
	h.Set("ETag", etag)
	h.Add("Vary", "Accept-Encoding")
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// cache is a bounded map, safe for concurrent use: rendered public
// responses by URL, and page contents by audience and URL. Each value
// carries the data version it was made at; callers compare it.
type cache[V any] struct {
	mu  sync.RWMutex
	max int
	m   map[string]V
}

func newCache[V any](max int) *cache[V] { return &cache[V]{max: max, m: map[string]V{}} }

func (c *cache[V]) get(k string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *cache[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		// Crude but bounded: start over rather than track recency.
		c.m = map[string]V{}
	}
	c.m[k] = v
}

// The content cache serves public pages to signed-in users. Such a page's
// content depends only on the URL, the data version and what the user's
// role and binding allow (edit links, unredacted log entries), so users with
// the same role and binding share it; the layout around it, which names the
// user, is rendered for each request.
type cachedContent struct {
	version int64
	until   time.Time // zero, or when the content stops being true (cachectl)
	title   string
	content template.HTML
}

// contentSlot travels in the request context to tell render where to store
// the content it produces.
type contentSlot struct {
	key     string
	version int64
	exp     *cachectl.Expiry
}

const contentKey ctxKey = 101

// audience names what a user's role and binding let them see.
func audience(u *concord.User) string {
	return fmt.Sprintf("%s|%s|%d", u.Role, u.State, u.OrgID)
}
