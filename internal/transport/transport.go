// Package transport is the HTTP plumbing that the JSON API
// (internal/api) and the web UI (internal/web) share as siblings: who the
// caller is, the one table from error codes to HTTP statuses, reading a
// JSON body and the query parameters every capability uses.
package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[string]int{
	outpost.EINVALID:      http.StatusBadRequest,
	outpost.ENOTFOUND:     http.StatusNotFound,
	outpost.ECONFLICT:     http.StatusConflict,
	outpost.EUNAUTHORIZED: http.StatusUnauthorized,
	outpost.EFORBIDDEN:    http.StatusForbidden,
	outpost.EUNAVAILABLE:  http.StatusServiceUnavailable,
	outpost.EINTERNAL:     http.StatusInternalServerError,
	outpost.EMETHOD:       http.StatusMethodNotAllowed,
}

// StatusCode returns the HTTP status for err: by its outpost error code,
// 500 for any other error.
func StatusCode(err error) int {
	if s, ok := statusOf[outpost.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// MaxBody is the largest JSON request body read.
const MaxBody = 1 << 20

// DecodeJSON reads the request's JSON body into v, refusing unknown
// fields, trailing data and bodies over 1 MiB.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, MaxBody+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return outpost.Errorf(outpost.EINVALID, "the request has no JSON body")
		}
		return outpost.Errorf(outpost.EINVALID, "the request body is not valid JSON for this route: %v", err)
	}
	if dec.More() {
		return outpost.Errorf(outpost.EINVALID, "the request body holds more than one JSON value")
	}
	return nil
}

// Caller returns the signed-in user of the request; routes that are not
// public are only called with one.
func Caller(r *http.Request) outpost.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}

// Actor returns the request's context with the caller as the actor of its
// writes, for the audit log.
func Actor(r *http.Request) context.Context {
	return outpost.WithActor(r.Context(), Caller(r).Name)
}

// QueryInt reads an integer query parameter between 1 and max, def when
// absent.
func QueryInt(r *http.Request, name string, def, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, outpost.Errorf(outpost.EINVALID, "%s %q: want a whole number from 1 to %d", name, s, max)
	}
	return n, nil
}

// AsOf reads the moment a request asks about from the query parameter
// as_of (a time, or a date meaning the end of that day in loc); empty
// means now.
func AsOf(r *http.Request, now time.Time, loc *time.Location) (time.Time, error) {
	s := r.URL.Query().Get("as_of")
	if s == "" {
		if d, ok := outpost.PageDayFrom(r.Context()); ok {
			return d.End(loc).Truncate(time.Second), nil
		}
		return now.In(loc).Truncate(time.Second), nil
	}
	t, err := outpost.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, outpost.Errorf(outpost.EINVALID, "as_of %q: %v", s, err)
	}
	return t.In(loc), nil
}
