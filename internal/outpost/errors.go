// Package outpost is the domain of Outpost: the entities (missions, people,
// status events), their validation, the error type shared by every layer and
// the Store contract that the storage engines implement.
package outpost

import (
	"errors"
	"fmt"
	"strconv"
)

// Error codes name the kinds of failure that callers act on. The HTTP layer
// maps them to statuses, the command line to exit codes.
const (
	EINVALID      = "invalid"      // the input or request was wrong
	ENOTFOUND     = "not_found"    // the thing does not exist (or is not yours)
	ECONFLICT     = "conflict"     // the request clashes with the current state
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	EUNAVAILABLE  = "unavailable"  // the database could not be reached or opened
	EINTERNAL     = "internal"     // a bug or an unexpected failure
	// EMETHOD is an HTTP request whose path exists but does not take its
	// method; the command line never sees it.
	EMETHOD = "method_not_allowed"
)

// Error is an error meant for the person at the keyboard: Message says what
// was wrong in their terms. Internal errors keep the cause for the log.
type Error struct {
	Code    string
	Message string
	// Details lists individual problems (for example one line per bad row of
	// an import), already formatted for display.
	Details []string
	// More counts problems beyond those in Details.
	More int
	Err  error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Message == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of an
// *Error, or a generic sentence for internal errors, whose text may leak
// implementation details.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Error()
	}
	return "internal error"
}

// NotFound is the one not-found answer for a record of kind that the
// caller may not see, or that does not exist: the two must read the same,
// signed in or not, over the API and the web, or the difference tells an
// outsider that the record exists. It is worded from the id as the caller
// gave it (which tells them nothing they did not send): a number as a
// number, so "06" and "6" read alike, anything else quoted and clipped.
func NotFound(kind, idText string) error {
	shown := strconv.Quote(clip(idText))
	if n, err := strconv.ParseInt(idText, 10, 64); err == nil && n > 0 {
		shown = strconv.FormatInt(n, 10)
	}
	return Errorf(ENOTFOUND, "There is no %s %s.", kind, shown)
}
