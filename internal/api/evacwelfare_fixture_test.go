package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// clock is the server's time in these tests: after the plan's start and
// before TRAIN-1 leaves.
var clock = time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)

// corps is a server over a store with people of RU, SE and WFP whose
// names and passports are unique markers, a plan that puts them all on
// TRAIN-1, roll calls over everyone, of RU and of SE, medical cases, and
// a user of each role (the mission-bound ones of RU, plus a manager of
// SE).
type corps struct {
	t      *testing.T
	store  outpost.Store
	srv    *server.Server
	tokens map[string]string
	plan   int64
	// roll calls: over everyone, of RU, of SE
	all, ru, se int64
	// medical cases of RU-0002 and SE-0001
	ruCase, seCase int64
}

var people = []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "SE-0002", "WFP-0001"}

func familyName(id string) string { return "Fam" + strings.ReplaceAll(id, "-", "") }
func passport(id string) string   { return "PP" + strings.ReplaceAll(id, "-", "") + "X" }

// engines opens a fresh SQLite store, and a PostgreSQL one in its own
// schema when OUTPOST_TEST_POSTGRES is set.
func engines(t *testing.T) map[string]func(t testing.TB) *store.DB {
	return testkit.Stores(store.Open)
}

func newCorps(t *testing.T, s outpost.Store) *corps {
	t.Helper()
	ctx := storetest.Ctx()
	testkit.SeedPeople(t, s, people, func(_ int, p *outpost.PersonRecord) {
		p.FamilyName, p.Passport = familyName(p.ID), passport(p.ID)
	})
	testkit.SeedEvacuation(t, s, testkit.Departures(), append(testkit.Restrictions(),
		outpost.Restriction{ID: "R-2", Kind: "quarantine", Starts: "2020-01-30", Ends: "2020-12-31", Days: 30, Note: "Quarantine"}))
	c := &corps{t: t, store: s}
	doc, err := evacuation.New(s, nil, nil).Make(ctx, outpost.Operator("tester"), "2021-04-01")
	if err != nil {
		t.Fatal(err)
	}
	c.plan = doc.Plan
	for _, x := range []struct {
		mission string
		id      *int64
	}{{"", &c.all}, {"RU", &c.ru}, {"SE", &c.se}} {
		rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Check " + x.mission, Mission: x.mission})
		if err != nil {
			t.Fatal(err)
		}
		*x.id = rc.ID
	}
	if _, err := s.CheckIn(ctx, []outpost.Checkin{
		{RollCall: c.all, Person: "SE-0001", Status: outpost.NeedHelp, Note: "no insulin"},
		{RollCall: c.all, Person: "RU-0003", Status: outpost.Safe},
	}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		person string
		id     *int64
	}{{"RU-0002", &c.ruCase}, {"SE-0001", &c.seCase}} {
		mc, err := s.OpenCase(ctx, outpost.MedicalCase{Person: x.person, Precedence: outpost.Priority, Need: "dialysis"})
		if err != nil {
			t.Fatal(err)
		}
		*x.id = mc.ID
	}
	c.tokens = testkit.SeedUsers(t, s, testkit.NoPassword, testkit.Roles(
		outpost.User{Name: "se-manager", Role: outpost.RoleManager, Mission: "SE"})).Tokens()
	srv, err := server.New(server.Config{Store: s, Version: "test", Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c.srv = srv
	return c
}

// answer is an HTTP answer read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// do sends a request as the user named (by API token; "" for nobody).
func (c *corps) do(method, target, as, body string) answer {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+c.tokens[as])
	}
	rec := httptest.NewRecorder()
	c.srv.Handler().ServeHTTP(rec, req)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func (c *corps) get(target, as string) answer { return c.do("GET", target, as, "") }

// decode reads a JSON answer into a T.
func decode[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(a.body), &v); err != nil {
		t.Fatalf("answer %d is not the JSON wanted: %v\n%s", a.status, err, a.body)
	}
	return v
}

// each runs fn on every engine with a fresh corps.
func each(t *testing.T, fn func(t *testing.T, c *corps)) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) { fn(t, newCorps(t, open(t))) })
	}
}
