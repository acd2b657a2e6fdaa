package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// seedEvacWelfare gives the fixture records of evacuation and welfare
// whose ids are those the authorization walk puts into path parameters
// ("1"), so that the walk reaches their handlers with real data of the
// walker's own mission and of others: plan 1 puts every seeded household
// on departure "1"; roll call 1 is over everyone (SE-0001 needs help, a
// RU person is safe); medical case 1 is SE-0001's, case 2 RU-0002's.
func seedEvacWelfare(t testing.TB, s outpost.Store) {
	t.Helper()
	ctx := storetest.Ctx()
	deps := testkit.Departures()
	deps[0].ID = "1"
	testkit.SeedEvacuation(t, s, deps, testkit.Restrictions())
	if _, err := evacuation.New(s, nil, nil).Make(ctx, outpost.Operator("tester"), "2021-04-01"); err != nil {
		t.Fatal(err)
	}
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Morning check", EscalateAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRollCall(ctx, outpost.RollCall{Title: "RU only", Mission: "RU"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckIn(ctx, []outpost.Checkin{
		{RollCall: rc.ID, Person: "SE-0001", Status: outpost.NeedHelp, Note: "no insulin"},
		{RollCall: rc.ID, Person: "RU-0003", Status: outpost.Safe},
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"SE-0001", "RU-0002"} {
		if _, err := s.OpenCase(ctx, outpost.MedicalCase{Person: p, Precedence: outpost.Urgent, Need: "dialysis"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTheAPIAndTheWebShareOneBatcher(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	if f.srv.api.Welfare == nil || f.srv.api.Welfare != f.srv.web.Welfare {
		t.Fatalf("the API's desk %p and the web's %p differ", f.srv.api.Welfare, f.srv.web.Welfare)
	}
	res := f.postJSON("/api/v1/rollcalls/1/checkins", "admin", `{"person": "WFP-0001", "status": "safe", "note": "in the compound"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("check-in: got %d %s, want 201", res.status, res.body)
	}
	var c outpost.Checkin
	if err := json.Unmarshal([]byte(res.body), &c); err != nil {
		t.Fatal(err)
	}
	if c.Via != "api" || c.At.IsZero() || c.Person != "WFP-0001" {
		t.Errorf("answer: got %+v, want one timed by the batcher, via api", c)
	}
	f.srv.Close()
	res = f.postJSON("/api/v1/rollcalls/1/checkins", "admin", `{"person": "WFP-0001", "status": "safe"}`)
	if res.status != http.StatusServiceUnavailable {
		t.Errorf("after Close: got %d %s, want 503 (the batcher is stopped)", res.status, res.body)
	}
}

// stormRollCall seeds s and starts a roll call of RU that is due for
// escalation a minute after it starts.
func stormRollCall(t *testing.T, s outpost.Store) (context.Context, outpost.RollCall) {
	t.Helper()
	storetest.Seed(t, s)
	ctx := storetest.Ctx()
	rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Storm", Mission: "RU", EscalateAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, rc
}

func TestServeEscalatesAndClosesTheBatcher(t *testing.T) {
	s := engines(t)["sqlite"](t)
	ctx, rc := stormRollCall(t, s)
	var mu sync.Mutex
	var notices []welfare.Notice
	secret := []byte(welfare.NewWebhookSecret())
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if welfare.VerifyWebhook(secret, r.Header.Get(welfare.SignatureHeader), body, time.Now(), 0) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var m struct{ Notice welfare.Notice }
		json.Unmarshal(body, &m)
		mu.Lock()
		notices = append(notices, m.Notice)
		mu.Unlock()
	}))
	defer hook.Close()
	for k, v := range map[string]string{"notify.webhook": hook.URL, "notify.webhook_secret": string(secret)} {
		if err := s.SetConfig(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	// The server's clock is an hour ahead, so the roll call is due at once.
	srv, err := New(Config{Store: s, Version: "test", Now: func() time.Time { return rc.StartedAt.Add(time.Hour) }, EscalateEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	for {
		got, err := s.RollCall(ctx, rc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.EscalatedAt != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(notices) != 1 || notices[0].Mission != "RU" || len(notices[0].NoResponse) != 3 {
		t.Errorf("notices: got %+v, want one for RU listing its 3 people", notices)
	}
	mu.Unlock()
	if _, err := srv.checkins.Record(ctx, outpost.Checkin{RollCall: rc.ID, Person: "RU-0001", Status: outpost.Safe}); err != welfare.ErrClosed {
		t.Errorf("an answer after Serve ended: got %v, want ErrClosed", err)
	}
}

func TestEscalationRefusesAWebhookWithoutASecret(t *testing.T) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx, rc := stormRollCall(t, s)
			var mu sync.Mutex
			received := 0
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				received++
				mu.Unlock()
			}))
			defer hook.Close()
			// Stored directly, as an older version or a hand-edited
			// database could have left it: the command line refuses it.
			if err := s.SetConfig(ctx, "notify.webhook", hook.URL); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			srv, err := New(Config{Store: s, Version: "test", Log: slog.New(slog.NewTextHandler(&logs, nil)),
				Now: func() time.Time { return rc.StartedAt.Add(time.Hour) }})
			if err != nil {
				t.Fatal(err)
			}
			srv.escalateOnce(ctx)
			mu.Lock()
			if received != 0 {
				t.Errorf("the receiver got %d unsigned notices, want none", received)
			}
			mu.Unlock()
			if !strings.Contains(logs.String(), "webhook needs a secret") {
				t.Errorf("the log does not say why nothing was sent:\n%s", logs.String())
			}
			got, err := s.RollCall(ctx, rc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.EscalatedAt != nil {
				t.Error("the roll call is marked escalated though no notice went out")
			}
		})
	}
}
