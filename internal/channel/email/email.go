// Package email is the e-mail channel: a channel.Sender that hands
// messages to an SMTP relay, composed and sent with
// github.com/wneessen/go-mail.
//
// Each message is text/plain in UTF-8, quoted-printable (7-bit clean, so
// any relay takes it), with a subject encoded by RFC 2047 when it is not
// ASCII, a Date, and a Message-ID derived from the outbox's idempotency
// key: a retry of the same message carries the same Message-ID, so that
// a receiver (or a relay) that drops repeats drops it.
//
// Connections are kept open and reused: a Sender holds a small pool
// (four by default) and runs as many sends at once, one per connection;
// a connection that broke is dropped and a new one dialled, and a send
// that failed on a stale connection before anything was handed over is
// tried once more on a fresh one.
package email

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/outpost-org/outpost/internal/channel"
)

// Sender sends e-mail through one SMTP relay. It is safe for concurrent
// use.
type Sender struct {
	cfg      channel.EmailConfig
	from     *mail.Address
	domain   string // for Message-IDs: the sender's domain
	host     string
	port     int
	timeout  time.Duration
	mandTLS  bool
	client   *gomail.Client // dials (EHLO, STARTTLS, AUTH); never sends itself
	slots    chan struct{}  // one per connection that may be open
	idle     chan *conn
	closed   chan struct{}
	closeMu  sync.Mutex
	isClosed bool
	now      func() time.Time
}

// conn is one open SMTP session and the raw connection under it, whose
// deadline a cancelled context moves to now.
type conn struct {
	c   *smtp.Client
	raw net.Conn
}

type settings struct {
	roots   *x509.CertPool
	conns   int
	timeout time.Duration
	helo    string
	now     func() time.Time
}

// Option changes how New sets up a Sender; none of them is part of the
// channel's stored settings.
type Option func(*settings)

// WithRootCAs trusts these certificate authorities for STARTTLS instead
// of the system's (a test server's self-signed certificate).
func WithRootCAs(roots *x509.CertPool) Option { return func(s *settings) { s.roots = roots } }

// WithConnections sets how many connections the Sender keeps open and so
// how many messages it sends at once (default 4, at most 64).
func WithConnections(n int) Option {
	return func(s *settings) { s.conns = min(max(n, 1), 64) }
}

// WithTimeout bounds dialling and each SMTP command (default 30s).
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithHELO sets the name the Sender greets the relay with (default the
// host's name).
func WithHELO(name string) Option { return func(s *settings) { s.helo = name } }

// WithClock sets where the Date header's time comes from.
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// New makes a Sender for an e-mail channel's settings. It dials nothing
// yet: the first Send does.
//
// STARTTLS is required when cfg.StartTLS is set or a user name is (a
// password is sent only inside TLS); then nothing is sent to a relay
// that does not offer it. Otherwise STARTTLS is used when offered.
func New(cfg channel.EmailConfig, opts ...Option) (*Sender, error) {
	st := settings{conns: 4, timeout: 30 * time.Second, now: time.Now}
	for _, o := range opts {
		o(&st)
	}
	host, portText, err := net.SplitHostPort(cfg.SMTP)
	if err != nil || host == "" {
		return nil, fmt.Errorf("email channel: the relay %q: want HOST:PORT", cfg.SMTP)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return nil, fmt.Errorf("email channel: the relay %q: want a port from 1 to 65535", cfg.SMTP)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil || strings.ContainsAny(cfg.From, "\r\n") {
		return nil, fmt.Errorf("email channel: the sender %q is not an e-mail address", cfg.From)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	s := &Sender{cfg: cfg, from: from, domain: domain, host: host, port: port, timeout: st.timeout,
		mandTLS: cfg.StartTLS || cfg.User != "", now: st.now,
		slots: make(chan struct{}, st.conns), idle: make(chan *conn, st.conns), closed: make(chan struct{})}
	policy := gomail.TLSOpportunistic
	if s.mandTLS {
		policy = gomail.TLSMandatory
	}
	tc := &tls.Config{ServerName: host, RootCAs: st.roots, MinVersion: tls.VersionTLS12}
	copts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(st.timeout),
		gomail.WithTLSPolicy(policy), gomail.WithTLSConfig(tc), gomail.WithoutSMTPUTF8(),
		gomail.WithDialContextFunc(s.dial)}
	if st.helo != "" {
		copts = append(copts, gomail.WithHELO(st.helo))
	}
	if cfg.User != "" {
		// The strongest mechanism the relay offers, inside TLS (above).
		copts = append(copts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	}
	if s.client, err = gomail.NewClient(host, copts...); err != nil {
		return nil, fmt.Errorf("email channel: %w", err)
	}
	return s, nil
}

// dialed carries the raw connection out of go-mail's dial to open().
type dialedKey struct{}

func (s *Sender) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err == nil {
		if p, ok := ctx.Value(dialedKey{}).(*net.Conn); ok {
			*p = c
		}
	}
	return c, err
}

// Kind is "email".
func (s *Sender) Kind() string { return "email" }

// MessageID is the Message-ID (without angle brackets) of the message
// with idempotency key key sent from the domain: the same for every
// attempt.
func MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16]) + ".outpost@" + domain
}

