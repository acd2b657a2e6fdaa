package webhook

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/channel"
	"github.com/outpost-org/outpost/internal/channel/webhook/webhooktest"
)

func hang(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func newSender(t *testing.T, cfg channel.WebhookConfig, opts ...Option) *Sender {
	t.Helper()
	s, err := New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestScriptsArriveIntact posts Cyrillic, Vietnamese and Chinese text:
// the bridge verifies the signature and reads the text back as sent,
// with the stable id in the body and the Idempotency-Key header.
func TestScriptsArriveIntact(t *testing.T) {
	b := webhooktest.Start(t)
	s := newSender(t, b.Config())
	ctx := hang(t)
	cases := []channel.Message{
		{Key: "link|1|RU-1|webhook|signal:+79161234567", To: "signal:+79161234567", Language: "ru", Body: "Анна, вы в безопасности? Ответьте 1 или 2."},
		{Key: "link|1|VN-1|webhook|telegram:@lan", To: "telegram:@lan", Language: "vi", Body: "Xin chào Nguyễn Thị Lan, bạn có an toàn không?"},
		{Key: "link|1|CN-1|webhook|whatsapp:+8613800000000", To: "whatsapp:+8613800000000", Language: "zh-Hans", Body: "王伟您好，请回复：1 平安，2 需要帮助。\n\"引号\" <标签> & 符号"},
	}
	for i, m := range cases {
		r, err := s.Send(ctx, m)
		if err != nil {
			t.Fatalf("send to %s: %v", m.To, err)
		}
		if r.ProviderID != fmt.Sprintf("b-%d", i+1) || r.Delivered {
			t.Errorf("%s: receipt %+v, want the bridge's id b-%d, not delivered", m.To, r, i+1)
		}
	}
	got := b.Messages()
	if len(got) != len(cases) || b.Forged() != 0 {
		t.Fatalf("the bridge accepted %d posts and refused %d", len(got), b.Forged())
	}
	for i, m := range cases {
		g := got[i]
		if g.To != m.To || g.Text != m.Body || g.Language != m.Language {
			t.Errorf("arrived %+v, want %+v", g, m)
		}
		if g.ID != ID(m.Key) || g.IdempotencyKey != g.ID {
			t.Errorf("%s: id %q, Idempotency-Key %q, want both %q", m.To, g.ID, g.IdempotencyKey, ID(m.Key))
		}
		if g.ContentType != "application/json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", m.To, g.ContentType)
		}
	}
	b.Delivered(true)
	if r, err := s.Send(ctx, cases[0]); err != nil || !r.Delivered {
		t.Errorf("a bridge answering delivered: %+v, %v", r, err)
	}
}

