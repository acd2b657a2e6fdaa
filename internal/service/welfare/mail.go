package welfare

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base32"
	"fmt"
	"net"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends notices as e-mail through a mail server, composed and sent
// with github.com/wneessen/go-mail (see docs/architecture.md): every
// message has a Message-ID, a Date, MIME-Version, a subject and names
// encoded by RFC 2047 when they are not ASCII, a body in UTF-8 sent as
// quoted-printable (7-bit clean, so a server without 8BITMIME or
// SMTPUTF8 takes it), and Auto-Submitted: auto-generated (RFC 3834), so
// that no vacation responder answers it. The client greets the server
// with the host's name, speaks TLS (STARTTLS; port 465: TLS from the
// start) as Security says, and signs in when a user name is set: only
// inside TLS, so that neither the password nor the notice can be read by
// whoever strips STARTTLS from the server's answer.
type SMTP struct {
	// Addr is the server's host:port.
	Addr string
	// From is the sender, "outpost@post.example" or
	// "Outpost <outpost@post.example>" (see ParseFrom): the header shows
	// it whole, and the envelope sender is its bare address.
	From string
	// To returns the recipients for a mission (its manager's address);
	// none means the notice is not mailed.
	To func(mission string) []string
	// HELO is the name the client greets the server with (default: the
	// host's name, os.Hostname).
	HELO string
	// Username and Password sign in to the server (none: no sign-in).
	Username, Password string
	// Timeout bounds the connection and each command (default 30s).
	Timeout time.Duration
	// TLS is the TLS configuration for STARTTLS or port 465 (default:
	// the system's roots, for the server's host name).
	TLS *tls.Config
	// Security is the setting notify.tls: TLSRequired, TLSOpportunistic,
	// or "" (TLSAuto). A user name always requires TLS.
	Security string
}

// The values of the setting notify.tls.
const (
	// TLSAuto, the default, requires TLS of a server on another machine
	// and takes it when offered by one on this machine (localhost,
	// 127.0.0.0/8, ::1), where no one on the network sits between.
	TLSAuto = "auto"
	// TLSRequired sends nothing to a server that does not speak TLS.
	TLSRequired = "required"
	// TLSOpportunistic takes STARTTLS when offered and otherwise sends in
	// clear: for a relay on the post's own network without a certificate.
	// It never applies with a user name set.
	TLSOpportunistic = "opportunistic"
)

// ValidTLSSetting says whether v is a value of notify.tls ("" is auto).
func ValidTLSSetting(v string) bool {
	return v == "" || v == TLSAuto || v == TLSRequired || v == TLSOpportunistic
}

// requireTLS says whether a send must be inside TLS, and why.
func (s SMTP) requireTLS(host string) (bool, string) {
	switch {
	case s.Username != "":
		return true, "a user name is set, and a password is sent only inside TLS"
	case s.Security == TLSRequired:
		return true, "the setting notify.tls is required"
	case s.Security == TLSOpportunistic:
		return false, ""
	case !loopback(host):
		return true, "the server is not on this machine (set notify.tls to opportunistic for a relay without a certificate)"
	}
	return false, ""
}

// loopback says whether host names this machine: localhost or a loopback
// address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Name names the channel.
func (s SMTP) Name() string { return "smtp" }

// ParseFrom reads a sender address as the setting notify.from holds it:
// an address, or a name and an address ("Outpost <outpost@post.example>",
// as RFC 5322 writes it).
func ParseFrom(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an e-mail address: want ADDRESS or 'NAME <ADDRESS>', such as 'Outpost <outpost@post.example>' (%v)", s, err)
	}
	if strings.ContainsAny(a.Address, "\r\n") {
		return nil, fmt.Errorf("%q is not an e-mail address: it spans lines", s)
	}
	return a, nil
}

// validHELO says whether s may be sent as the EHLO name: a host name of
// letters, digits, hyphens and dots (RFC 5321 4.1.1.1), at most 253
// characters.
func validHELO(s string) bool {
	if s == "" || len(s) > 253 || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// heloName is the name the client greets a mail server with: the
// configured one, else the host's name. A server may refuse or score
// down a client that calls itself "localhost".
func (s SMTP) heloName() string {
	if s.HELO != "" {
		return s.HELO
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost.localdomain"
}

// Message composes the e-mail of one notice to the given recipients.
func (s SMTP) Message(n Notice, to []string) (*gomail.Msg, error) {
	from, err := ParseFrom(s.From)
	if err != nil {
		return nil, fmt.Errorf("the setting notify.from: %w", err)
	}
	m := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	m.FromMailAddress(from)
	m.EnvelopeFromMailAddress(&mail.Address{Address: from.Address})
	if err := m.To(to...); err != nil {
		return nil, fmt.Errorf("the recipients %q: %w", strings.Join(to, ", "), err)
	}
	m.Subject(fmt.Sprintf("[Outpost] %s: %d without an answer to \"%s\"", n.Mission, len(n.NoResponse), oneLine(n.Title)))
	m.SetDateWithValue(n.At)
	m.SetMessageIDWithValue(messageID(s.heloName(), from.Address))
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetUserAgent("Outpost")
	m.SetBodyString(gomail.TypeTextPlain, strings.ReplaceAll(n.Text(), "\n", "\r\n"))
	return m, nil
}

// messageID is a unique Message-ID (RFC 5322 3.6.4): random bits at the
// domain of the host, or of the sender when the host's name has no dot.
func messageID(host, from string) string {
	b := make([]byte, 15)
	rand.Read(b)
	if !strings.Contains(host, ".") {
		if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
			host = domain
		}
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(b)) + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + "@" + host
}

// Notify mails one notice.
func (s SMTP) Notify(ctx context.Context, n Notice) error {
	to := s.To(n.Mission)
	if len(to) == 0 {
		return nil
	}
	m, err := s.Message(n, to)
	if err != nil {
		return err
	}
	host, portText, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("the setting notify.smtp %q: want HOST:PORT", s.Addr)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return fmt.Errorf("the setting notify.smtp %q: want a port from 1 to 65535", s.Addr)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	required, why := s.requireTLS(host)
	policy := gomail.TLSOpportunistic
	if required {
		policy = gomail.TLSMandatory
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithHELO(s.heloName()), gomail.WithTimeout(timeout),
		gomail.WithTLSPolicy(policy), gomail.WithoutSMTPUTF8()}
	if port == 465 {
		opts = append(opts, gomail.WithSSL())
	}
	if s.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLS))
	}
	if s.Username != "" {
		// The strongest mechanism the server offers, inside TLS (above).
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		if required && strings.Contains(err.Error(), "does not support STARTTLS") {
			return fmt.Errorf("smtp %s: the server does not offer STARTTLS, and TLS is required because %s: nothing was sent: %w", s.Addr, why, err)
		}
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	return nil
}

// oneLine keeps a title on one line of a header.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
