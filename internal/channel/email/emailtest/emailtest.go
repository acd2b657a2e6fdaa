// Package emailtest is a real SMTP server for tests and benchmarks of
// e-mail senders: github.com/emersion/go-smtp on 127.0.0.1, offering
// STARTTLS with a self-signed certificate made at start and AUTH PLAIN
// (inside TLS only). It keeps every message it accepted, parsed with
// net/mail and mime (recipients, decoded subject and body, Message-ID),
// counts them per recipient and per Message-ID, and can be told to
// refuse a recipient with a given SMTP code, to stop and to start again
// on the same address.
package emailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/outpost-org/outpost/internal/channel"
)

// The sign-in the server accepts unless told otherwise.
const (
	User     = "outpost"
	Password = "mail-pass"
)

// Message is one message the server accepted.
type Message struct {
	From      string   // envelope sender
	To        []string // envelope recipients
	Header    mail.Header
	Subject   string // decoded (RFC 2047)
	Body      string // decoded from its transfer encoding, CRLF as LF
	MessageID string // without the angle brackets
	TLS       bool   // the session was inside STARTTLS
	User      string // the signed-in user, "" when none
	Raw       []byte
	// Err says what could not be parsed, nil when all was.
	Err error
}

// Server is a running SMTP server.
type Server struct {
	// Addr is the server's host:port.
	Addr string
	// Roots trusts the server's certificate (for the sender's root CAs).
	Roots *x509.CertPool

	cert     tls.Certificate
	startTLS bool

	mu         sync.Mutex
	srv        *smtp.Server
	msgs       []Message
	byTo       map[string]int
	byID       map[string]int
	refuse     map[string]*smtp.SMTPError
	conns      map[*smtp.Conn]struct{}
	auths      int
	user, pass string
}

// Option changes how Start sets up the server.
type Option func(*Server)

// WithoutStartTLS starts a server that does not offer STARTTLS, as one
// that an attacker on the network has stripped it from.
func WithoutStartTLS() Option { return func(s *Server) { s.startTLS = false } }

// WithLogin sets the user name and password the server accepts.
func WithLogin(user, password string) Option {
	return func(s *Server) { s.user, s.pass = user, password }
}

// Start starts a server on 127.0.0.1 on a free port; it stops when the
// test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{startTLS: true, user: User, pass: Password,
		conns: map[*smtp.Conn]struct{}{}, byTo: map[string]int{}, byID: map[string]int{}, refuse: map[string]*smtp.SMTPError{}}
	for _, o := range opts {
		o(s)
	}
	cert, roots, err := selfSigned()
	if err != nil {
		tb.Fatalf("emailtest: a certificate: %v", err)
	}
	s.cert, s.Roots = cert, roots
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("emailtest: listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	s.serve(ln)
	tb.Cleanup(s.Stop)
	return s
}

// Config is an e-mail channel's settings for this server, with STARTTLS
// required and the server's sign-in.
func (s *Server) Config() channel.EmailConfig {
	return channel.EmailConfig{SMTP: s.Addr, From: "outpost@post.test", User: s.user, Password: s.pass, StartTLS: true}
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		// go-smtp starts a new session after STARTTLS on the same
		// connection: count connections, not sessions.
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "mx.test"
	if s.startTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.cert}}
	}
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Stop closes the server and every connection to it at once, as a crash
// would; messages already accepted are kept.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart starts a stopped server again on the same address.
func (s *Server) Restart() error {
	var ln net.Listener
	var err error
	// The port was just freed; another listener may hold it a moment.
	for range 50 {
		if ln, err = net.Listen("tcp", s.Addr); err == nil {
			s.serve(ln)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("emailtest: listen again on %s: %w", s.Addr, err)
}

// Refuse makes the server answer RCPT TO for address with code and text
// (such as 550 "no such user"); code 0 accepts it again.
func (s *Server) Refuse(address string, code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	address = strings.ToLower(address)
	if code == 0 {
		delete(s.refuse, address)
		return
	}
	s.refuse[address] = &smtp.SMTPError{Code: code, EnhancedCode: smtp.NoEnhancedCode, Message: text}
}

// Messages answers the accepted messages in the order they arrived.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Total is the number of accepted messages.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// CountTo is the number of accepted messages for a recipient.
func (s *Server) CountTo(address string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byTo[strings.ToLower(address)]
}

// CountID is the number of accepted messages with a Message-ID (without
// the angle brackets).
func (s *Server) CountID(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byID[id]
}

// Repeats is the number of accepted messages whose Message-ID came
// before: what a receiver that drops repeats would drop.
func (s *Server) Repeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.byID {
		n += c - 1
	}
	return n
}

// Connections is the number of connections the server accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Auths is the number of successful sign-ins.
func (s *Server) Auths() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auths
}

type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		if username != ss.s.user || password != ss.s.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.s.auths++
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	need := ss.s.user != ""
	ss.s.mu.Unlock()
	if need && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	refusal := ss.s.refuse[strings.ToLower(to)]
	ss.s.mu.Unlock()
	if refusal != nil {
		return refusal
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, tlsOn := ss.conn.TLSConnectionState()
	m := parse(raw)
	m.From, m.To, m.TLS, m.User = ss.from, ss.to, tlsOn, ss.user
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, m)
	for _, to := range m.To {
		ss.s.byTo[strings.ToLower(to)]++
	}
	ss.s.byID[m.MessageID]++
	ss.s.mu.Unlock()
	ss.to = nil
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// parse reads a message as a receiver would: headers, the decoded
// subject, and the body decoded from its transfer encoding.
func parse(raw []byte) Message {
	m := Message{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.Err = fmt.Errorf("read the message: %w", err)
		return m
	}
	m.Header = msg.Header
	m.MessageID = strings.Trim(msg.Header.Get("Message-Id"), "<> ")
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.Err = errors.Join(m.Err, fmt.Errorf("decode the subject: %w", err))
	}
	var body []byte
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body, err = io.ReadAll(quotedprintable.NewReader(msg.Body))
	default:
		body, err = io.ReadAll(msg.Body)
	}
	if err != nil {
		m.Err = errors.Join(m.Err, fmt.Errorf("decode the body: %w", err))
	}
	m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	return m
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and the
// pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "emailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots, nil
}
