// Package idem makes writes idempotent against double submission, for both
// surfaces: an API client's Idempotency-Key and a page's one-time form token
// go through Serve. The key is recorded by store.Update in the transaction
// of the write it guards (store.IdemClaim), so a write never commits without
// its key and, of two parallel duplicates, the second writes nothing. The key
// goes in with a provisional answer (where the result is to be seen); the
// response replaces it once sent, and a repeat is answered from the record,
// with the provisional answer when the first request died after its write.
package idem

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"concord"
	"concord/internal/store"
)

// TTL is how long a key is remembered; a repeat after that is a new request.
const TTL = 24 * time.Hour

// maxStored bounds the body kept for a replay; a larger response is replayed
// with its status and headers only.
const maxStored = 1 << 20

// wait is how long a repeat waits for the response of a request with the same
// key that is still being answered, polling every step.
const (
	wait = 10 * time.Second
	step = 20 * time.Millisecond
)

// ReplayedHeader marks a response answered from the record of an earlier
// request with the same key.
const ReplayedHeader = "Idempotent-Replayed"

// ErrKeyReused is a key sent again with a different request.
var ErrKeyReused = &concord.Error{Code: concord.EInvalid, Field: "Idempotency-Key", Key: "error.idempotency_mismatch",
	Message: "this Idempotency-Key was used for a different request; use a new key for a new request"}

// ErrInProgress is a repeat whose first request has written but not yet
// answered, and left no provisional answer (a key recorded before there
// were any).
var ErrInProgress = &concord.Error{Code: concord.EConflict, Field: "Idempotency-Key", Key: "error.idempotency_in_progress",
	Message: "a request with this Idempotency-Key is still being processed"}

// Hash digests the parts of a request that a repeat must match.
func Hash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		// Length-prefixed, so that parts cannot slide into each other.
		h.Write([]byte{byte(len(p) >> 24), byte(len(p) >> 16), byte(len(p) >> 8), byte(len(p))})
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Serve answers r under key for user u: from the record when a request with
// the same key was answered, else by next, whose first write records the key
// with the provisional answer (see store.IdemClaim.Provisional: a 303 to
// where the written state is seen). The response of a request that wrote
// nothing (an error before any write) is not recorded: a repeat is then
// evaluated afresh. It returns ErrKeyReused or ErrInProgress for the caller
// to answer in its surface's error shape.
func Serve(w http.ResponseWriter, r *http.Request, db *store.DB, u *concord.User, key, hash string, provisional store.IdemResponse, next http.Handler) error {
	for range 2 {
		done, err := replay(w, r, db, u.ID, key, hash)
		if err != nil || done {
			return err
		}
		claim := &store.IdemClaim{UserID: u.ID, Actor: concord.Actor(u), Key: key, Hash: hash, TTL: TTL, Provisional: provisional}
		buf := &buffer{header: http.Header{}}
		serveOnce(buf, r.WithContext(store.WithIdemClaim(r.Context(), claim)), db, u.ID, key, claim, next)
		if claim.Lost() {
			// A duplicate recorded the key first and this request wrote
			// nothing: answer what the first one answered.
			continue
		}
		buf.flush(w)
		if claim.Taken() {
			resp := store.IdemResponse{Status: buf.code(), ContentType: buf.header.Get("Content-Type"), Location: buf.header.Get("Location")}
			if buf.body.Len() <= maxStored {
				resp.Body = buf.body.Bytes()
			}
			// Recorded even if the client has gone: the write stands.
			return db.IdemComplete(context.WithoutCancel(r.Context()), u.ID, key, resp)
		}
		return nil
	}
	return ErrInProgress
}

// serveOnce runs next; should it panic after its write committed, the
// provisional answer recorded with the write is marked as the answer before
// the panic goes on to be logged, so that a repeat need not wait for it.
func serveOnce(w http.ResponseWriter, r *http.Request, db *store.DB, userID int64, key string, claim *store.IdemClaim, next http.Handler) {
	defer func() {
		if v := recover(); v != nil {
			if claim.Taken() && claim.Provisional.Status != 0 {
				db.IdemComplete(context.WithoutCancel(r.Context()), userID, key, claim.Provisional)
			}
			panic(v)
		}
	}()
	next.ServeHTTP(w, r)
}

// replay answers from the record of key, waiting a while for a response still
// being written; a first request that is past that wait (or whose record is
// older than it by the store's clock) is taken for dead, and its provisional
// answer is the answer. done is false when there is no record.
func replay(w http.ResponseWriter, r *http.Request, db *store.DB, userID int64, key, hash string) (done bool, err error) {
	deadline := time.Now().Add(wait)
	for {
		rec, ok, err := db.IdemLookup(r.Context(), userID, key)
		if err != nil || !ok {
			return false, err
		}
		if rec.Hash != hash {
			return false, ErrKeyReused
		}
		lost := time.Now().After(deadline) || db.IdemNow().Sub(rec.Since) >= wait
		if rec.Status != 0 && (rec.Answered || lost) {
			h := w.Header()
			if rec.ContentType != "" {
				h.Set("Content-Type", rec.ContentType)
			}
			if rec.Location != "" {
				h.Set("Location", rec.Location)
			}
			h.Set("Cache-Control", "no-store")
			h.Set(ReplayedHeader, "true")
			w.WriteHeader(rec.Status)
			w.Write(rec.Body)
			return true, nil
		}
		if lost {
			return false, ErrInProgress
		}
		select {
		case <-r.Context().Done():
			return false, r.Context().Err()
		case <-time.After(step):
		}
	}
}

// buffer holds a response until it is known whether it is the one to send.
type buffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *buffer) Header() http.Header { return b.header }
func (b *buffer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *buffer) Write(p []byte) (int, error) { return b.body.Write(p) }

func (b *buffer) code() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

func (b *buffer) flush(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range b.header {
		h[k] = v
	}
	w.WriteHeader(b.code())
	w.Write(b.body.Bytes())
}
