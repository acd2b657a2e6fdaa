package welfare

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// hookSecret is a webhook secret of the minimum length.
var hookSecret = []byte(strings.Repeat("k", MinWebhookSecret))

// hookReceiver records what a webhook receiver is sent.
type hookReceiver struct {
	mu     sync.Mutex
	bodies [][]byte
	heads  []http.Header
}

func (h *hookReceiver) start(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, body)
		h.heads = append(h.heads, r.Header.Clone())
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestWebhookSignatureCoversTimestampAndBody(t *testing.T) {
	var h hookReceiver
	sentAt := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	w := Webhook{URL: h.start(t), Secret: hookSecret, Now: func() time.Time { return sentAt }}
	if err := w.Notify(context.Background(), Notice{RollCall: 3, Mission: "RU", Title: "Storm"}); err != nil {
		t.Fatal(err)
	}
	if len(h.bodies) != 1 {
		t.Fatalf("the receiver got %d requests, want 1", len(h.bodies))
	}
	body, head := h.bodies[0], h.heads[0]
	sig := head.Get("Outpost-Signature")
	if !regexp.MustCompile(`^t=1617278400,v1=[0-9a-f]{64}$`).MatchString(sig) {
		t.Fatalf("Outpost-Signature: got %q, want t=1617278400,v1=<64 hex digits>", sig)
	}
	if old := head.Get("X-Outpost-Signature"); old != "" {
		t.Errorf("the replayable body-only signature is still sent: %q", old)
	}
	// The signature is the HMAC of "t.body": a receiver in any language
	// can check it from this rule alone.
	if want := SignWebhook(hookSecret, body, sentAt); sig != want {
		t.Errorf("signature: got %q, want %q", sig, want)
	}
	if err := VerifyWebhook(hookSecret, sig, body, sentAt.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("the notice as sent is refused: %v", err)
	}
	// The same request replayed later than the tolerance is refused.
	if err := VerifyWebhook(hookSecret, sig, body, sentAt.Add(6*time.Minute), 5*time.Minute); !errors.Is(err, ErrWebhookTimestamp) {
		t.Errorf("replayed after the tolerance: got %v, want ErrWebhookTimestamp", err)
	}
}

