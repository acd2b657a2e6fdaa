package welfare

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http/httptest"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/outpost-org/outpost/internal/outpost"
)

// received is one message as a mail server got it.
type received struct {
	helo, from string
	to         []string
	opts       smtp.MailOptions
	user       string
	tls        bool
	data       []byte
}

// mailSink is a real SMTP server (github.com/emersion/go-smtp) that keeps
// what it receives; it offers AUTH PLAIN without TLS to the test only.
type mailSink struct {
	addr string
	// roots trust the server's certificate (STARTTLS).
	roots *x509.CertPool
	mu    sync.Mutex
	got   []received
	// auths counts the sign-ins the server was asked for.
	auths int
}

func startMailSink(t *testing.T) *mailSink { return startMailSinkTLS(t, true) }

// startMailSinkTLS starts a mail sink that offers STARTTLS or, as one a
// network attacker has stripped it from, does not.
func startMailSinkTLS(t *testing.T, startTLS bool) *mailSink {
	t.Helper()
	sink := &mailSink{}
	// A certificate for 127.0.0.1, and the pool that trusts it.
	web := httptest.NewUnstartedServer(nil)
	web.StartTLS()
	cert, roots := web.TLS.Certificates[0], x509.NewCertPool()
	roots.AddCert(web.Certificate())
	web.Close()
	sink.roots = roots
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: sink, conn: c, cur: received{helo: c.Hostname()}}, nil
	}))
	srv.Domain = "mx.test"
	if startTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink
}

type sinkSession struct {
	sink *mailSink
	conn *smtp.Conn
	cur  received
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *sinkSession) Auth(mech string) (sasl.Server, error) {
	s.sink.mu.Lock()
	s.sink.auths++
	s.sink.mu.Unlock()
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "outpost" || password != "mail-pass" {
			return errors.New("bad credentials")
		}
		s.cur.user = username
		return nil
	}), nil
}

func (s *sinkSession) Mail(from string, opts *smtp.MailOptions) error {
	s.cur.from = from
	_, s.cur.tls = s.conn.TLSConnectionState()
	if opts != nil {
		s.cur.opts = *opts
	}
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	s.sink.mu.Lock()
	s.sink.got = append(s.sink.got, s.cur)
	s.sink.mu.Unlock()
	s.cur = received{helo: s.cur.helo, user: s.cur.user}
	return nil
}

func (s *sinkSession) Reset()        { s.cur = received{helo: s.cur.helo, user: s.cur.user} }
func (s *sinkSession) Logout() error { return nil }