// TestIDStable: a retry carries the same id; another key another.
func TestIDStable(t *testing.T) {
	b := webhooktest.Start(t)
	s := newSender(t, b.Config())
	ctx := hang(t)
	m := channel.Message{Key: "link|7|RU-1|webhook|signal:+7", To: "signal:+7", Body: "x"}
	for range 2 {
		if _, err := s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	m.Key += "|1"
	if _, err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := b.Messages()
	if got[0].ID != got[1].ID || got[2].ID == got[0].ID {
		t.Errorf("ids %q %q %q: want the first two equal, the third different", got[0].ID, got[1].ID, got[2].ID)
	}
	if b.Repeats() != 1 || b.CountID(got[0].ID) != 2 || b.CountTo("signal:+7") != 3 {
		t.Errorf("repeats %d, count id %d, count to %d", b.Repeats(), b.CountID(got[0].ID), b.CountTo("signal:+7"))
	}
}

// TestWrongSecret: the bridge refuses the signature; the Sender says so,
// as temporary (right once the secret is corrected), and nothing is
// accepted.
func TestWrongSecret(t *testing.T) {
	b := webhooktest.Start(t)
	cfg := b.Config()
	cfg.Secret = "not the bridge's"
	s := newSender(t, cfg)
	_, err := s.Send(hang(t), channel.Message{Key: "k", To: "signal:+7", Body: "x"})
	reason, permanent := channel.Explain(err)
	if !strings.Contains(reason, "refused Outpost's signature") || permanent {
		t.Fatalf("a wrong secret: %q permanent %v (%v)", reason, permanent, err)
	}
	if b.Total() != 0 || b.Forged() != 1 {
		t.Fatalf("the bridge accepted %d and refused %d", b.Total(), b.Forged())
	}
}

// TestRefusalsInPlainWords maps each answer of the bridge to the words
// the outbox shows.
func TestRefusalsInPlainWords(t *testing.T) {
	b := webhooktest.Start(t)
	s := newSender(t, b.Config())
	ctx := hang(t)
	for _, c := range []struct {
		status    int
		body      string
		reason    string
		permanent bool
	}{
		{404, "no such chat", "the bridge does not know this handle", true},
		{410, "gone", "the bridge does not know this handle", true},
		{400, `{"error":"the handle is blocked"}`, "the bridge refused the message: the handle is blocked", true},
		{422, "text too long\nfor SMS", "the bridge refused the message: text too long for SMS", true},
		{429, "slow down", "the bridge is busy", false},
		{408, "", "the bridge is busy", false},
		{403, "", "the bridge refused Outpost's signature: the channel's secret differs from the bridge's", false},
		{500, "oops", "the bridge failed", false},
		{503, "", "the bridge failed", false},
	} {
		to := fmt.Sprintf("signal:%d", c.status)
		b.Refuse(to, c.status, c.body)
		_, err := s.Send(ctx, channel.Message{Key: to, To: to, Body: "x"})
		reason, permanent := channel.Explain(err)
		if reason != c.reason || permanent != c.permanent {
			t.Errorf("%d: %q permanent %v, want %q permanent %v", c.status, reason, permanent, c.reason, c.permanent)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprint(c.status)) {
			t.Errorf("%d: %q does not carry the status", c.status, err)
		}
	}
	b.FailNext(1, 502, "bad gateway")
	if _, err := s.Send(ctx, channel.Message{Key: "k", To: "signal:ok", Body: "x"}); err == nil {
		t.Fatal("a 502 was taken as accepted")
	}
	if _, err := s.Send(ctx, channel.Message{Key: "k", To: "signal:ok", Body: "x"}); err != nil {
		t.Fatalf("after the failure passed: %v", err)
	}
}

// TestRedirectNotFollowed: a 3xx is reported, and the signed message is
// not posted where it points.
func TestRedirectNotFollowed(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere++ }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	s := newSender(t, channel.WebhookConfig{URL: srv.URL, Secret: "s"})
	_, err := s.Send(hang(t), channel.Message{Key: "k", To: "signal:+7", Body: "x"})
	if reason, permanent := channel.Explain(err); err == nil || elsewhere != 0 || permanent ||
		reason != "the bridge answered what Outpost does not understand" || !strings.Contains(err.Error(), "307") {
		t.Fatalf("a redirect: %v (permanent %v), posted elsewhere %d times", err, permanent, elsewhere)
	}
}

// TestUnreachableAndTimeout: nothing listening, or a bridge that does
// not answer in time: temporary, in plain words.
func TestUnreachableAndTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := newSender(t, channel.WebhookConfig{URL: "http://" + addr + "/x", Secret: "s"})
	_, err = s.Send(hang(t), channel.Message{Key: "k", To: "signal:+7", Body: "x"})
	if reason, permanent := channel.Explain(err); reason != "the bridge cannot be reached" || permanent {
		t.Errorf("nothing listening: %q permanent %v (%v)", reason, permanent, err)
	}
	b := webhooktest.Start(t)
	b.Delay(time.Minute)
	s = newSender(t, b.Config(), WithTimeout(200*time.Millisecond))
	_, err = s.Send(hang(t), channel.Message{Key: "k", To: "signal:+7", Body: "x"})
	if reason, permanent := channel.Explain(err); reason != "the bridge did not answer in time" || permanent {
		t.Errorf("a slow bridge: %q permanent %v (%v)", reason, permanent, err)
	}
}