func TestVerifyWebhook(t *testing.T) {
	now := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"event":"rollcall.escalation","notice":{"mission":"RU"}}`)
	good := SignWebhook(hookSecret, body, now)
	ts := strconv.FormatInt(now.Unix(), 10)
	mac := strings.TrimPrefix(good, "t="+ts+",v1=")
	cases := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		tol    time.Duration
		want   error
	}{
		{"as sent", hookSecret, good, body, now, time.Minute, nil},
		{"at the edge of the tolerance", hookSecret, good, body, now.Add(5 * time.Minute), 0, nil},
		{"with spaces and another scheme", hookSecret, "t=" + ts + ", v0=abc, v1=" + mac, body, now, 0, nil},
		{"one of two v1 signatures (secret rotation)", hookSecret, "t=" + ts + ",v1=" + strings.Repeat("0", 64) + ",v1=" + mac, body, now, 0, nil},
		{"body tampered", hookSecret, good, []byte(strings.Replace(string(body), "RU", "SE", 1)), now, 0, ErrWebhookSignature},
		{"body with a byte more", hookSecret, good, append(body, ' '), now, 0, ErrWebhookSignature},
		{"timestamp moved into the window", hookSecret, "t=" + strconv.FormatInt(now.Unix()+1, 10) + ",v1=" + mac, body, now, 0, ErrWebhookSignature},
		{"another secret", []byte(strings.Repeat("x", 32)), good, body, now, 0, ErrWebhookSignature},
		{"replayed an hour later", hookSecret, good, body, now.Add(time.Hour), 5 * time.Minute, ErrWebhookTimestamp},
		{"replayed just past the default tolerance", hookSecret, good, body, now.Add(5*time.Minute + time.Second), 0, ErrWebhookTimestamp},
		{"from the future", hookSecret, good, body, now.Add(-10 * time.Minute), 5 * time.Minute, ErrWebhookTimestamp},
		{"year 1", hookSecret, SignWebhook(hookSecret, body, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)), body, now, 0, ErrWebhookTimestamp},
		{"far future", hookSecret, "t=9223372036854775807,v1=" + mac, body, now, 0, ErrWebhookSignature},
		{"the old header", hookSecret, "sha256=" + mac, body, now, 0, ErrWebhookHeader},
		{"empty", hookSecret, "", body, now, 0, ErrWebhookHeader},
		{"no timestamp", hookSecret, "v1=" + mac, body, now, 0, ErrWebhookHeader},
		{"two timestamps", hookSecret, "t=" + ts + ",t=" + ts + ",v1=" + mac, body, now, 0, ErrWebhookHeader},
		{"no signature", hookSecret, "t=" + ts, body, now, 0, ErrWebhookHeader},
		{"short signature", hookSecret, "t=" + ts + ",v1=" + mac[:62], body, now, 0, ErrWebhookHeader},
		{"not hex", hookSecret, "t=" + ts + ",v1=" + strings.Repeat("z", 64), body, now, 0, ErrWebhookHeader},
		{"timestamp not a number", hookSecret, "t=soon,v1=" + mac, body, now, 0, ErrWebhookHeader},
		{"timestamp written another way", hookSecret, "t=0" + ts + ",v1=" + mac, body, now, 0, ErrWebhookHeader},
		{"the same signature twice", hookSecret, good + ",v1=" + mac, body, now, 0, ErrWebhookHeader},
		{"a part that is no key=value", hookSecret, good + ",x", body, now, 0, ErrWebhookHeader},
		{"no secret at the receiver", nil, good, body, now, 0, ErrWebhookSecret},
		{"a short secret at the receiver", hookSecret[:MinWebhookSecret-1], good, body, now, 0, ErrWebhookSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := VerifyWebhook(c.secret, c.header, c.body, c.now, c.tol)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestWebhookWithoutASecretSendsNothing(t *testing.T) {
	for _, secret := range []string{"", "s3cret", strings.Repeat("k", MinWebhookSecret-1)} {
		var h hookReceiver
		w := Webhook{URL: h.start(t), Secret: []byte(secret)}
		err := w.Notify(context.Background(), Notice{RollCall: 3, Mission: "RU"})
		if err == nil || !strings.Contains(err.Error(), "secret") {
			t.Errorf("secret %q: got %v, want a refusal naming the secret", secret, err)
		}
		if len(h.bodies) != 0 {
			t.Errorf("secret %q: the receiver got %d notices, want none", secret, len(h.bodies))
		}
	}
}

func TestCheckWebhookSettings(t *testing.T) {
	long := strings.Repeat("k", MinWebhookSecret)
	cases := []struct {
		address, secret string
		want            string // in the error; "" for none
	}{
		{"", "", ""},
		{"", long, ""},
		{"https://hooks.example/x", long, ""},
		{"https://hooks.example/x", "", "needs a secret"},
		{"https://hooks.example/x", "s3cret", "at least 32"},
		{"https://hooks.example/x", long[1:], "31 bytes long"},
		{"ftp://hooks.example/x", long, "http or https"},
		{"https://", long, "http or https"},
	}
	for _, c := range cases {
		err := CheckWebhookSettings(c.address, c.secret)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || outpost.ErrorCode(err) != outpost.EINVALID) {
			t.Errorf("%q with a %d-byte secret: got %v, want %q", c.address, len(c.secret), err, c.want)
		}
	}
	if s := NewWebhookSecret(); CheckWebhookSecret(s) != nil || s == NewWebhookSecret() {
		t.Errorf("a generated secret %q is refused or repeats", s)
	}
}

// FuzzVerifyWebhook checks that no header or body makes the verifier
// panic or accept what the secret did not sign.
func FuzzVerifyWebhook(f *testing.F) {
	now := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"event":"rollcall.escalation"}`)
	f.Add(SignWebhook(hookSecret, body, now), body, int64(0))
	f.Add(SignWebhook(hookSecret, body, now), []byte(`{"event":"rollcall.escalation "}`), int64(0))
	f.Add(SignWebhook(hookSecret, body, now), body, int64(3600))
	f.Add("t=9223372036854775807,v1=00", body, int64(0))
	f.Add("t=-9223372036854775808,v1="+strings.Repeat("0", 64), body, int64(0))
	f.Add("t=1,t=2,v1=,,=,", []byte{0}, int64(-1))
	f.Add("sha256=abc", []byte(nil), int64(1e18))
	f.Fuzz(func(t *testing.T, header string, body []byte, skew int64) {
		at := now.Add(time.Duration(skew) * time.Second)
		if VerifyWebhook(hookSecret, header, body, at, 0) != nil {
			return
		}
		// Accepted: the header must hold the true HMAC of "t.body".
		var ts string
		var v1 []string
		for _, p := range strings.Split(header, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			switch k {
			case "t":
				ts = v
			case "v1":
				v1 = append(v1, strings.ToLower(v))
			}
		}
		m := hmac.New(sha256.New, hookSecret)
		m.Write([]byte(ts + "."))
		m.Write(body)
		if !slices.Contains(v1, hex.EncodeToString(m.Sum(nil))) {
			t.Fatalf("accepted %q for body %q", header, body)
		}
	})
}