func (s *mailSink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

// cyrillicNotice is a notice whose title and names are not ASCII.
func cyrillicNotice() Notice {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	return Notice{RollCall: 7, Title: "Перекличка «утро» — посольство", Mission: "RU", StartedAt: at.Add(-time.Hour), At: at,
		NoResponse: []outpost.ScopeEntry{{Person: "RU-0003", GivenName: "Анна", FamilyName: "Петрова"}},
		NeedHelp:   []outpost.ScopeEntry{{Person: "RU-0002", GivenName: "Ёжик", FamilyName: "Туманов", Note: "нет инсулина = срочно"}}}
}

// TestMailAsServersExpectIt sends a notice whose subject, names and body
// are Cyrillic, from "Name <address>", to a real SMTP server, and reads
// what it received strictly: the envelope sender is the bare address,
// the client greets with the configured name (or the host's, never
// "localhost"), the message is 7-bit with lines within 998 octets, and
// its headers (Message-ID, Date, MIME-Version, Content-Type with its
// charset, Content-Transfer-Encoding, Auto-Submitted, an RFC 2047 subject
// and sender name) decode to what was sent, as does its body.
func TestMailAsServersExpectIt(t *testing.T) {
	sink := startMailSink(t)
	n := cyrillicNotice()
	to := []string{"consul@ru.example", "duty@post.example"}
	s := SMTP{Addr: sink.addr, From: "Дежурный Outpost <outpost@post.example>", HELO: "outpost.post.example",
		To: func(string) []string { return to }, TLS: &tls.Config{RootCAs: sink.roots, ServerName: "127.0.0.1"}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Notify(ctx, n); err != nil {
		t.Fatalf("send: %v", err)
	}
	// Without a trusted certificate, STARTTLS fails and nothing goes.
	s.HELO, s.Username, s.Password = "", "outpost", "mail-pass"
	untrusted := s
	untrusted.TLS = nil
	if err := untrusted.Notify(ctx, n); err == nil {
		t.Fatal("sent over STARTTLS to a server whose certificate is not trusted")
	}
	if err := s.Notify(ctx, n); err != nil {
		t.Fatalf("send with the host's name and a sign-in: %v", err)
	}
	got := sink.messages()
	if len(got) != 2 {
		t.Fatalf("the server received %d messages, want 2", len(got))
	}
	if got[0].helo != "outpost.post.example" {
		t.Errorf("EHLO %q, want the configured outpost.post.example", got[0].helo)
	}
	if host, _ := os.Hostname(); got[1].helo != host || strings.EqualFold(got[1].helo, "localhost") && host != "localhost" {
		t.Errorf("EHLO %q, want the host's name %q", got[1].helo, host)
	}
	if got[1].user != "outpost" || !got[0].tls || !got[1].tls {
		t.Errorf("signed in as %q, over TLS %v and %v; want outpost, both over STARTTLS", got[1].user, got[0].tls, got[1].tls)
	}
	ids := map[string]bool{}
	for i, r := range got {
		if r.from != "outpost@post.example" {
			t.Errorf("message %d: envelope sender %q, want the bare address outpost@post.example", i, r.from)
		}
		if strings.Join(r.to, ",") != strings.Join(to, ",") {
			t.Errorf("message %d: recipients %q", i, r.to)
		}
		// (The client declares BODY=8BITMIME to a server that offers it,
		// as net/smtp did; a 7-bit body is valid under it.)
		if r.opts.UTF8 {
			t.Errorf("message %d: asks for SMTPUTF8 (%+v)", i, r.opts)
		}
		for j, c := range r.data {
			if c >= 0x80 || c == 0 {
				t.Fatalf("message %d: byte %d is %#x: not 7-bit clean", i, j, c)
			}
		}
		for j, line := range bytes.Split(r.data, []byte("\r\n")) {
			if len(line) > 998 || bytes.ContainsAny(line, "\r\n") {
				t.Errorf("message %d: line %d is %d octets or has a bare CR/LF", i, j, len(line))
			}
		}
		id := checkMessage(t, r.data, n)
		if ids[id] {
			t.Errorf("message %d: Message-ID %s again", i, id)
		}
		ids[id] = true
	}
}

// checkMessage parses a message with net/mail and mime and checks its
// headers and body against the notice; it returns its Message-ID.
func checkMessage(t *testing.T, raw []byte, n Notice) string {
	t.Helper()
	m, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, raw)
	}
	h := m.Header
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-Id", "Mime-Version", "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"} {
		if vs := h[k]; len(vs) != 1 {
			t.Errorf("header %s: %d of them, want 1", k, len(vs))
		}
	}
	id := h.Get("Message-Id")
	if !regexp.MustCompile(`^<[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]+>$`).MatchString(id) {
		t.Errorf("Message-ID %q: want <left@domain>", id)
	}
	if d, err := h.Date(); err != nil || !d.Equal(n.At) {
		t.Errorf("Date %q: got %v, %v; want %v", h.Get("Date"), d, err, n.At)
	}
	if h.Get("Mime-Version") != "1.0" || h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("MIME-Version %q, Auto-Submitted %q", h.Get("Mime-Version"), h.Get("Auto-Submitted"))
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type %q: want text/plain; charset=utf-8", h.Get("Content-Type"))
	}
	if cte := h.Get("Content-Transfer-Encoding"); !strings.EqualFold(cte, "quoted-printable") {
		t.Errorf("Content-Transfer-Encoding %q, want quoted-printable", cte)
	}
	subj := h.Get("Subject")
	if !strings.Contains(subj, "=?") {
		t.Errorf("Subject %q is not RFC 2047 encoded", subj)
	}
	dec := new(mime.WordDecoder)
	if got, err := dec.DecodeHeader(subj); err != nil || got != `[Outpost] RU: 1 without an answer to "`+n.Title+`"` {
		t.Errorf("Subject decodes to %q (%v)", got, err)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Дежурный Outpost" || from[0].Address != "outpost@post.example" {
		t.Errorf("From %q: got %+v, %v", h.Get("From"), from, err)
	}
	rcpts, err := h.AddressList("To")
	if err != nil || len(rcpts) != 2 || rcpts[0].Address != "consul@ru.example" {
		t.Errorf("To %q: got %+v, %v", h.Get("To"), rcpts, err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	if want := strings.ReplaceAll(n.Text(), "\n", "\r\n"); string(body) != want {
		t.Errorf("body decodes to\n%q\nwant\n%q", body, want)
	}
	return id
}

// TestMailFromWithAName: a sender with a name goes out (the server
// would answer 501 to a MAIL FROM holding the name), one that is no
// address fails with an error naming the setting, and so does a
// recipient that is none.
func TestMailFromWithAName(t *testing.T) {
	sink := startMailSink(t)
	n := cyrillicNotice()
	send := func(from string, to ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return SMTP{Addr: sink.addr, From: from, To: func(string) []string { return to },
			TLS: &tls.Config{RootCAs: sink.roots, ServerName: "127.0.0.1"}}.Notify(ctx, n)
	}
	if err := send("Outpost <outpost@post.example>", "duty@post.example"); err != nil {
		t.Fatalf("from a name and an address: %v", err)
	}
	if got := sink.messages(); len(got) != 1 || got[0].from != "outpost@post.example" {
		t.Fatalf("envelope senders: %+v", got)
	}
	for _, bad := range []string{"Outpost outpost@post.example", "outpost", "<a@b>\r\nBcc: x@y", "a@b, c@d"} {
		if err := send(bad, "duty@post.example"); err == nil || !strings.Contains(err.Error(), "notify.from") {
			t.Errorf("from %q: got %v, want an error naming notify.from", bad, err)
		}
	}
	if err := send("outpost@post.example", "not an address"); err == nil || !strings.Contains(err.Error(), "recipients") {
		t.Errorf("a bad recipient: got %v", err)
	}
	if got := sink.messages(); len(got) != 1 {
		t.Errorf("bad settings sent %d messages", len(got)-1)
	}
}

// TestMailSettingsAreChecked: a sender or a greeting name that is no
// such thing is refused when set, and nothing is stored.
func TestMailSettingsAreChecked(t *testing.T) {
	for _, c := range []struct {
		key, value string
		ok         bool
	}{
		{"notify.from", "Outpost <outpost@post.example>", true},
		{"notify.from", "outpost@post.example", true},
		{"notify.from", `"Duty, desk" <duty@post.example>`, true},
		{"notify.from", "Outpost outpost@post.example", false},
		{"notify.from", "outpost", false},
		{"notify.helo", "outpost.post.example", true},
		{"notify.helo", "outpost post", false},
		{"notify.helo", "outpost.example\r\nMAIL FROM:<x@y>", false},
	} {
		err := checkMailSettings(map[string]string{c.key: c.value})
		if (err == nil) != c.ok {
			t.Errorf("%s %q: got %v, want ok=%v", c.key, c.value, err, c.ok)
		}
		if err != nil && outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("%s %q: error code %s, want invalid", c.key, c.value, outpost.ErrorCode(err))
		}
	}
}

