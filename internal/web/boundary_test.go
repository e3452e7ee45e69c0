package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"concord/internal/store"
	"concord/internal/web"
)

// TestInputRefusedAtBoundary: a NUL character in any string (form, JSON,
// query, path) is a localised 400 naming the field, on both databases (it
// was a 500 on PostgreSQL and stored on SQLite); a name with bidirectional
// override characters is refused; a malformed form or multipart body is a
// 400, not a 500.
func TestInputRefusedAtBoundary(t *testing.T) {
	t.Parallel()
	demo.Each(t, func(t *testing.T, db *store.DB) {
		en := newEnvOn(t, db)
		orgPath := "/api/v1/organizations/" + itoa(en.orgID)
		_, before := en.get("", orgPath)
		org := func(name string) string {
			b, _ := json.Marshal(map[string]any{"kind": "stakeholder", "type": "ngo", "names": map[string]string{"en": name}})
			return string(b)
		}
		for _, c := range []struct {
			name, role, method, path, ct, body string
			status                             int
			code, field                        string
		}{
			{"NUL in JSON", "secretariat", "PUT", orgPath, "application/json", org("Evil\x00Corp"), 400, "bad_request", "names.en"},
			{"NUL in new org JSON", "secretariat", "POST", "/api/v1/organizations", "application/json", org("Evil\x00Corp"), 400, "bad_request", "names.en"},
			{"NUL in query", "", "GET", "/api/v1/organizations?q=a%00b", "", "", 400, "bad_request", "q"},
			{"NUL in path", "", "GET", "/api/v1/states/FR%00", "", "", 400, "bad_request", ""},
			{"RLO in JSON name", "secretariat", "PUT", orgPath, "application/json", org("Good \u202egnp.exe"), 422, "invalid", "names.en"},
			{"isolate in JSON name", "secretariat", "PUT", orgPath, "application/json", org("A\u2067B\u2069"), 422, "invalid", "names.en"},
		} {
			resp, body := en.do(c.role, c.method, c.path, c.ct, c.body)
			if resp.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d (%s)", c.name, resp.StatusCode, c.status, trim(body))
				continue
			}
			code, field, msg := apiError(t, body)
			if code != c.code || field != c.field || msg == "" || strings.HasPrefix(msg, "error.") {
				t.Errorf("%s: got %q %q %q, want %q %q and a message", c.name, code, field, msg, c.code, c.field)
			}
		}
		if _, after := en.get("", orgPath); after != before {
			t.Errorf("a refused write changed the organisation:\n%s\n%s", before, after)
		}
		// Forms: the page says what is wrong, in the page's language, and
		// names the field.
		form := url.Values{"kind": {"stakeholder"}, "type": {"ngo"}, "name_en": {"Evil\x00Corp"}}
		resp, body := en.postForm("secretariat", "/fr/organizations", form)
		if resp.StatusCode != 400 || !strings.Contains(body, en.msg("fr", "error.nul")) || !strings.Contains(body, "<code>name_en</code>") {
			t.Errorf("NUL in a form: %d %s", resp.StatusCode, trim(body))
		}
		form.Set("name_en", "\u202eEvil")
		if resp, body := en.postForm("secretariat", "/en/organizations", form); resp.StatusCode != 422 || !strings.Contains(body, en.msg("en", "error.bidi")[:30]) {
			t.Errorf("override in a name: %d %s", resp.StatusCode, trim(body))
		}
		// Marks that only nudge neutral characters stay allowed in names,
		// and overrides outside names (statements) are not refused here.
		if resp, _ := en.do("", "GET", "/en/persons?q="+url.QueryEscape("\u200fA"), "", ""); resp.StatusCode != 200 {
			t.Errorf("RLM in a search: %d", resp.StatusCode)
		}
		if resp, body := en.do("secretariat", "POST", "/en/organizations", "application/x-www-form-urlencoded", "name_en=%zz"); resp.StatusCode != 400 || !strings.Contains(body, html.EscapeString(en.rawMsg("en", "error.malformed"))) {
			t.Errorf("malformed form: %d %s", resp.StatusCode, trim(body))
		}
		if resp, body := en.do("secretariat", "POST", "/en/accreditation/ecosoc", "multipart/form-data; boundary=xyz", "--xyz\r\nno header end"); resp.StatusCode != 400 {
			t.Errorf("malformed multipart: %d %s", resp.StatusCode, trim(body))
		}
	})
}

// logBuffer is a concurrency-safe buffer for a JSON logger.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the logged records.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func loggedEnv(t *testing.T) (*env, *logBuffer) {
	logs := &logBuffer{}
	en := newEnvWith(t, demo.Open(t, store.SQLite), func(s *web.Server) {
		s.Log = slog.New(slog.NewJSONHandler(logs, nil))
	})
	return en, logs
}

// TestAccessLog: one structured line per request with its id, which comes
// from a well-formed X-Request-Id or is made, and goes back in the
// response; the query is not logged; the user id is, when signed in.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	en, logs := loggedEnv(t)
	req, _ := http.NewRequest("GET", en.srv.URL+"/en/persons?q=secret-search", nil)
	req.Header.Set("X-Request-Id", "trace-42.a_b")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "trace-42.a_b" {
		t.Errorf("X-Request-Id = %q, want the client's", got)
	}
	req.Header.Set("X-Request-Id", "forged\" level=ERROR")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	made := resp2.Header.Get("X-Request-Id")
	if made == "" || strings.Contains(made, "forged") {
		t.Errorf("malformed id not replaced: %q", made)
	}
	en.get("chair", "/en/states")
	var access []map[string]any
	for _, l := range logs.lines(t) {
		if l["msg"] == "request" {
			access = append(access, l)
		}
	}
	if len(access) != 3 {
		t.Fatalf("%d access lines for 3 requests: %v", len(access), access)
	}
	first := access[0]
	if first["request_id"] != "trace-42.a_b" || first["method"] != "GET" || first["path"] != "/en/persons" || first["status"] != float64(200) ||
		first["bytes"].(float64) <= 0 || first["duration_ms"] == nil {
		t.Errorf("access line %v", first)
	}
	if strings.Contains(logs.b.String(), "secret-search") {
		t.Error("the query string was logged")
	}
	if access[1]["request_id"] != made {
		t.Errorf("second line id %v, want %q", access[1]["request_id"], made)
	}
	if access[2]["user_id"] == nil || access[0]["user_id"] != nil {
		t.Errorf("user id: signed in %v, public %v", access[2]["user_id"], access[0]["user_id"])
	}
}

// TestClientClosedNotAnError: a request whose client has gone is logged as
// closed by the client (499), with its request id, not as a server error.
func TestClientClosedNotAnError(t *testing.T) {
	t.Parallel()
	en, logs := loggedEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", "/en/organizations", nil)
	rec := httptest.NewRecorder()
	en.srv.Config.Handler.ServeHTTP(rec, req)
	id := rec.Header().Get("X-Request-Id")
	var closed, access bool
	for _, l := range logs.lines(t) {
		if l["level"] == "ERROR" {
			t.Errorf("logged as an error: %v", l)
		}
		if l["msg"] == "client closed request" && l["request_id"] == id {
			closed = true
		}
		if l["msg"] == "request" && l["status"] == float64(web.StatusClientClosed) {
			access = true
		}
	}
	if !closed || !access {
		t.Errorf("client closed: noted %v, access line with 499 %v", closed, access)
	}
}
