// Package auth holds the server's secrets and who is asking: passwords
// hashed with argon2id, random secrets for API tokens and sessions that are
// stored only as SHA-256 hashes, the signed-in user carried in a request's
// context, and a bounded rate limiter for sign-in attempts.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/alexedwards/argon2id"
	"github.com/outpost-org/outpost/internal/outpost"
)

// params are argon2id's costs: OWASP's recommended minimum (19 MiB, two
// passes, one lane), which keeps a sign-in near 30 ms and bounds the
// memory of concurrent sign-ins.
var params = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// dummyHash is compared against when the user does not exist, so that a
// sign-in takes as long for an unknown name as for a wrong password.
// It is made on first use, not at start, so that commands that never check
// a password do not pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, _ := argon2id.CreateHash("outpost: no such user", &params)
	return h
})

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// HashPassword returns the argon2id hash of a password, or EINVALID when
// the password is too short, or EUNAVAILABLE when the server is too busy
// hashing other passwords (see HashPasswordContext).
func HashPassword(pw string) (string, error) {
	return HashPasswordContext(context.Background(), pw)
}

// HashPasswordContext is HashPassword that stops waiting for a free
// hashing slot when ctx ends.
func HashPasswordContext(ctx context.Context, pw string) (string, error) {
	if len([]rune(pw)) < MinPasswordLength {
		return "", outpost.Errorf(outpost.EINVALID, "the password is too short: use at least %d characters", MinPasswordLength)
	}
	var h string
	var err error
	if serr := withHashSlot(ctx, func() { h, err = argon2id.CreateHash(pw, &params) }); serr != nil {
		return "", serr
	}
	if err != nil {
		return "", &outpost.Error{Code: outpost.EINTERNAL, Message: "cannot hash the password", Err: err}
	}
	return h, nil
}

// CheckPassword reports whether pw matches hash. An empty hash (unknown
// user) is checked against a dummy so that both cases cost the same. A
// server too busy to check answers false: use VerifyPassword to tell.
func CheckPassword(pw, hash string) bool {
	ok, err := VerifyPassword(context.Background(), pw, hash)
	return ok && err == nil
}

// VerifyPassword reports whether pw matches hash, like CheckPassword, or
// answers EUNAVAILABLE when no hashing slot comes free in time or ctx
// ends first: the check is refused rather than queued without end.
func VerifyPassword(ctx context.Context, pw, hash string) (bool, error) {
	var ok bool
	err := withHashSlot(ctx, func() {
		if hash == "" {
			argon2id.ComparePasswordAndHash(pw, dummyHash())
			return
		}
		match, err := argon2id.ComparePasswordAndHash(pw, hash)
		ok = err == nil && match
	})
	return ok, err
}

// passwordAlphabet leaves out characters that are easy to misread (0 O 1
// l I) so a generated password can be read out over a phone.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// GeneratePassword returns a random password of four groups of five
// characters (100 bits), such as "k7m2p-xq9rt-h3n8w-cd4fs".
func GeneratePassword() string {
	b := make([]byte, 20)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(passwordAlphabet[int(c)%len(passwordAlphabet)])
	}
	return sb.String()
}

// Prefixes tell a leaked secret's kind at a glance (and let secret
// scanners find them).
const (
	TokenPrefix   = "opt_"
	SessionPrefix = "ops_"
)

// NewSecret returns a new random 256-bit secret with the given prefix and
// the hash under which it is stored.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the hex SHA-256 of a token or session secret: the
// only form in which the database holds it.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SessionCookie is the name of the cookie that holds a session's secret;
// SecureSessionCookie its name when the server is reached over https (the
// browser then keeps it only if it is Secure, for Path=/ and no Domain).
const (
	SessionCookie       = "outpost_session"
	SecureSessionCookie = "__Host-" + SessionCookie
)

type userKey struct{}

// WithUser returns a context that carries the signed-in user.
func WithUser(ctx context.Context, u outpost.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the signed-in user of ctx, and false when nobody is
// signed in.
func UserFrom(ctx context.Context) (outpost.User, bool) {
	u, ok := ctx.Value(userKey{}).(outpost.User)
	return u, ok && u.Name != ""
}
