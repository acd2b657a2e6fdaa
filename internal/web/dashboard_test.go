package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/server"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// clock is a settable clock shared by a store and its server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// seeded is when the dashboard fixture's records are written.
var seeded = time.Date(2021, 3, 31, 8, 0, 0, 0, time.UTC)

// newDashSite is the evacuation and welfare site (newSiteOn) written at
// seeded, with water in stock at RU (last received on 1 March: old by
// 1 April) and SE (on 30 March), both short, a draft statement of each,
// and a server whose clock the test sets (siteNow to begin with).
func newDashSite(t *testing.T, db *store.DB) (*site, *clock) {
	t.Helper()
	c := &clock{t: seeded}
	db.Now = c.Now
	s := newSiteOn(t, db)
	ctx := storetest.Ctx()
	if _, err := db.ImportItems(ctx, storetest.Batch(outpost.Item{Code: "WATER", Name: "Drinking water", Kind: outpost.ItemOther, Unit: "l", DailyPerPerson: 3})); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportStock(ctx, storetest.Batch(
		outpost.Receipt{Mission: "RU", Item: "WATER", Lot: "A", Quantity: 10, Received: "2021-03-01"},
		outpost.Receipt{Mission: "SE", Item: "WATER", Lot: "A", Quantity: 4, Received: "2021-03-30"},
	)); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"RU", "SE"} {
		if _, err := db.CreateStatement(ctx, outpost.Statement{Mission: m, Title: m + " draft statement", Body: "Text."}); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(siteNow)
	srv, err := server.New(server.Config{Store: db, Version: "test", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s.srv = srv
	return s, c
}

// What each role's dashboard shows and hides: a mission's users see
// their mission's items and never SE's, within what their role reads;
// the coordinator sees every mission's counts and no one's name; the
// admin sees everything.
func TestDashboardPerRole(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s, _ := newDashSite(t, open(t))
			const q = "/?as_of=2021-04-01"
			s.checkPages(t, []pageCase{
				{who: "manager", path: q, status: 200,
					want: []string{"Today at RU", `id="card-help"`, "No one has asked for help.",
						`id="card-silent"`, `GivenRU0001`, `href="/people/RU-0003"`, // RU has not answered
						`id="card-medical"`, `href="/medical/` /* RU-0002's case */, "need of RU-0002",
						`id="card-departures"`, "TRAIN-1", "5 assigned of 10 seats",
						`id="card-supply"`, "Drinking water", "No stock recorded since 1 March 2021",
						`id="card-press"`, "RU draft statement", `id="card-changes"`},
					dontWant: []string{"SE draft statement", "SE note", "need of SE-0001", `id="corps"`, "SE: no stock"}},
				{who: "staff", path: q, status: 200,
					want:     []string{"Today at RU", `GivenRU0002`, "need of RU-0002", "Drinking water", "RU draft statement"},
					dontWant: []string{"SE draft statement", "need of SE-0001", `id="card-changes"`, `id="corps"`}},
				{who: "press", path: q, status: 200,
					// Press reads roll-call counts, not who answered, and
					// no medical case at all.
					want:     []string{`id="card-silent"`, "RU draft statement", "Drinking water"},
					dontWant: []string{`href="/people/RU-`, `id="card-medical"`, "need of", `id="card-changes"`, "SE draft statement"}},
				{who: "coordinator", path: q, status: 200,
					want: []string{"Today across the missions", `id="corps"`, `href="/missions/SE"`, `href="/missions/RU"`,
						`id="card-medical"`, "RU: no stock recorded since 1 March 2021", "Total"},
					dontWant: []string{`href="/people/`, `href="/medical/`, `id="card-press"`, `id="card-changes"`, "need of"}},
				{who: "admin", path: q, status: 200,
					want: []string{"Today across the missions", `id="corps"`, "SE note", "need of SE-0001", "need of RU-0002",
						"SE draft statement", "RU draft statement", `id="card-changes"`}},
			})
		})
	}
}

// When a mission's person asks for help, its users see who, with the
// note and a link to the person; a colleague of another mission does not.
func TestDashboardNamesWhoNeedsHelp(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s, _ := newDashSite(t, open(t))
			if _, err := s.store.CheckIn(storetest.Ctx(), []outpost.Checkin{{RollCall: s.ru, Person: "RU-0001", Status: outpost.NeedHelp, Note: "flat flooded"}}); err != nil {
				t.Fatal(err)
			}
			p := s.open("/", "manager")
			help := card(t, p.body, "card-help")
			for _, w := range []string{`<a href="/people/RU-0001">GivenRU0001 FamRU0001</a>`, "flat flooded", `href="/rollcalls/`} {
				if !strings.Contains(help, w) {
					t.Errorf("the help card lacks %q:\n%s", w, help)
				}
			}
			if strings.Contains(help, "No one has asked for help") {
				t.Errorf("the help card says no one asked:\n%s", help)
			}
		})
	}
}

