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
	"slices"
	"strings"
	"sync"
	"time"

	"concord/internal/auth"
	"concord/internal/cachectl"

	"github.com/maypok86/otter/v2"
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
		r.URL.Path != "/healthz" && r.URL.Path != "/"
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

// WriteString spares a copy of the strings a page is written from.
func (r *recorder) WriteString(s string) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.WriteString(s)
}

// recorders are reused: a signed-in page is tens of kilobytes, allocated
// and collected on every request otherwise. Bodies kept in the page cache
// are copied out first.
var recorders = sync.Pool{New: func() any { return new(recorder) }}

// cachedPage is a stored response, with its gzip form made once.
type cachedPage struct {
	version     int64
	until       time.Time // zero, or when the response stops being true (cachectl)
	etag        string
	contentType string
	header      http.Header // the other headers the handler set (Content-Disposition, X-Verifier-Key...)
	body        []byte
	gz          []byte
}

func (c cachedPage) bytes() int {
	n := len(c.etag) + len(c.contentType) + len(c.body) + len(c.gz)
	for k, vs := range c.header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// handlerHeader is what the handler added to h, which held before before
// it ran: the headers a cached copy must send again. Content-Type is kept
// on its own and Cache-Control is the cache's to set.
func handlerHeader(before, h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		if k == "Content-Type" || k == "Cache-Control" || slices.Equal(before[k], vs) {
			continue
		}
		if out == nil {
			out = http.Header{}
		}
		out[k] = slices.Clone(vs)
	}
	return out
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
// The query is first reduced to what the route declares (canonical), so
// the cache key holds everything the response depends on and nothing else.
func (s *Server) conditional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		r, key, byHeader := s.canonical(r)
		h := w.Header()
		// Downstream caches: the response differs by encoding, by user
		// (cookie or bearer token) and, for the API, by Accept-Language.
		h.Add("Vary", "Accept-Encoding, Cookie, Authorization")
		if byHeader {
			h.Add("Vary", "Accept-Language")
		}
		shared := cacheable(r) && s.caching()
		if auth.UserFrom(r.Context()) != nil {
			// Personal: a shared cache must never keep it.
			h.Set("Cache-Control", "private, no-cache")
		}
		var ver int64
		if shared {
			v, err := s.version(r.Context())
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			ver = v
			if c, ok := s.pages.get(key); ok {
				if c.version == ver && cachectl.Fresh(c.until, s.DB.Now()) {
					for k, vs := range c.header {
						h[k] = vs
					}
					h.Set("Content-Type", c.contentType)
					h.Set("Cache-Control", "no-cache")
					send(w, r, c.etag, c.body, c.gz)
					return
				}
				s.pages.drop(key)
			}
		}
		rec := recorders.Get().(*recorder)
		rec.ResponseWriter, rec.status = w, 0
		rec.buf.Reset()
		defer func() {
			rec.ResponseWriter = nil
			if rec.buf.Cap() <= 1<<20 {
				recorders.Put(rec)
			}
		}()
		var exp *cachectl.Expiry
		var before http.Header
		if shared {
			before = h.Clone()
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
		if strings.Contains(h.Get("Cache-Control"), "no-store") {
			// Nobody may keep it, so nobody will ask with its ETag: a
			// signed-in page. No digest of the page.
			if acceptsGzip(r) {
				if gz := gzipBytes(body); gz != nil {
					h.Set("Content-Encoding", "gzip")
					body = gz
				}
			}
			w.WriteHeader(http.StatusOK)
			w.Write(body)
			return
		}
		sum := sha256.Sum256(body)
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		var gz []byte
		if shared && !strings.Contains(h.Get("Cache-Control"), "no-store") {
			h.Set("Cache-Control", "no-cache") // revalidate with the ETag
			body = bytes.Clone(body)
			gz = gzipBytes(body)
			s.pages.put(key, cachedPage{version: ver, until: exp.Time(), etag: etag, contentType: h.Get("Content-Type"),
				header: handlerHeader(before, h), body: body, gz: gz})
		} else if acceptsGzip(r) {
			gz = gzipBytes(body)
		}
		send(w, r, etag, body, gz)
	})
}

// send writes a 200 (gzip-encoded when the client accepts it and gz is
// set) or a 304 when the client already has this ETag, or, asking without
// one (RFC 9110 §13.1.3), has a copy at least as recent as the response's
// Last-Modified (a feed sets it).
func send(w http.ResponseWriter, r *http.Request, etag string, body, gz []byte) {
	h := w.Header()
	h.Set("ETag", etag)
	if notModified(r, etag, h.Get("Last-Modified")) {
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

// notModified reports whether the client's copy is current: its
// If-None-Match names etag, or, without If-None-Match, its
// If-Modified-Since is not before lastModified.
func notModified(r *http.Request, etag, lastModified string) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return strings.Contains(inm, etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || lastModified == "" {
		return false
	}
	since, err1 := http.ParseTime(ims)
	mod, err2 := http.ParseTime(lastModified)
	return err1 == nil && err2 == nil && !mod.After(since)
}

// DefaultCacheBytes is the memory budget of each page cache (the shared
// anonymous one and the signed-in content one) when Server.CacheBytes is 0.
const DefaultCacheBytes = 64 << 20

// sized is a cached value that knows how many bytes it holds.
type sized interface{ bytes() int }

// cache is a concurrent cache bounded by bytes: rendered public responses
// by canonical URL, and page contents by audience and canonical URL. Each
// value carries the data version it was made at; callers compare it.
//
// It is an otter cache weighted by bytes. Otter was chosen over
// hashicorp/golang-lru because it bounds by weight natively (golang-lru
// only counts entries) and because its admission policy (W-TinyLFU) keeps
// the frequently asked pages when a flood of one-off URLs arrives: a strict
// LRU would let such a scan evict everything useful. When full it evicts
// entries; it is never emptied.
type cache[V sized] struct {
	c *otter.Cache[string, V]
}

func newCache[V sized](maxBytes int64) *cache[V] {
	return &cache[V]{c: otter.Must(&otter.Options[string, V]{
		MaximumWeight: uint64(maxBytes),
		Weigher:       func(k string, v V) uint32 { return uint32(min(len(k)+v.bytes()+64, 1<<31)) },
	})}
}

func (c *cache[V]) get(k string) (V, bool) { return c.c.GetIfPresent(k) }

func (c *cache[V]) put(k string, v V) { c.c.Set(k, v) }

// drop removes a stale entry, so that it stops counting against the budget.
func (c *cache[V]) drop(k string) { c.c.Invalidate(k) }

// Size is the bytes held and the number of entries, after pending
// evictions have run.
func (c *cache[V]) size() (bytes uint64, entries int) {
	c.c.CleanUp()
	return c.c.WeightedSize(), c.c.EstimatedSize()
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
	slots   []formSlot // where content's POST forms take their tokens
	feeds   []FeedLink // the page's feeds, linked from the layout's head
}

func (c cachedContent) bytes() int {
	n := len(c.title) + len(c.content) + 16*len(c.slots)
	for _, f := range c.feeds {
		n += len(f.Href) + len(f.Title)
	}
	return n
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

// CacheStats reports the shared page cache's size in bytes and entries.
func (s *Server) CacheStats() (bytes uint64, entries int) { return s.pages.size() }
