// Package webhooktest is a messenger bridge for tests and benchmarks of
// the webhook channel: an HTTP server on 127.0.0.1 that takes the signed
// JSON posts of docs/channels.md, refuses a bad or missing signature
// with 401, counts what it accepted per handle and per message id, and
// can be told to fail: the next posts, or every post to a handle, with a
// given status; to be slow; to stop and to start again on the same
// address.
package webhooktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/channel"
)

// Secret is the secret the bridge verifies signatures with unless told
// otherwise.
const Secret = "bridge-secret"

// Message is one post the bridge accepted.
type Message struct {
	ID             string // the body's "id"
	To             string
	Text           string
	Language       string
	IdempotencyKey string // the Idempotency-Key header
	ContentType    string
	// ProviderID is the id the bridge answered with.
	ProviderID string
}

// Bridge is a running test bridge.
type Bridge struct {
	// URL is where to post.
	URL    string
	addr   string
	secret string

	mu        sync.Mutex
	srv       *http.Server
	msgs      []Message
	byTo      map[string]int
	byID      map[string]int
	failNext  []failure
	failTo    map[string]failure
	forged    int
	delivered bool
	delay     time.Duration
	seq       int
	conns     int
}

type failure struct {
	status int
	body   string
}

// Option changes how Start sets up the bridge.
type Option func(*Bridge)

// WithSecret sets the secret signatures are checked with.
func WithSecret(secret string) Option { return func(b *Bridge) { b.secret = secret } }

// Start starts a bridge on 127.0.0.1 on a free port; it stops when the
// test ends.
func Start(tb testing.TB, opts ...Option) *Bridge {
	tb.Helper()
	b := &Bridge{secret: Secret, byTo: map[string]int{}, byID: map[string]int{}, failTo: map[string]failure{}}
	for _, o := range opts {
		o(b)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("webhooktest: listen: %v", err)
	}
	b.addr = ln.Addr().String()
	b.URL = "http://" + b.addr + "/outpost"
	b.serve(ln)
	tb.Cleanup(b.Stop)
	return b
}

// Config is the webhook channel's settings for this bridge.
func (b *Bridge) Config() channel.WebhookConfig {
	return channel.WebhookConfig{URL: b.URL, Secret: b.secret}
}

func (b *Bridge) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(b.handle), ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				b.mu.Lock()
				b.conns++
				b.mu.Unlock()
			}
		}}
	b.mu.Lock()
	b.srv = srv
	b.mu.Unlock()
	go srv.Serve(ln)
}

// Stop closes the bridge and its connections at once, as a crash would.
func (b *Bridge) Stop() {
	b.mu.Lock()
	srv := b.srv
	b.srv = nil
	b.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart starts a stopped bridge again on the same address.
func (b *Bridge) Restart() error {
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", b.addr); err == nil {
			b.serve(ln)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("webhooktest: listen again on %s: %w", b.addr, err)
}

// FailNext makes the next n posts (with a good signature) answer status
// with body.
func (b *Bridge) FailNext(n, status int, body string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for range n {
		b.failNext = append(b.failNext, failure{status, body})
	}
}

// Refuse makes every post to handle answer status with body; status 0
// accepts it again.
func (b *Bridge) Refuse(handle string, status int, body string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if status == 0 {
		delete(b.failTo, handle)
		return
	}
	b.failTo[handle] = failure{status, body}
}

// Delivered makes the bridge answer "delivered": true (false by
// default: accepted only).
func (b *Bridge) Delivered(v bool) {
	b.mu.Lock()
	b.delivered = v
	b.mu.Unlock()
}

// Delay makes the bridge wait d before answering (or until the request
// is given up).
func (b *Bridge) Delay(d time.Duration) {
	b.mu.Lock()
	b.delay = d
	b.mu.Unlock()
}

func (b *Bridge) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	secret, delay := b.secret, b.delay
	b.mu.Unlock()
	if err := channel.Verify(secret, r.Header.Get(channel.SignatureHeader), time.Now(), body); err != nil {
		b.mu.Lock()
		b.forged++
		b.mu.Unlock()
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": err.Error()})
		return
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	var m Message
	var req struct {
		ID, To, Text, Language string
	}
	if err := json.Unmarshal(body, &req); err != nil || req.ID == "" || req.To == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body is not a message"})
		return
	}
	m = Message{ID: req.ID, To: req.To, Text: req.Text, Language: req.Language,
		IdempotencyKey: r.Header.Get("Idempotency-Key"), ContentType: r.Header.Get("Content-Type")}
	b.mu.Lock()
	if len(b.failNext) > 0 {
		f := b.failNext[0]
		b.failNext = b.failNext[1:]
		b.mu.Unlock()
		http.Error(w, f.body, f.status)
		return
	}
	if f, ok := b.failTo[m.To]; ok {
		b.mu.Unlock()
		http.Error(w, f.body, f.status)
		return
	}
	b.seq++
	m.ProviderID = "b-" + strconv.Itoa(b.seq)
	b.msgs = append(b.msgs, m)
	b.byTo[m.To]++
	b.byID[m.ID]++
	delivered := b.delivered
	b.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]any{"id": m.ProviderID, "delivered": delivered})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Messages answers the accepted posts in the order they arrived.
func (b *Bridge) Messages() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.msgs...)
}

// Total is the number of accepted posts.
func (b *Bridge) Total() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.msgs)
}

// CountTo is the number of accepted posts to a handle.
func (b *Bridge) CountTo(handle string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byTo[handle]
}

// CountID is the number of accepted posts with a message id.
func (b *Bridge) CountID(id string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byID[id]
}

// Repeats is the number of accepted posts whose id came before.
func (b *Bridge) Repeats() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.byID {
		n += c - 1
	}
	return n
}

// Forged is the number of posts refused for their signature.
func (b *Bridge) Forged() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.forged
}

// Connections is the number of connections the bridge accepted.
func (b *Bridge) Connections() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.conns
}