// TestLongAnswerBounded: a bridge answering without end is read only up
// to MaxReply, and the message counts as accepted.
func TestLongAnswerBounded(t *testing.T) {
	var served int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("x", 4096))
		for range 10_000 { // 40 MB unless the client stops reading
			if _, err := w.Write(chunk); err != nil {
				return
			}
			served += int64(len(chunk))
		}
	}))
	defer srv.Close()
	s := newSender(t, channel.WebhookConfig{URL: srv.URL, Secret: "s"})
	r, err := s.Send(hang(t), channel.Message{Key: "k", To: "signal:+7", Body: "x"})
	if err != nil || r.ProviderID != "" || len(r.Detail) > 400 {
		t.Fatalf("a long answer: %+v, %v", r, err)
	}
	s.Close()
	srv.Close()
	if served > 10<<20 {
		t.Errorf("the bridge wrote %d bytes before the Sender stopped reading", served)
	}
}

// TestConcurrentSendsReuseConnections: many posts at once arrive once
// each, over few connections.
func TestConcurrentSendsReuseConnections(t *testing.T) {
	b := webhooktest.Start(t)
	s := newSender(t, b.Config(), WithConnections(8))
	ctx := hang(t)
	const n, workers = 400, 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []error
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				to := fmt.Sprintf("signal:+7%04d", i)
				if _, err := s.Send(ctx, channel.Message{Key: to, To: to, Body: "Проверка"}); err != nil {
					mu.Lock()
					failed = append(failed, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range failed {
		t.Error(err)
	}
	if b.Total() != n || b.Repeats() != 0 {
		t.Fatalf("%d posts (%d repeats), want %d", b.Total(), b.Repeats(), n)
	}
	// Go's transport may dial a spare connection while one is being
	// returned, so a few more than the workers; without reuse, one a post.
	if c := b.Connections(); c > 3*workers {
		t.Errorf("%d connections for %d posts from %d workers: connections are not reused", c, n, workers)
	}
}

// TestBridgeGoesAwayAndReturns: down, sends fail as temporary; back,
// the same Sender posts again.
func TestBridgeGoesAwayAndReturns(t *testing.T) {
	b := webhooktest.Start(t)
	s := newSender(t, b.Config())
	ctx := hang(t)
	send := func(to string) error {
		_, err := s.Send(ctx, channel.Message{Key: to, To: to, Body: "x"})
		return err
	}
	if err := send("signal:before"); err != nil {
		t.Fatal(err)
	}
	b.Stop()
	if _, permanent := channel.Explain(send("signal:during")); permanent {
		t.Fatal("a bridge that is down was taken as a permanent refusal")
	}
	if err := b.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := send("signal:after"); err != nil {
		t.Fatalf("after the bridge returned: %v", err)
	}
	if b.CountTo("signal:before") != 1 || b.CountTo("signal:during") != 0 || b.CountTo("signal:after") != 1 {
		t.Error("counts wrong after the bridge returned")
	}
}

// TestSignedBody checks the request byte for byte against the contract
// in docs/channels.md, with a fixed clock.
func TestSignedBody(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	var body []byte
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		header = r.Header.Clone()
		w.Write([]byte(`{"id": 42, "delivered": true}`))
	}))
	defer srv.Close()
	s := newSender(t, channel.WebhookConfig{URL: srv.URL, Secret: "s3cret"}, WithClock(func() time.Time { return at }))
	r, err := s.Send(hang(t), channel.Message{Key: "k", To: "signal:+79161234567", Body: "Привет", Language: "ru"})
	if err != nil || r.ProviderID != "42" || !r.Delivered {
		t.Fatalf("receipt %+v, %v", r, err)
	}
	want := `{"id":"` + ID("k") + `","to":"signal:+79161234567","text":"Привет","language":"ru"}`
	if string(body) != want {
		t.Errorf("body %s\nwant %s", body, want)
	}
	if got := header.Get(channel.SignatureHeader); got != channel.Sign("s3cret", at, body) {
		t.Errorf("signature %q", got)
	}
	if err := channel.Verify("s3cret", header.Get(channel.SignatureHeader), at, body); err != nil {
		t.Error(err)
	}
	if header.Get("Idempotency-Key") != ID("k") || len(ID("k")) != 32 {
		t.Errorf("Idempotency-Key %q", header.Get("Idempotency-Key"))
	}
}