func TestWebhookErrorsDoNotShowTheAddress(t *testing.T) {
	// Addresses such as Slack's carry their token in the path.
	const token = "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
	for _, w := range []Webhook{
		{URL: "http://127.0.0.1:1/services/" + token, Secret: hookSecret},
		{URL: "http://127.0.0.1:1/services/" + token},
		{URL: "http://[::1/services/" + token, Secret: hookSecret},
	} {
		err := w.Notify(context.Background(), Notice{RollCall: 3, Mission: "RU"})
		if err == nil || strings.Contains(err.Error(), token) {
			t.Errorf("got %v, want an error without the address", err)
		}
	}
}

// A receiver remembers the replay key, not the header: however the header
// of one notice is rewritten, the key is the same, so a replay within the
// tolerance is refused.
func TestWebhookReplayKeyIgnoresHowTheHeaderIsWritten(t *testing.T) {
	now := time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"event":"rollcall.escalation"}`)
	good := SignWebhook(hookSecret, body, now)
	ts := strconv.FormatInt(now.Unix(), 10)
	mac := strings.TrimPrefix(good, "t="+ts+",v1=")
	want, err := VerifyWebhookKey(hookSecret, good, body, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{
		"t=" + ts + ", v1=" + mac,
		" t=" + ts + ",v1=" + mac,
		"v1=" + mac + ",t=" + ts,
		good + ",v0=zz",
		"t=" + ts + ",v1=" + strings.ToUpper(mac),
		"t=" + ts + ",v1=" + strings.Repeat("0", 64) + ",v1=" + mac,
	} {
		key, err := VerifyWebhookKey(hookSecret, h, body, now.Add(time.Minute), 0)
		if err != nil || key != want {
			t.Errorf("header %q: key %q, %v; want %q", h, key, err, want)
		}
	}
}

// A notice goes where it was addressed: a receiver that redirects gets an
// error back, and the address it points at receives nothing.
func TestWebhookFollowsNoRedirect(t *testing.T) {
	var elsewhere hookReceiver
	target := elsewhere.start(t)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirect.Close)
	w := Webhook{URL: redirect.URL, Secret: hookSecret}
	if err := w.Notify(context.Background(), Notice{RollCall: 3, Mission: "RU"}); err == nil {
		t.Error("a redirected notice counts as delivered")
	}
	if len(elsewhere.bodies) != 0 {
		t.Errorf("the redirect's target got %d notices, want none", len(elsewhere.bodies))
	}
}
