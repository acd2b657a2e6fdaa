package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// pair is two servers, A and B, each over its own connection to one
// database, as two `outpost serve` processes behind a load balancer are;
// each has its own clock, which the test moves.
type pair struct {
	t      *testing.T
	f      *fixture // seeded through A's store; its users' tokens
	dbA    *store.DB
	srv    [2]*Server
	clocks [2]*atomic.Int64
}

func newPair(t *testing.T, dsn string) *pair {
	t.Helper()
	p := &pair{t: t}
	open := func() *store.DB {
		db := testkit.Open(t, store.Open, dsn)
		db.Now = func() time.Time { return testNow }
		return db
	}
	p.dbA = open()
	dbB := open()
	p.f = newFixture(t, p.dbA)
	for i, db := range []*store.DB{p.dbA, dbB} {
		clock := &atomic.Int64{}
		clock.Store(testNow.UnixNano())
		srv, err := New(Config{Store: db, Version: "test", Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		p.srv[i], p.clocks[i] = srv, clock
	}
	return p
}

// advance moves both servers' clocks by d.
func (p *pair) advance(d time.Duration) {
	for _, c := range p.clocks {
		c.Add(int64(d))
	}
}

// send sends a request to server i ("A" is 0, "B" 1) from one client
// address, with a bearer token or a session cookie.
func (p *pair) send(i int, method, target, token string, cookie *http.Cookie, contentType, body string) *httptest.ResponseRecorder {
	p.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = "198.51.100.7:4321"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	p.srv[i].Handler().ServeHTTP(rec, req)
	return rec
}

// signIn posts the sign-in form to server i and answers the status and
// the session cookie (nil when none was set).
func (p *pair) signIn(i int, name, password string) (int, *http.Cookie) {
	p.t.Helper()
	form := url.Values{"name": {name}, "password": {password}, "next": {"/"}}.Encode()
	rec := p.send(i, "POST", "/signin", "", nil, "application/x-www-form-urlencoded", form)
	for _, c := range rec.Result().Cookies() {
		if c.Name == p.srv[i].Web().SessionCookieName() && c.Value != "" {
			return rec.Code, c
		}
	}
	return rec.Code, nil
}

// me answers the status of GET /api/v1/me on server i.
func (p *pair) me(i int, token string, cookie *http.Cookie) int {
	p.t.Helper()
	return p.send(i, "GET", "/api/v1/me", token, cookie, "", "").Code
}

const (
	serverA = 0
	serverB = 1
)

// Two servers on one database behave as one service: what one server
// starts, ends or counts, the other sees.
func TestTwoServersOnOneDatabase(t *testing.T) {
	for name, dsn := range testkit.DSNs() {
		t.Run(name, func(t *testing.T) {
			t.Run("session made on A works on B; sign-out on A ends it on B", func(t *testing.T) {
				p := newPair(t, dsn(t))
				code, c := p.signIn(serverA, "staff", "correct horse battery")
				if code != http.StatusSeeOther || c == nil {
					t.Fatalf("sign-in on A: got %d, cookie %v", code, c)
				}
				if got := p.me(serverB, "", c); got != 200 {
					t.Fatalf("A's session on B: got %d, want 200", got)
				}
				if rec := p.send(serverA, "POST", "/signout", "", c, "application/x-www-form-urlencoded", ""); rec.Code != http.StatusSeeOther {
					t.Fatalf("sign-out on A: got %d", rec.Code)
				}
				if got := p.me(serverB, "", c); got != 401 {
					t.Errorf("session signed out on A, on B: got %d, want 401", got)
				}
			})

			t.Run("a password changed through A ends the session on B", func(t *testing.T) {
				p := newPair(t, dsn(t))
				_, c := p.signIn(serverB, "manager", "correct horse battery")
				if got := p.me(serverA, "", c); got != 200 {
					t.Fatalf("B's session on A: got %d, want 200", got)
				}
				// As `outpost user passwd` does, over A's connection.
				if err := p.dbA.SetPassword(context.Background(), "manager", "$argon2id$new"); err != nil {
					t.Fatal(err)
				}
				if got := p.me(serverB, "", c); got != 401 {
					t.Errorf("after the password changed: got %d on B, want 401", got)
				}
			})

			t.Run("sign-in attempts count across both", func(t *testing.T) {
				if name != "postgres" {
					t.Skip("a SQLite database takes one server, which counts sign-in attempts in memory")
				}
				p := newPair(t, dsn(t))
				// The account may make 5 attempts from one address, then
				// waits: alternating servers gives no more.
				for i := range 5 {
					if code, _ := p.signIn(i%2, "coordinator", "wrong"); code != http.StatusUnauthorized {
						t.Fatalf("wrong password %d on %c: got %d, want 401", i+1, 'A'+i%2, code)
					}
				}
				for _, srv := range []int{serverB, serverA} {
					if code, _ := p.signIn(srv, "coordinator", "correct horse battery"); code != http.StatusTooManyRequests {
						t.Errorf("sixth attempt, on %c: got %d, want 429 (the 5 before were counted on both servers)", 'A'+srv, code)
					}
				}
				p.advance(time.Second)
				if code, c := p.signIn(serverB, "coordinator", "correct horse battery"); code != http.StatusSeeOther || c == nil {
					t.Errorf("after the wait: got %d, want a session", code)
				}
			})

			t.Run("a token revoked or a user disabled through A is refused on B", func(t *testing.T) {
				p := newPair(t, dsn(t))
				staff, press := p.f.users["staff"].token, p.f.users["press"].token
				for _, tk := range []string{staff, press} {
					if got := p.me(serverB, tk, nil); got != 200 {
						t.Fatalf("before: got %d on B", got)
					}
				}
				// staff disabled in A's web UI; press's token revoked as
				// `outpost token revoke` does, over A's connection.
				admin := p.f.session("admin")
				if rec := p.send(serverA, "POST", "/users/staff/disable", "", admin, "application/x-www-form-urlencoded", ""); rec.Code != http.StatusSeeOther {
					t.Fatalf("disable staff on A: got %d %s", rec.Code, rec.Body)
				}
				tokens, err := p.dbA.Tokens(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				for _, tk := range tokens {
					if tk.User == "press" {
						if err := p.dbA.RevokeToken(context.Background(), tk.ID); err != nil {
							t.Fatal(err)
						}
					}
				}
				// B had both tokens cached; within a second it asks the
				// database again.
				p.advance(underASecond)
				for who, tk := range map[string]string{"staff": staff, "press": press} {
					if got := p.me(serverB, tk, nil); got != 401 {
						t.Errorf("%s's token on B after %v: got %d, want 401", who, underASecond, got)
					}
				}
				if got := p.me(serverB, p.f.users["admin"].token, nil); got != 200 {
					t.Errorf("another token on B: got %d, want 200", got)
				}
			})

			t.Run("a check-in through A is in the roll call through B", func(t *testing.T) {
				p := newPair(t, dsn(t))
				admin := p.f.users["admin"].token
				rec := p.send(serverA, "POST", "/api/v1/rollcalls", admin, nil, "application/json", `{"title": "two servers"}`)
				var rc outpost.RollCall
				if err := json.Unmarshal(rec.Body.Bytes(), &rc); err != nil || rec.Code != http.StatusCreated {
					t.Fatalf("start on A: %d %s", rec.Code, rec.Body)
				}
				for i, person := range []string{"RU-0001", "RU-0002"} {
					path := fmt.Sprintf("/api/v1/rollcalls/%d/checkins", rc.ID)
					rec := p.send(i, "POST", path, admin, nil, "application/json", `{"person": "`+person+`", "status": "safe", "note": "via `+string(rune('A'+i))+`"}`)
					if rec.Code != http.StatusCreated {
						t.Fatalf("check-in on %c: %d %s", 'A'+i, rec.Code, rec.Body)
					}
				}
				for i := range 2 {
					rec := p.send(i, "GET", fmt.Sprintf("/api/v1/rollcalls/%d", rc.ID), admin, nil, "", "")
					body, _ := io.ReadAll(rec.Body)
					var got struct {
						Safe   int `json:"safe"`
						People []struct {
							Person, Status, Note string
						} `json:"people"`
					}
					if err := json.Unmarshal(body, &got); err != nil {
						t.Fatalf("roll call on %c: %d %s", 'A'+i, rec.Code, body)
					}
					notes := map[string]string{}
					for _, e := range got.People {
						notes[e.Person] = e.Note
					}
					if got.Safe != 2 || notes["RU-0001"] != "via A" || notes["RU-0002"] != "via B" {
						t.Errorf("roll call through %c: %d safe, notes %v; want both answers", 'A'+i, got.Safe, notes)
					}
				}
			})
		})
	}
}