// FuzzParseFrom: whatever ParseFrom accepts is one address on one line,
// which reads back the same from how the header writes it.
func FuzzParseFrom(f *testing.F) {
	for _, s := range []string{"Outpost <outpost@post.example>", "outpost@post.example", "Outpost outpost@post.example",
		"=?utf-8?q?=D0=94?= <a@b.example>", "<a@b>\r\nBcc: x@y", "a@b, c@d", `"x\"y" <a@b>`, "Дежурный <a@b.example>", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseFrom(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(a.Address, "\r\n") || strings.ContainsAny(a.String(), "\r\n") {
			t.Fatalf("%q: an address over lines: %q", s, a.String())
		}
		back, err := mail.ParseAddress(a.String())
		if err != nil || back.Address != a.Address {
			t.Fatalf("%q: %q reads back as %+v, %v", s, a.String(), back, err)
		}
	})
}

// FuzzHELO: a greeting name the settings accept is one word of one line.
func FuzzHELO(f *testing.F) {
	for _, s := range []string{"outpost.post.example", "outpost post", "a\r\nMAIL FROM:<x@y>", "", ".", "a..b", "xn--80a.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validHELO(s) && (strings.ContainsAny(s, " \t\r\n<>:") || s == "" || len(s) > 253) {
			t.Fatalf("%q accepted as a greeting name", s)
		}
	})
}

