// Package webhook is the messenger-bridge channel: a channel.Sender that
// POSTs each message as signed JSON to a bridge (a Signal, Telegram or
// WhatsApp gateway), which answers whether it took it. docs/channels.md
// describes the request and the answers.
package webhook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/channel"
)

// IdempotencyHeader carries the message's stable id, as the body's "id"
// does, for bridges that drop repeats by header.
const IdempotencyHeader = "Idempotency-Key"

// MaxReply is how much of a bridge's answer is read; the rest is
// dropped.
const MaxReply = 64 << 10

// Request is the JSON body posted for each message.
type Request struct {
	// ID is the message's stable id: the same on every attempt.
	ID string `json:"id"`
	// To is the messenger handle, such as "signal:+79161234567".
	To   string `json:"to"`
	Text string `json:"text"`
	// Language is the BCP 47 tag of the text, "" when unknown.
	Language string `json:"language"`
}

// Reply is what a bridge may answer with a 2xx: its own id for the
// message, and whether it knows the message arrived.
type Reply struct {
	ID        string `json:"id"`
	Delivered bool   `json:"delivered"`
}

// Sender posts messages to one bridge. It is safe for concurrent use.
type Sender struct {
	url    string
	secret string
	client *http.Client
	now    func() time.Time
}

type settings struct {
	roots   *x509.CertPool
	timeout time.Duration
	conns   int
	now     func() time.Time
}

// Option changes how New sets up a Sender; none is part of the stored
// settings.
type Option func(*settings)

// WithRootCAs trusts these certificate authorities for an https URL
// instead of the system's (a test bridge's certificate).
func WithRootCAs(roots *x509.CertPool) Option { return func(s *settings) { s.roots = roots } }

// WithTimeout bounds each request, from dialling to the end of the
// answer (default 30s).
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithConnections sets how many idle connections to the bridge are kept
// for reuse (default 16).
func WithConnections(n int) Option { return func(s *settings) { s.conns = min(max(n, 1), 256) } }