func TestParseReply(t *testing.T) {
	for in, want := range map[string]Reply{
		`{"id":"abc","delivered":true}`: {ID: "abc", Delivered: true},
		`{"id":12345678901234567890}`:   {ID: "12345678901234567890"},
		`{"delivered":false}`:           {},
		`{"id":null}`:                   {},
		`{}`:                            {},
	} {
		got, err := ParseReply([]byte(in))
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{``, `[]`, `"x"`, `{"id":{}}`, `{"id":true}`, `{"delivered":"yes"}`,
		`{"id":"` + strings.Repeat("x", 201) + `"}`, `{"id":"a\nb"}`, `{"id":"a\u0000"}`} {
		if r, err := ParseReply([]byte(in)); err == nil {
			t.Errorf("%s was read as %+v", in, r)
		}
	}
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{`{"id":"abc","delivered":true}`, `{"id":1e400}`, `{"id":"a\u0000"}`, `{"id":[1]}`,
		`{"delivered":null}`, `not json`, `{"id":"` + strings.Repeat("é", 201) + `"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseReply(b)
		if err != nil {
			if r != (Reply{}) {
				t.Fatalf("an error with a reply %+v", r)
			}
			return
		}
		if len([]rune(r.ID)) > 200 || strings.ContainsAny(r.ID, "\r\n\x00") {
			t.Fatalf("an id the outbox cannot show: %q", r.ID)
		}
		// What was read is what a bridge said: writing it back reads the same.
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if r2, err := ParseReply(again); err != nil || r2 != r {
			t.Fatalf("%+v read back as %+v, %v", r, r2, err)
		}
		// And whatever the answer, explain takes it without panicking.
		explain(200, b, nil)
		explain(400, b, nil)
	})
}

func TestNewRefusesBadSettings(t *testing.T) {
	for _, cfg := range []channel.WebhookConfig{
		{URL: "ftp://bridge.test/x", Secret: "s"},
		{URL: "http:///x", Secret: "s"},
		{URL: "bridge.test/x", Secret: "s"},
		{URL: "http://bridge.test/x"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}

// TestHTTPS: an https bridge's certificate is verified: trusted through
// WithRootCAs it takes the message; untrusted, nothing is posted.
func TestHTTPS(t *testing.T) {
	var got int
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got++
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	m := channel.Message{Key: "k", To: "signal:+7", Body: "x"}
	untrusted := newSender(t, channel.WebhookConfig{URL: srv.URL, Secret: "s"})
	_, err := untrusted.Send(hang(t), m)
	if reason, _ := channel.Explain(err); reason != "the bridge's certificate is not trusted: nothing was sent" || got != 0 {
		t.Fatalf("posted to an untrusted certificate: %v (%d)", err, got)
	}
	trusted := newSender(t, channel.WebhookConfig{URL: srv.URL, Secret: "s"}, WithRootCAs(roots))
	if _, err := trusted.Send(hang(t), m); err != nil || got != 1 {
		t.Fatalf("a trusted bridge: %v (%d)", err, got)
	}
}
