package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	return newSiteOn(t, testkit.Open(t, store.Open, testkit.SQLiteDSN(t)))
}

// newSiteOn is newSite over the store given.
func newSiteOn(t *testing.T, db *store.DB) *site {
	t.Helper()
	ctx := storetest.Ctx()
	testkit.SeedPeople(t, db, sitePeople, func(_ int, p *outpost.PersonRecord) {
		p.GivenName, p.FamilyName = "Given"+strings.ReplaceAll(p.ID, "-", ""), marker(p.ID)
	})
	testkit.SeedEvacuation(t, db, testkit.Departures(), testkit.Restrictions())
	s := &site{t: t, store: db}
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
	s.tokens = testkit.SeedUsers(t, db, testkit.NoPassword, testkit.Roles()).Tokens()
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

// pageCase is a page a user opens ("" for nobody), the status wanted, and
// what the page must and must not show.
type pageCase struct {
	who      string
	path     string
	status   int
	want     []string
	dontWant []string
}

// checkPages opens each page as its user and checks what it shows: a
// signed-in user must also not see the markers of people othersOf names.
func (s *site) checkPages(t *testing.T, cases []pageCase) {
	t.Helper()
	for _, c := range cases {
		p := s.open(c.path, c.who)
		if p.status != c.status {
			t.Errorf("%s GET %s: got %d, want %d", c.who, c.path, p.status, c.status)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s GET %s: the page lacks %q", c.who, c.path, w)
			}
		}
		for _, w := range append(c.dontWant, othersOf(c.who)...) {
			if c.who != "" && strings.Contains(p.body, w) {
				t.Errorf("%s GET %s: the page shows %q", c.who, c.path, w)
			}
		}
	}
}