// WithClock sets the time signatures carry.
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// New makes a Sender for a webhook channel's settings: an http or https
// URL and the secret both ends sign with.
func New(cfg channel.WebhookConfig, opts ...Option) (*Sender, error) {
	st := settings{timeout: 30 * time.Second, conns: 16, now: time.Now}
	for _, o := range opts {
		o(&st)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webhook channel: the URL %q: want http:// or https:// and a host", cfg.URL)
	}
	if cfg.Secret == "" {
		return nil, errors.New("webhook channel: no secret is set: the bridge could not tell Outpost's messages from forged ones")
	}
	dialer := &net.Dialer{Timeout: min(st.timeout, 10*time.Second), KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: st.roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   min(st.timeout, 10*time.Second),
		ResponseHeaderTimeout: st.timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          st.conns,
		MaxIdleConnsPerHost:   st.conns,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Sender{url: cfg.URL, secret: cfg.Secret, now: st.now, client: &http.Client{
		Transport: tr,
		Timeout:   st.timeout,
		// A bridge that moved answers 3xx: the message is not re-posted
		// elsewhere on its word (the secret would go with it).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

// Kind is "webhook".
func (s *Sender) Kind() string { return "webhook" }

// Close drops the idle connections.
func (s *Sender) Close() error {
	s.client.CloseIdleConnections()
	return nil
}

// ID is the stable id of the message with idempotency key key: 32
// hexadecimal digits of its SHA-256.
func ID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// Send posts one message. A 2xx is accepted (the Receipt carries the
// bridge's id and whether it was delivered, when it answers so); a 4xx
// is a permanent refusal, but for 401/403 (the signature: the
// channel's secret is wrong until corrected), 408 and 429; a 5xx, a
// timeout or no answer is temporary.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	k := m.Key
	if k == "" {
		// The outbox id is as stable as the key.
		k = "outbox|" + strconv.FormatInt(m.ID, 10)
	}
	id := ID(k)
	body, err := json.Marshal(Request{ID: id, To: m.To, Text: m.Body, Language: m.Language})
	if err != nil {
		return channel.Receipt{}, channel.Permanent("the message cannot be written as JSON", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return channel.Receipt{}, channel.Temporary("the bridge's URL cannot be used", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Outpost")
	req.Header.Set(channel.SignatureHeader, channel.Sign(s.secret, s.now(), body))
	req.Header.Set(IdempotencyHeader, id)
	resp, err := s.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return channel.Receipt{}, channel.Temporary("the message was not sent before it was called off", err)
		}
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return channel.Receipt{}, channel.Temporary("the bridge did not answer in time", err)
		}
		var verify *tls.CertificateVerificationError
		if errors.As(err, &verify) {
			return channel.Receipt{}, channel.Temporary("the bridge's certificate is not trusted: nothing was sent", err)
		}
		return channel.Receipt{}, channel.Temporary("the bridge cannot be reached", err)
	}
	answer, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxReply))
	// Drain a little more so the connection can be reused, then close.
	io.Copy(io.Discard, io.LimitReader(resp.Body, MaxReply))
	resp.Body.Close()
	return explain(resp.StatusCode, answer, readErr)
}

// explain turns a bridge's answer into a Receipt or a refusal in plain
// words.
func explain(status int, answer []byte, readErr error) (channel.Receipt, error) {
	detail := summary(answer)
	code := fmt.Errorf("HTTP %d %s", status, detail)
	switch {
	case status >= 200 && status < 300:
		r, err := ParseReply(answer)
		if err != nil || readErr != nil {
			// The bridge took it; its answer just says nothing usable.
			return channel.Receipt{Detail: strconv.Itoa(status) + " " + detail}, nil
		}
		return channel.Receipt{ProviderID: r.ID, Delivered: r.Delivered, Detail: strconv.Itoa(status) + " " + detail}, nil
	case status == http.StatusNotFound || status == http.StatusGone:
		return channel.Receipt{}, channel.Permanent("the bridge does not know this handle", code)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return channel.Receipt{}, channel.Temporary("the bridge refused Outpost's signature: the channel's secret differs from the bridge's", code)
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests:
		return channel.Receipt{}, channel.Temporary("the bridge is busy", code)
	case status >= 400 && status < 500:
		reason := "the bridge refused the message"
		if why := refusal(answer); why != "" {
			reason += ": " + why
		}
		return channel.Receipt{}, channel.Permanent(reason, code)
	case status >= 500:
		return channel.Receipt{}, channel.Temporary("the bridge failed", code)
	}
	return channel.Receipt{}, channel.Temporary("the bridge answered what Outpost does not understand", code)
}

// ParseReply reads a bridge's 2xx answer: a JSON object whose "id" is a
// string or a number (at most 200 characters, printable) and whose
// "delivered" is a boolean; both may be missing.
func ParseReply(b []byte) (Reply, error) {
	var raw struct {
		ID        json.RawMessage `json:"id"`
		Delivered *bool           `json:"delivered"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return Reply{}, fmt.Errorf("the answer is not a JSON object: %w", err)
	}
	var r Reply
	if raw.Delivered != nil {
		r.Delivered = *raw.Delivered
	}
	if len(raw.ID) > 0 && string(raw.ID) != "null" {
		var s string
		var n json.Number
		switch {
		case json.Unmarshal(raw.ID, &s) == nil:
		case json.Unmarshal(raw.ID, &n) == nil:
			s = n.String()
		default:
			return Reply{}, fmt.Errorf("the answer's id is neither a string nor a number (got %s)", clip(string(raw.ID), 40))
		}
		if utf8.RuneCountInString(s) > 200 {
			return Reply{}, fmt.Errorf("the answer's id is longer than 200 characters")
		}
		if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			return Reply{}, fmt.Errorf("the answer's id holds control characters (got %q)", clip(s, 40))
		}
		r.ID = s
	}
	return r, nil
}

// refusal is a bridge's reason for a 4xx: the "error" (or "message") of
// a JSON answer, else its text, on one line and short.
func refusal(b []byte) string {
	var j struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &j) == nil {
		if j.Error != "" {
			return oneLine(j.Error, 200)
		}
		return oneLine(j.Message, 200)
	}
	if !utf8.Valid(b) {
		return ""
	}
	return oneLine(string(b), 200)
}

// summary is an answer as the outbox page may show it.
func summary(b []byte) string {
	if !utf8.Valid(b) {
		return fmt.Sprintf("(%d bytes)", len(b))
	}
	return oneLine(string(b), 200)
}

// oneLine keeps the printable text of s on one line, cut at n
// characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }), " ")
	return clip(s, n)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

var _ channel.Sender = (*Sender)(nil)
