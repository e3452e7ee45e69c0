// Package concord holds the domain of Concord: the actors of a consensus-based
// multilateral process, their roles, the error vocabulary and the rules that
// do not depend on storage or transport. It imports neither net/http nor
// database/sql; adapters live under internal/.
package concord

import (
	"errors"
	"fmt"
	"strings"
)

// Languages are the six official UN languages, in the UN's alphabetical
// order of their English names' native forms (ar, zh, en, fr, ru, es).
var Languages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// IsLanguage reports whether code is one of the six languages.
func IsLanguage(code string) bool {
	for _, l := range Languages {
		if l == code {
			return true
		}
	}
	return false
}

// Error codes: stable strings that clients can switch on. The HTTP adapters
// map each to a status; the message catalogue maps each to localised text.
const (
	EInvalid      = "invalid"      // a field is missing or malformed
	ENotFound     = "not_found"    // the object does not exist (or is not visible)
	EUnauthorized = "unauthorized" // no valid session
	EForbidden    = "forbidden"    // signed in, but the role does not allow it
	EConflict     = "conflict"     // duplicate or stale write
	ETooLarge     = "too_large"    // request body over the limit
	EUnsupported  = "unsupported"  // wrong content type
	ETooMany      = "too_many"     // throttled
	EBadRequest   = "bad_request"  // the request itself is malformed (a NUL byte, an unreadable body)
	EInternal     = "internal"     // anything else; details are logged, not shown
)

// Error is a domain error: a stable Code, the Field it concerns (if any), and
// a message key for the catalogue. Message is an English fallback for logs.
type Error struct {
	Code    string
	Field   string
	Key     string // i18n message id, e.g. "error.required"
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an *Error with an English fallback message.
func Errorf(code, field, key, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Key: key, Message: fmt.Sprintf(format, args...)}
}

// Errors is every problem of one submission, reported together rather than
// the first alone. errors.As finds it, and finds its first *Error as the
// error of the whole (Unwrap), so code that knows one error keeps working.
type Errors []*Error

// Error joins the messages.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is and errors.As see each error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Add collects err: each error of an Errors, or the *Error in its chain;
// any other error is kept as internal. nil adds nothing.
func (es *Errors) Add(err error) {
	if err == nil {
		return
	}
	var all Errors
	if errors.As(err, &all) {
		*es = append(*es, all...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*es = append(*es, e)
		return
	}
	*es = append(*es, &Error{Code: EInternal, Key: "error.internal", Message: err.Error()})
}

// Err is the collected errors as an error: nil when there is none, the
// error itself when there is one, else the Errors.
func (es Errors) Err() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return es
}

// ErrorCode returns the code of err, or EInternal when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrNotFound is the shared not-found error.
var ErrNotFound = &Error{Code: ENotFound, Key: "error.not_found", Message: "not found"}
