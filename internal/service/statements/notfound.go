package statements

import (
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
)

// The answers below are the one not-found of each kind of record. A
// record the caller may not see (a draft statement for the public) and
// one that does not exist must answer with the same status and the same
// words, signed in or not, over the API and the web: any difference tells
// an outsider that the record exists. So every path that refuses a
// statement or a photo builds its error here, from the id as the caller
// gave it (which tells them nothing they did not send), and never passes
// on the store's own not-found message.

// NoStatement is the answer for a statement the caller may not see.
func NoStatement(idText string) error { return outpost.NotFound("statement", idText) }

// NoPhoto is the answer for a photo of a statement the caller may see
// that is not among its photos.
func NoPhoto(idText string) error { return outpost.NotFound("photo", idText) }

// ID reads a statement id as the caller wrote it; anything that is not
// one answers NoStatement, like an id that does not exist.
func ID(idText string) (int64, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoStatement(idText)
	}
	return id, nil
}

// PhotoID reads a photo id as the caller wrote it; anything that is not
// one answers NoPhoto.
func PhotoID(idText string) (int64, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, NoPhoto(idText)
	}
	return id, nil
}

// hiddenAs turns the store's not-found into the one answer of its kind,
// and passes on any other error. The operator of the command line
// (outpost.Operator) holds the database and has no one to hide from: they
// read the store's own words ("no statement 99"), as they always have.
func hiddenAs(caller outpost.User, err error, answer error) error {
	if outpost.ErrorCode(err) == outpost.ENOTFOUND && !isOperator(caller) {
		return answer
	}
	return err
}

// isOperator reports whether the caller is the operator of a command-line
// command rather than a user of the server.
func isOperator(u outpost.User) bool { return u == outpost.Operator(u.Name) }