// A site with no records says so in every block, in words.
func TestDashboardEmptyStates(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			testkit.SeedPeople(t, db, nil, nil)
			tokens := testkit.SeedUsers(t, db, testkit.NoPassword, testkit.Roles()).Tokens()
			srv, err := server.New(server.Config{Store: db, Version: "test", Now: func() time.Time { return siteNow }})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			s := &site{t: t, store: db, srv: srv, tokens: tokens}
			s.checkPages(t, []pageCase{
				{who: "manager", path: "/", status: 200, want: []string{
					"No roll call is open, and there has never been one.", "No medical case is open.",
					"No departure is planned after", "No stock has been recorded.",
					"No statement is waiting for approval.", "Latest changes"}},
				{who: "coordinator", path: "/", status: 200, want: []string{
					"No mission has anyone in the country.", "missions have nobody in the country", "<details"}},
			})
		})
	}
}

// Old data is flagged in words relative to the page's date: stock last
// recorded a month before, a roll call a month before; today's is not.
func TestDashboardFlagsStaleData(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s, c := newDashSite(t, open(t))
			for _, id := range []int64{s.all, s.ru} {
				if _, err := s.store.CloseRollCall(storetest.Ctx(), id); err != nil {
					t.Fatal(err)
				}
			}
			for _, x := range []struct {
				asOf      string
				want, not []string
			}{
				{"2020-02-10", nil, []string{"census-stale"}}, // the last movement, 1 February 2020, is recent
				{"2021-03-10", []string{"Census: last movement recorded 1 February 2020"}, []string{"No stock recorded since", "No roll call since"}},
				{"2021-04-20", []string{"No stock recorded since 1 March 2021", "No roll call since 31 March 2021"}, nil},
			} {
				p := s.open("/?as_of="+x.asOf, "manager")
				checkPage(t, "manager as of "+x.asOf, p, 200, x.want, x.not)
			}
			c.Set(time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC))
			checkPage(t, "the coordinator now", s.open("/", "coordinator"), 200,
				[]string{"RU: no stock recorded since 1 March 2021", "SE: no stock recorded since 30 March 2021"}, nil)
		})
	}
}

// The manager's "since your last visit" lists their mission's changes
// after their previous visit, not those before it nor another
// mission's; a reload within the visit keeps the list; the visit is kept
// in the store, so another device sees the same.
func TestDashboardSinceLastVisit(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s, c := newDashSite(t, open(t))
			ctx := storetest.Ctx()
			at := func(h, m int) { c.Set(time.Date(2021, 4, 1, h, m, 0, 0, time.UTC)) }
			at(9, 0)
			first := card(t, s.open("/", "manager").body, "card-changes")
			if !strings.Contains(first, "Latest changes") || !strings.Contains(first, "opened medical case") {
				t.Errorf("a first visit lists the latest changes:\n%s", first)
			}
			at(9, 30)
			if _, err := s.store.CloseCase(outpost.WithActor(ctx, "staff"), s.ruCase); err != nil {
				t.Fatal(err)
			}
			if _, err := s.store.CloseCase(outpost.WithActor(ctx, "admin"), s.seCase); err != nil {
				t.Fatal(err)
			}
			at(11, 0)
			for _, reload := range []bool{false, true} {
				if reload {
					at(11, 20)
				}
				got := card(t, s.open("/", "manager").body, "card-changes")
				if !strings.Contains(got, "Since your last visit") || !strings.Contains(got, "1 Apr 2021, 09:00") {
					t.Errorf("reload %v: not since 09:00:\n%s", reload, got)
				}
				if n := strings.Count(got, "<li>"); n != 1 || !strings.Contains(got, "staff") ||
					!strings.Contains(got, "closed medical case") || !strings.Contains(got, `href="/medical/`) {
					t.Errorf("reload %v: want only staff closing RU's case (%d lines):\n%s", reload, n, got)
				}
			}
			at(13, 0)
			if got := card(t, s.open("/", "manager").body, "card-changes"); !strings.Contains(got, "Nothing has changed since your last visit.") {
				t.Errorf("a later visit with nothing new:\n%s", got)
			}
		})
	}
}

// The manager's dashboard of the fixture, as rendered.
func TestDashboardGolden(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			s, _ := newDashSite(t, open(t))
			p := s.open("/?as_of=2021-04-01", "manager")
			if p.status != http.StatusOK {
				t.Fatalf("got %d", p.status)
			}
			main := p.body[strings.Index(p.body, "<main"):strings.Index(p.body, "</main>")]
			// Plan and case ids differ between engines' sequences only in
			// principle; the board link names the plan.
			main = regexp.MustCompile(`/evac/plans/\d+/`).ReplaceAllString(main, "/evac/plans/N/")
			testkit.Golden(t, "dashboard_manager", main)
		})
	}
}

// card returns the section with id out of a page.
func card(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no %s on the page", id)
	}
	j := strings.Index(body[i:], "</section>")
	return body[i : i+j]
}
