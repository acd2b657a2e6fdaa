package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// testNow is the server's clock in tests.
var testNow = time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)

// walker is a user of the test corps with an API token.
type walker struct {
	outpost.User
	token string
}

// fixture is a server over a seeded store, with one user of each role
// (the mission-bound ones of RU).
type fixture struct {
	t     testing.TB
	store outpost.Store
	srv   *Server
	users map[string]walker
}

// engines returns the stores the server tests run on: SQLite always, and
// PostgreSQL when OUTPOST_TEST_POSTGRES is set.
func engines(testing.TB) map[string]func(t testing.TB) *store.DB {
	out := testkit.Stores(store.Open)
	for name, open := range out {
		out[name] = func(t testing.TB) *store.DB {
			db := open(t)
			// The store's clock is the server's: a token's lifetime is
			// counted by both.
			db.Now = func() time.Time { return testNow }
			return db
		}
	}
	return out
}

// marker strings are unique to one person, so a body that contains one
// shows that person's record.
func nameMarker(id string) string     { return "Surname" + strings.ReplaceAll(id, "-", "") }
func passportMarker(id string) string { return "PP" + strings.ReplaceAll(id, "-", "") + "X" }

// seedPeople are the test people: three of RU, one of SE, one of WFP.
var seedPeople = []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}

func newFixture(t testing.TB, s outpost.Store) *fixture {
	t.Helper()
	testkit.SeedPeople(t, s, seedPeople, func(i int, p *outpost.PersonRecord) {
		p.Household = p.Mission + "-H1"
		p.FamilyName, p.Passport = nameMarker(p.ID), passportMarker(p.ID)
		if i == 0 {
			p.Category = outpost.HeadOfMission
		}
	})
	seedEvacWelfare(t, s)
	f := &fixture{t: t, store: s, users: map[string]walker{}}
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range testkit.SeedUsers(t, s, hash, testkit.Roles()) {
		f.users[name] = walker{User: m.User, token: m.Token}
	}
	srv, err := New(Config{Store: s, Version: "test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	return f
}

// session signs a user in directly in the store and returns the cookie.
func (f *fixture) session(name string) *http.Cookie {
	f.t.Helper()
	secret, h := auth.NewSecret(auth.SessionPrefix)
	if err := f.store.CreateSession(context.Background(), outpost.Session{Hash: h, User: name, Created: testNow, Expires: testNow.Add(time.Hour)}); err != nil {
		f.t.Fatal(err)
	}
	return &http.Cookie{Name: auth.SessionCookie, Value: secret}
}

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request to the server; as is a user name ("" for nobody),
// authenticated by token for /api/ paths and by session cookie otherwise,
// unless mode says "token" or "cookie".
func (f *fixture) do(method, target, as, mode, contentType, body string) response {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.RemoteAddr = "192.0.2.1:1234"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if as != "" {
		if mode == "" {
			mode = "cookie"
			if strings.HasPrefix(target, "/api/") {
				mode = "token"
			}
		}
		if mode == "token" {
			req.Header.Set("Authorization", "Bearer "+f.users[as].token)
		} else {
			req.AddCookie(f.session(as))
		}
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func (f *fixture) get(target, as string) response { return f.do("GET", target, as, "", "", "") }

func (f *fixture) postJSON(target, as, body string) response {
	return f.do("POST", target, as, "", "application/json", body)
}