// key is the message's idempotency key, or its outbox id when it has
// none: either is the same on every attempt.
func key(m channel.Message) string {
	if m.Key != "" {
		return m.Key
	}
	return "outbox|" + strconv.FormatInt(m.ID, 10)
}

// compose writes the e-mail of a message.
func (s *Sender) compose(m channel.Message) (*gomail.Msg, string, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	msg.EnvelopeFromMailAddress(&mail.Address{Address: s.from.Address})
	if strings.ContainsAny(m.To, "\r\n") {
		return nil, "", channel.Permanent("the e-mail address is not valid", fmt.Errorf("%q spans lines", m.To))
	}
	if err := msg.To(m.To); err != nil {
		return nil, "", channel.Permanent("the e-mail address is not valid", fmt.Errorf("%q: %w", m.To, err))
	}
	msg.Subject(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(m.Subject))
	msg.SetDateWithValue(s.now())
	id := MessageID(key(m), s.domain)
	msg.SetMessageIDWithValue(id)
	// Auto-Submitted keeps vacation responders from answering (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.Language != "" && !strings.ContainsAny(m.Language, "\r\n") {
		msg.SetGenHeader("Content-Language", m.Language)
	}
	msg.SetUserAgent("Outpost")
	// Lines end in CRLF on the wire; a lone CR or LF is a line break.
	body := strings.NewReplacer("\r\n", "\r\n", "\r", "\r\n", "\n", "\r\n").Replace(m.Body)
	msg.SetBodyString(gomail.TypeTextPlain, body)
	return msg, id, nil
}

// Send hands one message to the relay. The Receipt's ProviderID is the
// Message-ID; Detail is the relay's answer.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	msg, id, err := s.compose(m)
	if err != nil {
		return channel.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return channel.Receipt{}, channel.Temporary("the message was not sent before it was called off", err)
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return channel.Receipt{}, channel.Temporary("the message was not sent before it was called off", ctx.Err())
	case <-s.closed:
		return channel.Receipt{}, channel.Temporary("the e-mail channel is closed", nil)
	}
	defer func() { <-s.slots }()
	for attempt := 0; ; attempt++ {
		c, fresh, err := s.take(ctx, attempt > 0)
		if err != nil {
			return channel.Receipt{}, err
		}
		answer, handed, err := s.transmit(ctx, c, msg, m.To)
		if err == nil {
			s.put(c)
			return channel.Receipt{ProviderID: id, Detail: answer}, nil
		}
		var reply *textproto.Error
		if errors.As(err, &reply) && reply.Code != 421 {
			// The relay answered: the session is fine once reset.
			if c.c.Reset() == nil {
				s.put(c)
			} else {
				s.drop(c)
			}
			return channel.Receipt{}, explainReply(reply)
		}
		s.drop(c)
		// A connection that had been idle may have been closed by the
		// relay meanwhile: try once more on a new one, but only when
		// nothing of the message was handed over (else the retry is the
		// outbox's, with the same Message-ID).
		if !fresh && !handed && attempt == 0 && ctx.Err() == nil {
			continue
		}
		if errors.As(err, &reply) {
			return channel.Receipt{}, explainReply(reply)
		}
		if ctx.Err() != nil {
			return channel.Receipt{}, channel.Temporary("the message was not sent before it was called off", err)
		}
		return channel.Receipt{}, channel.Temporary("the connection to the mail server broke", err)
	}
}

