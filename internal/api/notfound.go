package api

import (
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
)

// The answers below are the one not-found of each kind of record. A
// record the caller may not see (a draft statement for the public,
// another mission's roll call, a medical case for the wrong role) and one
// that does not exist must answer with the same status and the same
// words, signed in or not, over the API and the web: any difference tells
// an outsider that the record exists. So every path that refuses a record
// of these kinds builds its error here, from the id as the caller gave it
// (which tells them nothing they did not send), and never passes on the
// store's own not-found message.

// NoStatement is the answer for a statement the caller may not see.
func NoStatement(idText string) error { return notFound("statement", idText) }

// NoPhoto is the answer for a photo of a statement the caller may see
// that is not among its photos.
func NoPhoto(idText string) error { return notFound("photo", idText) }

// NoPlan is the answer for an evacuation plan that is not there.
func NoPlan(idText string) error { return notFound("plan", idText) }

// NoPerson is the answer for a person whose record the caller may not
// read.
func NoPerson(id string) error {
	return outpost.Errorf(outpost.ENOTFOUND, "no person %q", outpost.Clip(id))
}

// notFound words the answer: a numeric id as its number (so "06" and "6"
// read alike), anything else quoted.
func notFound(kind, idText string) error {
	shown := strconv.Quote(idText)
	if n, err := strconv.ParseInt(idText, 10, 64); err == nil && n > 0 {
		shown = strconv.FormatInt(n, 10)
	}
	return outpost.Errorf(outpost.ENOTFOUND, "There is no %s %s.", kind, shown)
}

// hiddenAs turns the store's not-found into the one answer of its kind,
// and passes on any other error.
func hiddenAs(err error, answer error) error {
	if outpost.ErrorCode(err) == outpost.ENOTFOUND {
		return answer
	}
	return err
}
