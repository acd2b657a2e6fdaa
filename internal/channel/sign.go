package channel

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries a webhook body's signature, both ways: on
// messages Outpost posts to a bridge and on answers a bridge posts back.
// Its value is "t=UNIX,v1=HEX" where HEX is the HMAC-SHA256, keyed by the
// channel's secret, of the decimal UNIX time, a full stop and the body.
const SignatureHeader = "X-Outpost-Signature"

// SignatureTolerance is how far a signature's time may be from the
// receiver's clock: an older body is refused as a replay.
const SignatureTolerance = 5 * time.Minute

// Sign answers the SignatureHeader value for body sent at now.
func Sign(secret string, now time.Time, body []byte) string {
	t := strconv.FormatInt(now.Unix(), 10)
	return "t=" + t + ",v1=" + mac(secret, t, body)
}

func mac(secret, t string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(t))
	h.Write([]byte{'.'})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verify checks a SignatureHeader value against body: nil when it was
// made with secret within SignatureTolerance of now.
func Verify(secret, header string, now time.Time, body []byte) error {
	if secret == "" {
		return errors.New("no secret is set for the webhook channel")
	}
	var t, v string
	for _, part := range strings.Split(header, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			t = val
		case "v1":
			v = val
		}
	}
	if t == "" || v == "" {
		return errors.New("the signature header is missing or malformed")
	}
	sec, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return errors.New("the signature's time is not a number")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > SignatureTolerance || d < -SignatureTolerance {
		return errors.New("the signature's time is too far from now")
	}
	if !hmac.Equal([]byte(v), []byte(mac(secret, t, body))) {
		return errors.New("the signature does not match the body")
	}
	return nil
}