// TestMailNeedsTLS: a server that does not offer STARTTLS (as one looks
// when someone on the network strips it) gets neither a sign-in nor a
// notice when a user name is set, or when notify.tls is required; the
// error says why. Without a sign-in, a server on this machine may still
// take mail in clear, unless notify.tls is required.
func TestMailNeedsTLS(t *testing.T) {
	sink := startMailSinkTLS(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := SMTP{Addr: sink.addr, From: "outpost@post.example", HELO: "outpost.post.example",
		To: func(string) []string { return []string{"duty@post.example"} }}
	for _, c := range []struct {
		name string
		edit func(*SMTP)
		why  string
	}{
		{"sign-in", func(s *SMTP) { s.Username, s.Password = "outpost", "mail-pass" }, "a user name is set"},
		{"sign-in, opportunistic", func(s *SMTP) { s.Username, s.Password, s.Security = "outpost", "mail-pass", TLSOpportunistic }, "a user name is set"},
		{"required", func(s *SMTP) { s.Security = TLSRequired }, "notify.tls is required"},
	} {
		s := base
		c.edit(&s)
		err := s.Notify(ctx, cyrillicNotice())
		if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") || !strings.Contains(err.Error(), c.why) ||
			!strings.Contains(err.Error(), "nothing was sent") {
			t.Errorf("%s: got %v, want a refusal that says TLS is required because %s", c.name, err, c.why)
		}
	}
	sink.mu.Lock()
	auths := sink.auths
	sink.mu.Unlock()
	if got := sink.messages(); len(got) != 0 || auths != 0 {
		t.Fatalf("in clear: %d messages, %d sign-ins; want none", len(got), auths)
	}
	for _, sec := range []string{"", TLSAuto, TLSOpportunistic} {
		s := base
		s.Security = sec
		if err := s.Notify(ctx, cyrillicNotice()); err != nil {
			t.Errorf("notify.tls %q, a server on this machine, no sign-in: %v", sec, err)
		}
	}
	if got := sink.messages(); len(got) != 3 || got[0].tls {
		t.Errorf("got %d messages, want 3 in clear", len(got))
	}
}

// TestTLSRequiredOffThisMachine: by default TLS is required of a server
// on another machine, and of any server with a sign-in or when
// notify.tls is required; opportunistic applies only without a sign-in.
func TestTLSRequiredOffThisMachine(t *testing.T) {
	for _, c := range []struct {
		host, user, security string
		want                 bool
	}{
		{"127.0.0.1", "", "", false},
		{"localhost", "", TLSAuto, false},
		{"::1", "", "", false},
		{"127.8.0.1", "", "", false},
		{"mail.post.example", "", "", true},
		{"10.0.0.25", "", TLSAuto, true},
		{"mail.post.example", "", TLSOpportunistic, false},
		{"127.0.0.1", "", TLSRequired, true},
		{"127.0.0.1", "outpost", "", true},
		{"10.0.0.25", "outpost", TLSOpportunistic, true},
		{"localhost.evil.example", "", "", true},
	} {
		if got, why := (SMTP{Username: c.user, Security: c.security}).requireTLS(c.host); got != c.want || got && why == "" {
			t.Errorf("%s, user %q, notify.tls %q: TLS required %v (%q), want %v", c.host, c.user, c.security, got, why, c.want)
		}
	}
	if err := checkMailSettings(map[string]string{"notify.tls": "sometimes"}); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("notify.tls sometimes: got %v, want invalid", err)
	}
	for _, v := range []string{"", TLSAuto, TLSRequired, TLSOpportunistic} {
		if err := checkMailSettings(map[string]string{"notify.tls": v}); err != nil {
			t.Errorf("notify.tls %q: %v", v, err)
		}
	}
}
