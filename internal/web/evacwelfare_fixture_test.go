package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
)

// siteNow is the server's clock for the evacuation and welfare pages:
// the plan starts that day and TRAIN-1 leaves the next.
var siteNow = time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC)

// site is a server over people of RU, SE and WFP whose family names are
// unique markers, a plan putting them all on TRAIN-1, roll calls over
// everyone and of RU, a medical case of each of RU and SE, and one user
// of each role (mission-bound ones of RU).
type site struct {
	t      *testing.T
	store  *store.DB
	srv    *server.Server
	tokens map[string]string
	plan   int64
	// roll calls over everyone and of RU; cases of RU-0002 and SE-0001
	all, ru        int64
	ruCase, seCase int64
}

var sitePeople = []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}

func marker(id string) string { return "Fam" + strings.ReplaceAll(id, "-", "") }

func newSite(t *testing.T) *site {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := storetest.Ctx()
	if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
		t.Fatal(err)
	}
	var recs []outpost.PersonRecord
	for _, id := range sitePeople {
		mission, _, _ := strings.Cut(id, "-")
		household := mission + "-H1"
		if id == "RU-0003" {
			household = "RU-H2"
		}
		p := storetest.Person(id, household, mission)
		p.GivenName, p.FamilyName = "Given"+strings.ReplaceAll(id, "-", ""), marker(id)
		recs = append(recs, p)
	}
	if _, err := db.ImportPeople(ctx, storetest.Batch(recs...)); err != nil {
		t.Fatal(err)
	}
	deps := []outpost.Departure{
		{ID: "TRAIN-1", Route: "Pyongyang - Khasan", Departs: time.Date(2021, 4, 2, 9, 0, 0, 0, time.UTC), Seats: 10, Crossing: "TUMEN", Eligible: []string{}},
		{ID: "BUS-1", Route: "Pyongyang - Dandong", Departs: time.Date(2021, 4, 3, 9, 0, 0, 0, time.UTC), Seats: 10, Crossing: "SINUIJU", Eligible: []string{}},
	}
	if _, err := db.ImportDepartures(ctx, storetest.Batch(deps...)); err != nil {
		t.Fatal(err)
	}
	rs := []outpost.Restriction{{ID: "R-1", Kind: "border_closure", Crossing: "SINUIJU", Starts: "2021-03-01", Note: "Sinuiju closed"}}
	if _, err := db.ImportRestrictions(ctx, storetest.Batch(rs...)); err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, store: db, tokens: map[string]string{}}
	doc, err := evacuation.New(db, nil, nil).Make(ctx, outpost.Operator("tester"), "2021-04-01")
	if err != nil {
		t.Fatal(err)
	}
	s.plan = doc.Plan
	all, err := db.StartRollCall(ctx, outpost.RollCall{Title: "Morning check"})
	if err != nil {
		t.Fatal(err)
	}
	ru, err := db.StartRollCall(ctx, outpost.RollCall{Title: "RU storm check", Mission: "RU"})
	if err != nil {
		t.Fatal(err)
	}
	s.all, s.ru = all.ID, ru.ID
	if _, err := db.CheckIn(ctx, []outpost.Checkin{{RollCall: s.all, Person: "SE-0001", Status: outpost.NeedHelp, Note: "SE note"}}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		person string
		id     *int64
	}{{"RU-0002", &s.ruCase}, {"SE-0001", &s.seCase}} {
		mc, err := db.OpenCase(ctx, outpost.MedicalCase{Person: x.person, Precedence: outpost.Priority, Need: "need of " + x.person})
		if err != nil {
			t.Fatal(err)
		}
		*x.id = mc.ID
	}
	for _, u := range []outpost.User{
		{Name: "admin", Role: outpost.RoleAdmin},
		{Name: "coordinator", Role: outpost.RoleCoordinator},
		{Name: "manager", Role: outpost.RoleManager, Mission: "RU"},
		{Name: "staff", Role: outpost.RoleStaff, Mission: "RU"},
		{Name: "press", Role: outpost.RolePress, Mission: "RU"},
	} {
		if _, err := db.CreateUser(ctx, u, "not-a-real-hash"); err != nil {
			t.Fatal(err)
		}
		secret, hash := auth.NewSecret(auth.TokenPrefix)
		if _, err := db.CreateToken(ctx, outpost.Token{User: u.Name, Hash: hash}); err != nil {
			t.Fatal(err)
		}
		s.tokens[u.Name] = secret
	}
	srv, err := server.New(server.Config{Store: db, Version: "test", Now: func() time.Time { return siteNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s.srv = srv
	return s
}

// page is an answer read whole.
type page struct {
	status int
	header http.Header
	body   string
}

// send sends a request as a user ("" for nobody), with extra headers.
func (s *site) send(method, target, as string, form url.Values, header map[string]string) page {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[as])
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.srv.Handler().ServeHTTP(rec, req)
	return page{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func (s *site) open(target, as string) page { return s.send("GET", target, as, nil, nil) }

func (s *site) submit(target, as string, form url.Values) page {
	return s.send("POST", target, as, form, nil)
}

// othersOf lists the markers of the people a user of this role must not
// see by name.
func othersOf(who string) []string {
	var out []string
	for _, id := range sitePeople {
		own := strings.HasPrefix(id, "RU-") && (who == "manager" || who == "staff" || who == "press")
		if who != "admin" && !own {
			out = append(out, marker(id))
		}
	}
	return out
}
