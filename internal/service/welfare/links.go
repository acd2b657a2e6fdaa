// Package welfare is the welfare service: roll calls, check-ins, medical
// cases and escalation, with who may do what, for the JSON API, the web
// UI and the command line alike (Service). It also holds what roll calls
// need beyond storage: the signed one-tap check-in links, the batching of
// answers so that thousands a second reach the database in few
// transactions, and the escalation of non-responders to their missions
// through pluggable channels.
package welfare

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Links makes and checks per-person check-in links. A link carries the
// roll call, the person and a MAC over both under the post's secret, so
// it cannot be guessed or altered, and nothing per person is stored.
type Links struct {
	Secret []byte
	// BaseURL is where the server is reached, e.g. https://post.example.
	BaseURL string
}

// Token returns the MAC of a person's link to a roll call.
func (l Links) Token(rollcall int64, person string) string {
	m := hmac.New(sha256.New, l.Secret)
	fmt.Fprintf(m, "rollcall\x00%d\x00%s", rollcall, person)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// Valid reports whether token is the MAC of that person's link.
func (l Links) Valid(rollcall int64, person, token string) bool {
	if len(l.Secret) == 0 {
		return false
	}
	return hmac.Equal([]byte(l.Token(rollcall, person)), []byte(token))
}

// Path returns the link's path: /checkin/{rollcall}/{person}/{token}.
func (l Links) Path(rollcall int64, person string) string {
	return "/checkin/" + strconv.FormatInt(rollcall, 10) + "/" + url.PathEscape(person) + "/" + l.Token(rollcall, person)
}

// URL returns the full link.
func (l Links) URL(rollcall int64, person string) string {
	return strings.TrimSuffix(l.BaseURL, "/") + l.Path(rollcall, person)
}
