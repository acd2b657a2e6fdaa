package welfare

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// SignatureHeader is the header that carries a webhook's signature.
const SignatureHeader = "Outpost-Signature"

// MinWebhookSecret is the shortest webhook secret accepted, in bytes: an
// HMAC key shorter than the hash's output can be guessed offline from one
// signed notice.
const MinWebhookSecret = 32

// DefaultWebhookTolerance is how far a signature's timestamp may be from
// the receiver's clock when VerifyWebhook is given no tolerance.
const DefaultWebhookTolerance = 5 * time.Minute

// CheckWebhookSecret says what is wrong with a webhook secret: missing or
// shorter than MinWebhookSecret bytes.
func CheckWebhookSecret(secret string) error {
	if secret == "" {
		return outpost.Errorf(outpost.EINVALID, "a webhook needs a secret to sign its notices: set one of at least %d bytes (--webhook-secret, or --generate-webhook-secret to make one)", MinWebhookSecret)
	}
	if len(secret) < MinWebhookSecret {
		return outpost.Errorf(outpost.EINVALID, "the webhook secret is %d bytes long: want at least %d (--generate-webhook-secret makes one)", len(secret), MinWebhookSecret)
	}
	return nil
}

// CheckWebhookSettings checks the webhook settings as they will be
// stored: an address needs a secret, and the address must be http or
// https. No address (no webhook) is fine whatever the secret.
func CheckWebhookSettings(address, secret string) error {
	if address == "" {
		return nil
	}
	if u, err := url.Parse(address); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return outpost.Errorf(outpost.EINVALID, "webhook %q: want an http or https address", address)
	}
	return CheckWebhookSecret(secret)
}

// NewWebhookSecret returns a random secret for a webhook: 32 random
// bytes in hex.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// SignWebhook returns the Outpost-Signature header value for body sent
// at t: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<unix seconds>.<body>">".
func SignWebhook(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(webhookMAC(secret, ts, body))
}

func webhookMAC(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// The reasons VerifyWebhook refuses a notice; test them with errors.Is.
var (
	// ErrWebhookHeader: the header is missing or not "t=…,v1=…".
	ErrWebhookHeader = errors.New("webhook signature header malformed")
	// ErrWebhookSignature: no v1 signature matches the body and timestamp.
	ErrWebhookSignature = errors.New("webhook signature does not match")
	// ErrWebhookTimestamp: the timestamp is outside the tolerance, as a
	// replayed notice's is.
	ErrWebhookTimestamp = errors.New("webhook timestamp outside the tolerance")
	// ErrWebhookSecret: the receiver's own secret is shorter than
	// MinWebhookSecret bytes, so no signature under it proves anything.
	ErrWebhookSecret = errors.New("webhook secret too short")
)

// VerifyWebhook checks a notice as its receiver should: header is the
// Outpost-Signature header, body the raw request body (before any JSON
// decoding), now the receiver's clock. It accepts the notice only if one
// v1 signature is the HMAC-SHA256 of "<t>.<body>" under secret and t is
// within tolerance of now (DefaultWebhookTolerance when 0), so an old
// notice cannot be replayed later. Within the tolerance a receiver must
// also refuse a notice it has accepted before: VerifyWebhookKey gives
// the key to remember. It uses only the standard library, so a Go
// receiver can copy it.
func VerifyWebhook(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	_, err := VerifyWebhookKey(secret, header, body, now, tolerance)
	return err
}

// VerifyWebhookKey is VerifyWebhook that also returns the replay key of
// an accepted notice: its timestamp and the signature that matched. The
// key is the same however the header is written (spaces, the order of
// its parts, other schemes added), so a receiver that remembers keys
// within the tolerance refuses every replay; a receiver that remembered
// the raw header would not.
func VerifyWebhookKey(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) (string, error) {
	if len(secret) < MinWebhookSecret {
		return "", ErrWebhookSecret
	}
	if tolerance <= 0 {
		tolerance = DefaultWebhookTolerance
	}
	ts, sigs, err := parseSignature(header)
	if err != nil {
		return "", err
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || strconv.FormatInt(sec, 10) != ts {
		return "", fmt.Errorf("%w: want t=<unix seconds>", ErrWebhookHeader)
	}
	want := webhookMAC(secret, ts, body)
	var match []byte
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			match = sig
		}
	}
	if match == nil {
		return "", ErrWebhookSignature
	}
	// Compared in seconds, as bounds around now: a time.Duration or a
	// difference overflows for a timestamp far from now.
	n, tol := now.Unix(), int64(tolerance/time.Second)
	if sec < n-tol || sec > n+tol {
		return "", fmt.Errorf("%w: signed at %d, now %d", ErrWebhookTimestamp, sec, now.Unix())
	}
	return ts + "." + hex.EncodeToString(match), nil
}

// parseSignature reads "t=…,v1=…[,v1=…]": exactly one timestamp, at least
// one v1 signature and no signature twice. Parts of other schemes
// ("v0=…") are skipped, so that a scheme can be added later.
func parseSignature(header string) (ts string, sigs [][]byte, err error) {
	seen := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k == "" {
			return "", nil, fmt.Errorf("%w: %q is not key=value", ErrWebhookHeader, part)
		}
		switch k {
		case "t":
			if ts != "" {
				return "", nil, fmt.Errorf("%w: two timestamps", ErrWebhookHeader)
			}
			ts = v
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				return "", nil, fmt.Errorf("%w: v1 is not a hex SHA-256", ErrWebhookHeader)
			}
			if seen[string(sig)] {
				return "", nil, fmt.Errorf("%w: the same v1 twice", ErrWebhookHeader)
			}
			seen[string(sig)] = true
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return "", nil, fmt.Errorf("%w: no v1 signature", ErrWebhookHeader)
	}
	return ts, sigs, nil
}
