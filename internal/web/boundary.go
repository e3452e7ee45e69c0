package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/input"
	"concord/internal/reqlog"
)

// StatusClientClosed is logged for a request whose client went away before
// the answer was ready (nginx's 499): not a server error.
const StatusClientClosed = 499

// checkInput refuses, before any handler runs, a request whose path, query
// string or form holds a NUL byte (400), a name with bidirectional control
// characters (422), or a form body that cannot be parsed (400). JSON
// bodies are checked where the API decodes them, multipart ones where the
// upload is read.
func (s *Server) checkInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.IndexByte(r.URL.Path, 0) >= 0 {
			s.fail(w, r, concord.Errorf(concord.EBadRequest, "", "error.nul", "NUL character in the path"))
			return
		}
		if e := input.Values(r.URL.Query()); e != nil {
			s.fail(w, r, e)
			return
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if mt == "application/x-www-form-urlencoded" {
				if err := r.ParseForm(); err != nil {
					var mbe *http.MaxBytesError
					if !errors.As(err, &mbe) {
						err = concord.Errorf(concord.EBadRequest, "", "error.malformed", "malformed form: %v", err)
					}
					s.fail(w, r, err)
					return
				}
				if e := input.Values(r.PostForm); e != nil {
					s.fail(w, r, e)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// clientGone reports whether err only means that the client of r closed
// the connection: then there is nobody to answer and nothing went wrong
// here.
func clientGone(r *http.Request, err error) bool {
	return r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// accessLog writes one structured line per request: method, path (without
// the query, which may hold search terms or tokens), status, bytes,
// duration, request id and user id. The id is the client's X-Request-Id
// when well formed, else a new one; it is sent back and is on every error
// logged for the request.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(reqlog.Header)
		if !reqlog.WellFormed(id) {
			id = reqlog.NewID()
		}
		info := &reqlog.Info{ID: id}
		w.Header().Set(reqlog.Header, id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(reqlog.With(r.Context(), info)))
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		// Typed attributes: no value is boxed on the way to the handler.
		attrs := [7]slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
			slog.Int64("bytes", sw.bytes), slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("request_id", id)}
		n := 6
		if info.UserID != 0 {
			attrs[n] = slog.Int64("user_id", info.UserID)
			n++
		}
		s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs[:n]...)
	})
}

// statusWriter records the status and the bytes written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// WriteString spares a copy of the strings a page is written from.
func (w *statusWriter) WriteString(s string) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := io.WriteString(w.ResponseWriter, s)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// noteUser tells the access log who is signed in.
func noteUser(r *http.Request) {
	if u, i := auth.UserFrom(r.Context()), reqlog.From(r.Context()); u != nil && i != nil {
		i.UserID = u.ID
	}
}
