// Package httperr maps domain errors to HTTP statuses, in one place for the
// HTML pages and the JSON API.
package httperr

import (
	"errors"
	"net/http"

	"concord"
)

// Status maps a domain error code to an HTTP status.
func Status(code string) int {
	switch code {
	case concord.EInvalid:
		return http.StatusUnprocessableEntity
	case concord.EBadRequest:
		return http.StatusBadRequest
	case concord.ENotFound:
		return http.StatusNotFound
	case concord.EUnauthorized:
		return http.StatusUnauthorized
	case concord.EForbidden:
		return http.StatusForbidden
	case concord.EConflict:
		return http.StatusConflict
	case concord.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case concord.EUnsupported:
		return http.StatusUnsupportedMediaType
	case concord.ETooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// AsDomain turns transport errors (a body over the limit) into domain errors
// and hides anything unexpected behind "internal", so that no internal
// detail reaches a user.
func AsDomain(err error) *concord.Error {
	var de *concord.Error
	if errors.As(err, &de) {
		return de
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return concord.Errorf(concord.ETooLarge, "", "error.too_large", "request body over %d bytes", mbe.Limit)
	}
	return &concord.Error{Code: concord.EInternal, Key: "error.internal", Message: "internal error"}
}

// All is every error of err as the user sees it: each of a concord.Errors
// (internal ones hidden), or the one AsDomain gives. nil for nil.
func All(err error) []*concord.Error {
	if err == nil {
		return nil
	}
	var all concord.Errors
	if errors.As(err, &all) && len(all) > 0 {
		out := make([]*concord.Error, len(all))
		for i, e := range all {
			out[i] = AsDomain(e)
			if e.Code == concord.EInternal {
				out[i] = AsDomain(errors.New("internal"))
			}
		}
		return out
	}
	return []*concord.Error{AsDomain(err)}
}
