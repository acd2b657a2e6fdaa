package email

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/outpost-org/outpost/internal/channel"
	"github.com/outpost-org/outpost/internal/channel/email/emailtest"
)

// TestAnyTextArrivesIntact: whatever UTF-8 subject and body a message
// has (any script, long lines, lone CRs and LFs, spaces at line ends,
// "=" and "." at line starts), the server decodes what was sent, with
// line breaks as LF and a subject on one line.
func TestAnyTextArrivesIntact(t *testing.T) {
	srv := emailtest.Start(t)
	s := newSender(t, srv, srv.Config())
	ctx := hang(t)
	n := 0
	text := rapid.StringOfN(rapid.OneOf(
		rapid.RuneFrom([]rune("аяЁё ĐđƯưạ中文字한글العربية \t=.\n\r-_!?")),
		rapid.Rune(),
	), 0, 600, -1)
	rapid.Check(t, func(rt *rapid.T) {
		subject, body := text.Draw(rt, "subject"), text.Draw(rt, "body")
		if !utf8.ValidString(subject) || !utf8.ValidString(body) {
			rt.Skip("not UTF-8")
		}
		n++
		to := fmt.Sprintf("p%d@ru.test", n)
		if _, err := s.Send(ctx, channel.Message{Key: to, To: to, Subject: subject, Body: body}); err != nil {
			rt.Fatal(err)
		}
		got := srv.Messages()[srv.Total()-1]
		if got.Err != nil {
			rt.Fatal(got.Err)
		}
		wantSubject := strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(subject)
		if strings.TrimSpace(got.Subject) != strings.TrimSpace(wantSubject) {
			rt.Fatalf("subject %q, want %q", got.Subject, wantSubject)
		}
		wantBody := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(body)
		// (The transport ends the data with a line break, so whether the
		// body ended with one is not kept.)
		if strings.TrimSuffix(got.Body, "\n") != strings.TrimSuffix(wantBody, "\n") {
			rt.Fatalf("body %q, want %q", got.Body, wantBody)
		}
	})
}

// TestMessageIDShape: any key gives a Message-ID that is a valid
// addr-spec, the same for the same key, another for another.
func TestMessageIDShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := rapid.String().Draw(t, "a"), rapid.String().Draw(t, "b")
		ida := MessageID(a, "post.test")
		if ida != MessageID(a, "post.test") || len(ida) != 32+len(".outpost@post.test") {
			t.Fatalf("Message-ID %q", ida)
		}
		if strings.Trim(ida[:32], "0123456789abcdef") != "" {
			t.Fatalf("Message-ID %q is not hexadecimal before the domain", ida)
		}
		if a != b && MessageID(b, "post.test") == ida {
			t.Fatalf("keys %q and %q share Message-ID %q", a, b, ida)
		}
	})
}
