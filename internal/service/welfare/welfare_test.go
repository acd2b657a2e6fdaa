package welfare

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

func TestLinks(t *testing.T) {
	l := Links{Secret: []byte("post secret"), BaseURL: "https://post.example/"}
	tok := l.Token(3, "RU-0001")
	cases := []struct {
		name   string
		rc     int64
		person string
		token  string
		want   bool
	}{
		{"own link", 3, "RU-0001", tok, true},
		{"another person", 3, "RU-0002", tok, false},
		{"another roll call", 4, "RU-0001", tok, false},
		{"forged", 3, "RU-0001", "AAAAAAAAAAAAAAAAAAAAAAAA", false},
		{"empty", 3, "RU-0001", "", false},
	}
	for _, c := range cases {
		if got := l.Valid(c.rc, c.person, c.token); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	if (Links{}).Valid(3, "RU-0001", (Links{}).Token(3, "RU-0001")) {
		t.Error("a link is valid without a secret")
	}
	if got, want := l.URL(3, "RU 1"), "https://post.example/checkin/3/RU%201/"+l.Token(3, "RU 1"); got != want {
		t.Errorf("url: got %s, want %s", got, want)
	}
}

func seeded(t *testing.T) (*store.DB, outpost.RollCall) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.Seed(t, db)
	rc, err := db.StartRollCall(storetest.Ctx(), outpost.RollCall{Title: "Morning", EscalateAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return db, rc
}

func TestBatcherLosesNothingAndLatestWins(t *testing.T) {
	db, rc := seeded(t)
	b := NewBatcher(db, 64)
	people := []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var refused int
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := b.Submit(storetest.Ctx(), outpost.Checkin{RollCall: rc.ID, Person: people[i%len(people)], Status: outpost.NeedHelp, Via: "api"})
			if err != nil {
				mu.Lock()
				refused++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	// The last word of RU-0001, after all the others.
	if err := b.Submit(storetest.Ctx(), outpost.Checkin{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe}); err != nil {
		t.Fatal(err)
	}
	if err := b.Submit(storetest.Ctx(), outpost.Checkin{RollCall: rc.ID, Person: "NOPE", Status: outpost.Safe}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown person through the batcher: got %v", err)
	}
	b.Close()
	if refused != 0 {
		t.Fatalf("%d answers refused", refused)
	}
	rep, _ := db.RollCallReport(context.Background(), rc.ID)
	if rep.Safe != 1 || rep.NeedHelp != 4 || rep.NoResponse != 0 {
		t.Errorf("got %d safe, %d need help, %d silent; want 1, 4, 0", rep.Safe, rep.NeedHelp, rep.NoResponse)
	}
	audit, _ := db.Audit(context.Background(), outpost.AuditFilter{Entity: "rollcall", Limit: 1000})
	checkins := 0
	for _, a := range audit {
		if a.Action == "checkin" {
			checkins++
		}
	}
	if checkins != 201 {
		t.Errorf("audit: %d check-ins recorded, want every one of the 201 accepted", checkins)
	}
	if err := b.Submit(context.Background(), outpost.Checkin{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe}); err != ErrClosed {
		t.Errorf("after close: got %v, want ErrClosed", err)
	}
}

// smtpServer is a minimal mail server that keeps what it receives.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 test ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			fmt.Fprint(c, "250 test\r\n")
		case cmd == "DATA":
			fmt.Fprint(c, "354 go on\r\n")
			var body strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				body.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, body.String())
			s.mu.Unlock()
			fmt.Fprint(c, "250 queued\r\n")
		case cmd == "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

func TestEscalationByMailAndSignedWebhook(t *testing.T) {
	db, rc := seeded(t)
	ctx := storetest.Ctx()
	db.CheckIn(ctx, []outpost.Checkin{
		{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe},
		{RollCall: rc.ID, Person: "RU-0002", Status: outpost.NeedHelp, Note: "no insulin left"},
		{RollCall: rc.ID, Person: "SE-0001", Status: outpost.Safe},
	})
	mail := startSMTP(t)
	secret := hookSecret
	var hooks []Notice
	var hookMu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if VerifyWebhook(secret, r.Header.Get(SignatureHeader), body, time.Now(), 0) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var m struct{ Notice Notice }
		json.Unmarshal(body, &m)
		hookMu.Lock()
		hooks = append(hooks, m.Notice)
		hookMu.Unlock()
	}))
	defer srv.Close()
	notifiers := []Notifier{
		SMTP{Addr: mail.ln.Addr().String(), From: "outpost@post.example",
			To: func(m string) []string { return []string{"manager-" + strings.ToLower(m) + "@post.example"} }},
		Webhook{URL: srv.URL, Secret: secret},
	}
	if sent, err := Escalate(ctx, db, rc.StartedAt.Add(30*time.Second), notifiers); err != nil || len(sent) != 0 {
		t.Fatalf("before the escalation time: sent %v, %v", sent, err)
	}
	sent, err := Escalate(ctx, db, rc.StartedAt.Add(2*time.Minute), notifiers)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || sent[0].Mission != "RU" || len(sent[0].NoResponse) != 1 || len(sent[0].NeedHelp) != 1 || sent[1].Mission != "WFP" {
		t.Fatalf("notices: got %+v, want RU (1 silent, 1 needing help) and WFP", sent)
	}
	if len(mail.msgs) != 2 || !strings.Contains(mail.msgs[0], "To: <manager-ru@post.example>") ||
		!strings.Contains(mail.msgs[0], "RU-0003") || !strings.Contains(mail.msgs[0], "no insulin left") {
		t.Errorf("mail: got %q", mail.msgs)
	}
	if len(hooks) != 2 || hooks[1].NoResponse[0].Person != "WFP-0001" {
		t.Errorf("webhook: got %+v", hooks)
	}
	if again, _ := Escalate(ctx, db, rc.StartedAt.Add(time.Hour), notifiers); len(again) != 0 {
		t.Errorf("escalated twice: %+v", again)
	}
}

func TestEscalationRetriedWhenEveryChannelFails(t *testing.T) {
	db, rc := seeded(t)
	broken := Webhook{URL: "http://127.0.0.1:1/hook", Secret: hookSecret}
	if _, err := Escalate(storetest.Ctx(), db, rc.StartedAt.Add(time.Hour), []Notifier{broken}); err == nil {
		t.Fatal("a failed delivery reported no error")
	}
	due, _ := db.DueEscalations(context.Background(), rc.StartedAt.Add(time.Hour))
	if len(due) != 1 {
		t.Errorf("a roll call whose notices all failed was marked escalated")
	}
}
