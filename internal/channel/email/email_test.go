package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/channel"
	"github.com/outpost-org/outpost/internal/channel/email/emailtest"
)

// hang bounds a test that would otherwise wait forever on a bug.
func hang(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func newSender(t *testing.T, srv *emailtest.Server, cfg channel.EmailConfig, opts ...Option) *Sender {
	t.Helper()
	s, err := New(cfg, append([]Option{WithRootCAs(srv.Roots), WithHELO("outpost.post.test")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestScriptsArriveIntact sends subjects and bodies in Cyrillic,
// Vietnamese and Chinese and reads them back as the server decoded them,
// with the headers a receiver needs, over STARTTLS and signed in.
func TestScriptsArriveIntact(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config())
	ctx := hang(t)
	cases := []channel.Message{
		{Key: "link|1|RU-1|email|anna@ru.test", To: "anna@ru.test", Language: "ru",
			Subject: "Перекличка: вы в безопасности?", Body: "Здравствуйте, Анна!\nОтветьте по ссылке: https://o.test/c/ёж\n— Посольство"},
		{Key: "link|1|VN-1|email|lan@vn.test", To: "lan@vn.test", Language: "vi",
			Subject: "Điểm danh: bạn có an toàn không?", Body: "Xin chào Nguyễn Thị Lan,\nhãy trả lời: 1 = an toàn, 2 = cần giúp đỡ."},
		{Key: "link|1|CN-1|email|wei@cn.test", To: "wei@cn.test", Language: "zh-Hans",
			Subject: "点名：您安全吗？" + strings.Repeat("长主题", 30), Body: "王伟您好，\n请回复：1 平安，2 需要帮助。\n" + strings.Repeat("一行很长的中文文字", 40)},
	}
	for _, m := range cases {
		r, err := s.Send(ctx, m)
		if err != nil {
			t.Fatalf("send to %s: %v", m.To, err)
		}
		if want := MessageID(m.Key, "post.test"); r.ProviderID != want {
			t.Errorf("%s: provider id %q, want the Message-ID %q", m.To, r.ProviderID, want)
		}
	}
	got := srv.Messages()
	if len(got) != len(cases) {
		t.Fatalf("the server received %d messages, want %d", len(got), len(cases))
	}
	for i, m := range cases {
		g := got[i]
		if g.Err != nil {
			t.Errorf("%s: %v", m.To, g.Err)
		}
		if g.Subject != m.Subject {
			t.Errorf("%s: subject %q, want %q", m.To, g.Subject, m.Subject)
		}
		// (The line break that ends the data is the transport's.)
		if strings.TrimSuffix(g.Body, "\n") != m.Body {
			t.Errorf("%s: body %q, want %q", m.To, g.Body, m.Body)
		}
		if !g.TLS || g.User != emailtest.User {
			t.Errorf("%s: over TLS %v, signed in as %q; want STARTTLS and %q", m.To, g.TLS, g.User, emailtest.User)
		}
		if g.From != "outpost@post.test" || len(g.To) != 1 || g.To[0] != m.To {
			t.Errorf("%s: envelope %q -> %q", m.To, g.From, g.To)
		}
		h := g.Header
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
			t.Errorf("%s: Content-Type %q", m.To, ct)
		}
		if cte := h.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Errorf("%s: Content-Transfer-Encoding %q", m.To, cte)
		}
		if h.Get("MIME-Version") != "1.0" {
			t.Errorf("%s: MIME-Version %q", m.To, h.Get("MIME-Version"))
		}
		if _, err := h.Date(); err != nil {
			t.Errorf("%s: Date %q: %v", m.To, h.Get("Date"), err)
		}
		if g.MessageID != MessageID(m.Key, "post.test") {
			t.Errorf("%s: Message-ID %q", m.To, g.MessageID)
		}
		if h.Get("Content-Language") != m.Language || h.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("%s: Content-Language %q, Auto-Submitted %q", m.To, h.Get("Content-Language"), h.Get("Auto-Submitted"))
		}
		if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To {
			t.Errorf("%s: To header %q", m.To, h.Get("To"))
		}
		// 7-bit clean, lines within RFC 5322's 998 octets.
		for _, line := range strings.Split(string(g.Raw), "\r\n") {
			if len(line) > 998 {
				t.Errorf("%s: a line of %d octets", m.To, len(line))
			}
			for _, b := range []byte(line) {
				if b >= 0x80 {
					t.Fatalf("%s: an 8-bit octet in %q", m.To, line)
				}
			}
		}
	}
}

// TestMessageIDStable sends the same key twice: the same Message-ID, so
// that a receiver can drop the repeat; another key, another one.
func TestMessageIDStable(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config())
	ctx := hang(t)
	m := channel.Message{Key: "link|7|RU-1|email|a@ru.test", To: "a@ru.test", Subject: "s", Body: "b"}
	for range 2 {
		if _, err := s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	m.Key = "reminder|7|RU-1|email|a@ru.test|1"
	if _, err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if got[0].MessageID == "" || got[0].MessageID != got[1].MessageID {
		t.Errorf("a retry carried Message-ID %q after %q", got[1].MessageID, got[0].MessageID)
	}
	if got[2].MessageID == got[0].MessageID {
		t.Errorf("another key carried the same Message-ID %q", got[2].MessageID)
	}
	if srv.CountID(got[0].MessageID) != 2 || srv.Repeats() != 1 || srv.CountTo("a@ru.test") != 3 {
		t.Errorf("counts: id %d, repeats %d, to %d", srv.CountID(got[0].MessageID), srv.Repeats(), srv.CountTo("a@ru.test"))
	}
	if _, err := mail.ParseAddress("x <" + got[0].MessageID + ">"); err != nil {
		t.Errorf("Message-ID %q is not addr-spec shaped: %v", got[0].MessageID, err)
	}
}

// TestStartTLSRequired: a relay that does not offer STARTTLS gets
// nothing when the channel requires it, or when a password would go in
// clear; without either, the message goes.
func TestStartTLSRequired(t *testing.T) {
	ctx := hang(t)
	srv := emailtest.Start(t, emailtest.WithoutStartTLS(), emailtest.WithLogin("", ""))
	m := channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"}
	for name, cfg := range map[string]channel.EmailConfig{
		"starttls": {SMTP: srv.Addr, From: "outpost@post.test", StartTLS: true},
		"password": {SMTP: srv.Addr, From: "outpost@post.test", User: "outpost", Password: "p"},
	} {
		s := newSender(t, srv, cfg)
		_, err := s.Send(ctx, m)
		reason, permanent := channel.Explain(err)
		if err == nil || permanent || !strings.Contains(reason, "does not offer STARTTLS") {
			t.Errorf("%s: sent to a server without STARTTLS: %v (reason %q, permanent %v)", name, err, reason, permanent)
		}
	}
	if srv.Total() != 0 {
		t.Fatalf("the server received %d messages in clear", srv.Total())
	}
	s := newSender(t, srv, channel.EmailConfig{SMTP: srv.Addr, From: "outpost@post.test"})
	if _, err := s.Send(ctx, m); err != nil {
		t.Fatalf("a channel without STARTTLS required: %v", err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].TLS {
		t.Errorf("got %d messages (TLS %v), want one in clear", len(got), len(got) > 0 && got[0].TLS)
	}
}

// TestUntrustedCertificate: without the server's root, nothing is sent.
func TestUntrustedCertificate(t *testing.T) {
	srv := emailtest.Start(t)
	s, err := New(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Send(hang(t), channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
	if reason, _ := channel.Explain(err); err == nil || !strings.Contains(reason, "certificate is not trusted") {
		t.Fatalf("sent over an untrusted certificate: %v", err)
	}
	if srv.Total() != 0 || srv.Auths() != 0 {
		t.Fatalf("%d messages, %d sign-ins reached an untrusted server", srv.Total(), srv.Auths())
	}
}

// TestRefusalsInPlainWords maps each refusal the relay may answer to the
// words the outbox shows and whether a retry may help.
func TestRefusalsInPlainWords(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config(), WithConnections(1))
	ctx := hang(t)
	for _, c := range []struct {
		code      int
		reason    string
		permanent bool
	}{
		{550, "the mailbox does not exist", true},
		{551, "the mailbox does not exist", true},
		{553, "the mailbox does not exist", true},
		{552, "the mailbox is full", true},
		{452, "the mailbox is full for now", false},
		{554, "the mail server refused the message", true},
		{450, "the mail server cannot take the message for now", false},
		{501, "the mail server refused the message", true},
	} {
		to := fmt.Sprintf("r%d@ru.test", c.code)
		srv.Refuse(to, c.code, "refused for the test")
		_, err := s.Send(ctx, channel.Message{Key: to, To: to, Subject: "s", Body: "b"})
		reason, permanent := channel.Explain(err)
		if reason != c.reason || permanent != c.permanent {
			t.Errorf("%d: %q permanent %v, want %q permanent %v (%v)", c.code, reason, permanent, c.reason, c.permanent, err)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprint(c.code)) {
			t.Errorf("%d: the error %q does not carry the server's answer", c.code, err)
		}
	}
	// The session survived every refusal: one connection, and it still sends.
	if _, err := s.Send(ctx, channel.Message{Key: "ok", To: "ok@ru.test", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if srv.Connections() != 1 || srv.Total() != 1 {
		t.Errorf("%d connections, %d messages; want 1 and 1", srv.Connections(), srv.Total())
	}
	// An address that is not one never reaches the server.
	_, err := s.Send(ctx, channel.Message{Key: "bad", To: "not an address", Subject: "s", Body: "b"})
	if reason, permanent := channel.Explain(err); reason != "the e-mail address is not valid" || !permanent {
		t.Errorf("a bad address: %q permanent %v", reason, permanent)
	}
}

// TestWrongPassword: a refused sign-in is said so, and may be retried
// once the channel's password is corrected.
func TestWrongPassword(t *testing.T) {
	srv := emailtest.Start(t)
	cfg := srv.Config()
	cfg.Password = "wrong"
	s := newSender(t, srv, cfg)
	_, err := s.Send(hang(t), channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
	reason, permanent := channel.Explain(err)
	if reason != "the mail server refused the user name or password" || permanent {
		t.Fatalf("a wrong password: %q permanent %v (%v)", reason, permanent, err)
	}
	if srv.Total() != 0 {
		t.Fatal("a message went without a sign-in")
	}
}

// TestUnreachable: nothing listening, the words say so and a retry may
// help.
func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s, err := New(channel.EmailConfig{SMTP: addr, From: "outpost@post.test", StartTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Send(hang(t), channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
	if reason, permanent := channel.Explain(err); reason != "the mail server cannot be reached" || permanent {
		t.Fatalf("nothing listening: %q permanent %v (%v)", reason, permanent, err)
	}
}

// TestTimeout: a relay that accepts the connection and never greets is
// "cannot be reached" once the timeout passes.
func TestTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s, err := New(channel.EmailConfig{SMTP: ln.Addr().String(), From: "outpost@post.test", StartTLS: true}, WithTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Send(hang(t), channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
	if reason, permanent := channel.Explain(err); reason != "the mail server cannot be reached" || permanent {
		t.Fatalf("a silent server: %q permanent %v (%v)", reason, permanent, err)
	}
}

// TestConcurrentSendsReuseConnections sends many messages at once
// through a pool of four: all arrive, over at most four connections.
func TestConcurrentSendsReuseConnections(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config(), WithConnections(4))
	ctx := hang(t)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			to := fmt.Sprintf("p%d@ru.test", i)
			if _, err := s.Send(ctx, channel.Message{Key: to, To: to, Subject: "Проверка", Body: "тело"}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if srv.Total() != n || srv.Repeats() != 0 {
		t.Errorf("%d messages (%d repeats), want %d", srv.Total(), srv.Repeats(), n)
	}
	for i := range n {
		if c := srv.CountTo(fmt.Sprintf("p%d@ru.test", i)); c != 1 {
			t.Fatalf("p%d got %d messages", i, c)
		}
	}
	if c := srv.Connections(); c < 1 || c > 4 {
		t.Errorf("%d connections for %d messages through a pool of 4", c, n)
	}
	if srv.Auths() != srv.Connections() {
		t.Errorf("%d sign-ins on %d connections", srv.Auths(), srv.Connections())
	}
}

// TestServerGoesAwayAndReturns: while the relay is down, sends fail as
// temporary; once it is back, the same Sender sends again on new
// connections without anyone resetting it.
func TestServerGoesAwayAndReturns(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config(), WithConnections(2))
	ctx := hang(t)
	send := func(to string) error {
		_, err := s.Send(ctx, channel.Message{Key: to, To: to, Subject: "s", Body: "b"})
		return err
	}
	if err := send("before@ru.test"); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	err := send("during@ru.test")
	if reason, permanent := channel.Explain(err); err == nil || permanent {
		t.Fatalf("sent while the server was down: %v (%q)", err, reason)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := send("after@ru.test"); err != nil {
		t.Fatalf("after the server returned: %v", err)
	}
	if srv.CountTo("before@ru.test") != 1 || srv.CountTo("during@ru.test") != 0 || srv.CountTo("after@ru.test") != 1 {
		t.Errorf("counts before %d during %d after %d", srv.CountTo("before@ru.test"), srv.CountTo("during@ru.test"), srv.CountTo("after@ru.test"))
	}
}

// TestStaleConnectionRetried: the relay closed an idle connection
// (restarted between two sends): the next send goes on a new one
// without an error, because nothing had been handed over.
func TestStaleConnectionRetried(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config(), WithConnections(1))
	ctx := hang(t)
	if _, err := s.Send(ctx, channel.Message{Key: "1", To: "a@ru.test", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, channel.Message{Key: "2", To: "a@ru.test", Subject: "s", Body: "b"}); err != nil {
		t.Fatalf("a stale connection was not replaced: %v", err)
	}
	if srv.CountTo("a@ru.test") != 2 || srv.Connections() != 2 {
		t.Errorf("%d messages over %d connections, want 2 over 2", srv.CountTo("a@ru.test"), srv.Connections())
	}
}

// TestCancelled: a called-off context stops a send waiting for a slot.
func TestCancelled(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Send(ctx, channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
	var ce *channel.Error
	if !errors.As(err, &ce) || ce.Permanent || !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled send: %v", err)
	}
}

func TestNewRefusesBadSettings(t *testing.T) {
	for _, cfg := range []channel.EmailConfig{
		{SMTP: "mail.test", From: "a@b.test"},
		{SMTP: "mail.test:0", From: "a@b.test"},
		{SMTP: ":25", From: "a@b.test"},
		{SMTP: "mail.test:25", From: "not an address"},
		{SMTP: "mail.test:25", From: "a@b.test\r\nBcc: x@y.test"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}

// fakeRelay answers the greeting and EHLO, then nothing.
func fakeRelay(t *testing.T, greeting string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprint(c, greeting)
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			if strings.HasPrefix(string(buf[:n]), "EHLO") {
				fmt.Fprint(c, "250 mx.test\r\n")
			} // anything else: no answer
		}
	}()
	return ln.Addr().String()
}

// TestCancelledMidSession: a relay that stops answering after MAIL FROM
// holds a send only until its context is called off, well before the
// command timeout.
func TestCancelledMidSession(t *testing.T) {
	addr := fakeRelay(t, "220 mx.test ready\r\n")
	s, err := New(channel.EmailConfig{SMTP: addr, From: "outpost@post.test"}, WithTimeout(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(hang(t))
	done := make(chan error, 1)
	go func() {
		_, err := s.Send(ctx, channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if reason, permanent := channel.Explain(err); reason != "the message was not sent before it was called off" || permanent {
			t.Fatalf("a called-off send: %q permanent %v (%v)", reason, permanent, err)
		}
	case <-hang(t).Done():
		t.Fatal("the send did not stop when called off")
	}
}

// TestRefusedAtGreeting: a relay that refuses the connection itself
// (554 at the greeting) is a temporary failure of the channel, not a
// refusal of the message.
func TestRefusedAtGreeting(t *testing.T) {
	addr := fakeRelay(t, "554 mx.test no service for you\r\n")
	s, err := New(channel.EmailConfig{SMTP: addr, From: "outpost@post.test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Send(hang(t), channel.Message{Key: "k", To: "a@ru.test", Subject: "s", Body: "b"})
	if reason, permanent := channel.Explain(err); reason != "the mail server refused the connection" || permanent || !strings.Contains(err.Error(), "554") {
		t.Fatalf("refused at the greeting: %q permanent %v (%v)", reason, permanent, err)
	}
}

// TestAllIdleStale: the relay restarted while four connections were
// idle; the next sends each go through on a new connection, none fails.
func TestAllIdleStale(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config(), WithConnections(4))
	ctx := hang(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			to := fmt.Sprintf("a%d@ru.test", i)
			if _, err := s.Send(ctx, channel.Message{Key: to, To: to, Subject: "s", Body: "b"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	srv.Stop()
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		to := fmt.Sprintf("b%d@ru.test", i)
		if _, err := s.Send(ctx, channel.Message{Key: to, To: to, Subject: "s", Body: "b"}); err != nil {
			t.Fatalf("send %d after the restart: %v", i, err)
		}
	}
	if srv.Total() != 12 {
		t.Errorf("%d messages, want 12", srv.Total())
	}
}
