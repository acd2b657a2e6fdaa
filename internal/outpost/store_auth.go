package outpost

import (
	"context"
	"time"
)

// AuthStore keeps the users who sign in to the server, their sessions and
// their API tokens (secrets only as hashes), and answers the server's
// cheap question "has anything changed?".
type AuthStore interface {
	// CreateUser adds a user with the hash of their password: ECONFLICT
	// when the name is taken, EINVALID when a field is wrong or the
	// mission does not exist.
	CreateUser(ctx context.Context, u User, passwordHash string) (User, error)
	// SetPassword replaces a user's password hash, ends their sessions and
	// revokes their API tokens (whoever had the old password may have made
	// them); ENOTFOUND when there is no such user.
	SetPassword(ctx context.Context, name, passwordHash string) error
	// SetDisabled disables a user (ending their sessions and revoking
	// their API tokens) or enables them again; ENOTFOUND when there is no
	// such user. A disabled user cannot sign in, and a new session or
	// token for them is refused with EFORBIDDEN.
	SetDisabled(ctx context.Context, name string, disabled bool) error
	// User returns a user by name, or ENOTFOUND.
	User(ctx context.Context, name string) (User, error)
	// Users lists every user by name.
	Users(ctx context.Context) ([]User, error)
	// PasswordHash returns the password hash of a user, or ENOTFOUND.
	PasswordHash(ctx context.Context, name string) (string, error)

	// CreateToken stores an API token by its hash for the user t.User and
	// returns it with its id; ENOTFOUND when there is no such user. A zero
	// t.Expires lasts DefaultTokenLifetime; one past MaxTokenLifetime from
	// now, or not after now, is EINVALID. With t.Session set the token is
	// stored only if that session of t.User still exists (EUNAUTHORIZED
	// otherwise), in the same transaction.
	CreateToken(ctx context.Context, t Token) (Token, error)
	// Tokens lists every API token (without hashes), newest first.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken deletes an API token; ENOTFOUND when there is none.
	RevokeToken(ctx context.Context, id int64) error
	// UserByToken returns the enabled user of the unexpired token with
	// this hash, or EUNAUTHORIZED.
	UserByToken(ctx context.Context, hash string, now time.Time) (User, error)

	// CreateSession stores a session by the hash of its secret. With
	// s.PasswordHash set it is stored only if that is still the user's
	// password hash (EUNAUTHORIZED otherwise), in the same transaction:
	// a password changed during the sign-in ends it too.
	CreateSession(ctx context.Context, s Session) error
	// UserBySession returns the enabled user of the unexpired session with
	// this hash, or EUNAUTHORIZED.
	UserBySession(ctx context.Context, hash string, now time.Time) (User, error)
	// DeleteSession ends a session; ending one that does not exist is not
	// an error.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteExpiredSessions removes sessions that expired before now and
	// returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	// LastAuditID returns the id of the newest audit entry, 0 when there
	// is none. Every write leaves one, so a changed value means the data
	// changed: caches compare it instead of reloading.
	LastAuditID(ctx context.Context) (int64, error)

	// PingWrite answers nil when the database takes a write (it writes
	// one row that nothing reads): a full disk or a read-only database
	// answers an error although Ping still succeeds.
	PingWrite(ctx context.Context) error

	// AuthGeneration returns a number that grows whenever an API token
	// stops being valid before it expires (revoked, its user disabled or
	// their password changed) or a session is ended, by any server on
	// the database: a server that caches tokens reads it to learn that
	// it must look them up again.
	AuthGeneration(ctx context.Context) (int64, error)
	// UpdateAttempts runs fn on the sign-in attempts counted under key
	// (the zero Attempts when there are none) with no other change to
	// key in between, whichever server makes it; fn answers the new
	// count and whether to store it (a count of zero removes the key).
	UpdateAttempts(ctx context.Context, key string, fn func(Attempts) (Attempts, bool)) error
	// ForgetAttempts removes the counts last used before before, then
	// the least recently used ones beyond keep, and returns how many it
	// removed.
	ForgetAttempts(ctx context.Context, before time.Time, keep int) (int, error)
}

// Attempts is the count of sign-in attempts under one key and the time
// of the last one.
type Attempts struct {
	N    int
	Last time.Time
}

// Token lifetimes: a token asked for without one lasts the default, and
// none lasts longer than the maximum, so that a leaked token dies on its
// own.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 365 * 24 * time.Hour
)

// Token is an API token of a user. Only the SHA-256 hash of the secret is
// kept; the secret is shown once, when the token is created.
type Token struct {
	ID      int64     `json:"id"`
	User    string    `json:"user"`
	Label   string    `json:"label,omitempty"`
	Hash    string    `json:"-"`
	Created time.Time `json:"created"`
	// Expires is when the token stops working (every token expires:
	// asked for with zero, it lasts DefaultTokenLifetime).
	Expires time.Time `json:"expires,omitzero"`
	// Session is the hash of the session that mints the token, if one
	// does: the token is stored only while that session exists. It is
	// not stored.
	Session string `json:"-"`
}

// Session is a signed-in browser. Only the SHA-256 hash of the cookie's
// secret is kept.
type Session struct {
	Hash    string
	User    string
	Created time.Time
	Expires time.Time
	// PasswordHash is the hash the sign-in checked the password against:
	// the session is stored only if it is still the user's. It is not
	// stored.
	PasswordHash string
}