// transmit sends msg in the session c: MAIL, RCPT, DATA. handed says
// whether the DATA was started (after which the relay may have the
// message even if its answer was lost).
func (s *Sender) transmit(ctx context.Context, c *conn, msg *gomail.Msg, to string) (answer string, handed bool, err error) {
	deadline := time.Now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := c.raw.SetDeadline(deadline); err != nil {
		return "", false, err
	}
	// Called off: the deadline moves to the past and the command under
	// way returns (after the deadline above is set, so it wins).
	stop := context.AfterFunc(ctx, func() { c.raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := c.c.Mail(s.from.Address); err != nil {
		return "", false, err
	}
	if err := c.c.Rcpt(strings.TrimSpace(addrOf(to))); err != nil {
		return "", false, err
	}
	w, err := c.c.Data()
	if err != nil {
		return "", false, err
	}
	if _, err := msg.WriteTo(w); err != nil {
		return "", true, err
	}
	if err := w.Close(); err != nil {
		return "", true, err
	}
	if dc, ok := w.(*smtp.DataCloser); ok {
		answer = dc.ServerResponse()
	}
	return answer, true, nil
}

// addrOf is the bare address of "Name <address>" or of an address.
func addrOf(to string) string {
	if a, err := mail.ParseAddress(to); err == nil {
		return a.Address
	}
	return to
}

// take answers an idle connection, or dials one (always when dial is
// set: the idle ones may be as stale as the one that just failed); fresh
// says it was just dialled.
func (s *Sender) take(ctx context.Context, dial bool) (*conn, bool, error) {
	if !dial {
		select {
		case c := <-s.idle:
			return c, false, nil
		default:
		}
	}
	var raw net.Conn
	dctx := context.WithValue(ctx, dialedKey{}, &raw)
	c, err := s.client.DialToSMTPClientWithContext(dctx)
	if err != nil {
		if raw != nil {
			raw.Close()
		}
		return nil, false, s.explainDial(ctx, err)
	}
	if raw == nil {
		c.Close()
		return nil, false, channel.Temporary("the mail server cannot be reached", errors.New("no connection was dialled"))
	}
	return &conn{c: c, raw: raw}, true, nil
}

func (s *Sender) put(c *conn) {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.isClosed {
		c.c.Close()
		return
	}
	select {
	case s.idle <- c:
	default:
		c.c.Close()
	}
}

func (s *Sender) drop(c *conn) { c.c.Close() }

// Close says QUIT on the idle connections; sends under way finish and
// close theirs.
func (s *Sender) Close() error {
	s.closeMu.Lock()
	if s.isClosed {
		s.closeMu.Unlock()
		return nil
	}
	s.isClosed = true
	close(s.closed)
	s.closeMu.Unlock()
	for {
		select {
		case c := <-s.idle:
			c.raw.SetDeadline(time.Now().Add(time.Second))
			if c.c.Quit() != nil {
				c.c.Close()
			}
		default:
			return nil
		}
	}
}

// explainDial puts a failure to open a session in plain words.
func (s *Sender) explainDial(ctx context.Context, err error) error {
	var reply *textproto.Error
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &reply) && reply.Code == 535:
		// The channel's settings are wrong, not the message: a retry
		// after they are corrected gets through.
		return channel.Temporary("the mail server refused the user name or password", err)
	case errors.As(err, &reply):
		// Refused at the greeting, EHLO or STARTTLS: the refusal is of
		// Outpost's connection, not of a message.
		return channel.Temporary("the mail server refused the connection", fmt.Errorf("%d %s", reply.Code, reply.Msg))
	case strings.Contains(err.Error(), "does not support STARTTLS"):
		return channel.Temporary("the mail server does not offer STARTTLS, which the channel requires: nothing was sent", err)
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &hostname):
		return channel.Temporary("the mail server's certificate is not trusted: nothing was sent", err)
	case strings.Contains(err.Error(), "SMTP AUTH") || strings.Contains(err.Error(), "unencrypted connection"):
		return channel.Temporary("the mail server offers no way to sign in safely", err)
	case ctx.Err() != nil:
		return channel.Temporary("the message was not sent before it was called off", err)
	}
	return channel.Temporary("the mail server cannot be reached", fmt.Errorf("%s: %w", s.cfg.SMTP, err))
}

// explainReply puts a relay's refusal in plain words: permanent for a
// 5xx answer about the message or its recipient, temporary for 4xx.
func explainReply(r *textproto.Error) error {
	err := fmt.Errorf("%d %s", r.Code, r.Msg)
	switch r.Code {
	case 550, 551, 553:
		return channel.Permanent("the mailbox does not exist", err)
	case 552:
		return channel.Permanent("the mailbox is full", err)
	case 452:
		return channel.Temporary("the mailbox is full for now", err)
	case 554:
		return channel.Permanent("the mail server refused the message", err)
	case 535, 530, 534, 538:
		return channel.Temporary("the mail server refused the user name or password", err)
	case 421:
		return channel.Temporary("the mail server is not taking mail for now", err)
	}
	if r.Code >= 500 {
		return channel.Permanent("the mail server refused the message", err)
	}
	return channel.Temporary("the mail server cannot take the message for now", err)
}

var _ channel.Sender = (*Sender)(nil)
var _ io.Closer = (*Sender)(nil)
