package supply_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/supply"
)

// seeded returns a store with storetest.SeedSupply: RU (3 people) holds
// L1 (100 kg of flour, expiring 2021-06-01) and L2 (50 kg), and issued
// 30 on 1 February and 20 on 15 February; SE (1 person) holds S1 (200 kg,
// expiring 2021-09-01) and never issued any.
func seeded(t *testing.T) outpost.Store {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.SeedSupply(t, db)
	return db
}

func intp(n int) *int { return &n }

// operator reads every mission's stock, as the command line does.
var operator = outpost.Operator("test")

// On 1 March RU has 50 of L1 and 50 of L2 left and used 20 in the 28 days
// up to it (the issue of 1 February is the day the window opens, outside
// it): 20/28 a day, exactly 140 days. SE has not issued flour: its rate is the
// plan, 0.25 kg for its one person, and S1 lasts until it expires on
// 1 September, 183 days.
func TestRows(t *testing.T) {
	s := seeded(t)
	ru := supply.Row{Mission: "RU", Item: "FLOUR", OnHand: 100, DailyRate: 0.714286, RateSource: "usage", DaysOfSupply: intp(140)}
	se := supply.Row{Mission: "SE", Item: "FLOUR", OnHand: 200, DailyRate: 0.25, RateSource: "plan", DaysOfSupply: intp(183)}
	seShort, ruShort := se, ru
	seShort.Shortage, ruShort.Shortage = true, true
	seNobody := se
	seNobody.DailyRate, seNobody.DaysOfSupply = 0, nil
	cases := []struct {
		name      string
		q         supplyservice.Query
		headcount map[string]int // nil: counted from the store
		want      []supply.Row
	}{
		{"every mission", supplyservice.Query{AsOf: "2021-03-01", Threshold: 14}, nil, []supply.Row{ru, se}},
		{"one mission", supplyservice.Query{AsOf: "2021-03-01", Threshold: 14, Mission: "SE"}, nil, []supply.Row{se}},
		{"one item", supplyservice.Query{AsOf: "2021-03-01", Threshold: 14, Item: "INSULIN"}, nil, []supply.Row{}},
		{"a high threshold", supplyservice.Query{AsOf: "2021-03-01", Threshold: 190}, nil, []supply.Row{ruShort, seShort}},
		{"before any receipt", supplyservice.Query{AsOf: "2021-01-04", Threshold: 14}, nil, []supply.Row{}},
		{"the server's headcount", supplyservice.Query{AsOf: "2021-03-01", Threshold: 14}, map[string]int{"RU": 3}, []supply.Row{ru, seNobody}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			post := supplyservice.Post{Loc: supplyservice.Zone(time.UTC)}
			if tc.headcount != nil {
				post.Headcount = func(_ context.Context, at time.Time) (map[string]int, error) {
					if want := time.Date(2021, 3, 1, 23, 59, 59, 0, time.UTC); !at.Equal(want) {
						t.Errorf("headcount asked at %v, want the end of the day %v", at, want)
					}
					return tc.headcount, nil
				}
			}
			svc := supplyservice.New(s, time.Now, post)
			st, err := svc.Status(context.Background(), operator, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if st.AsOf != tc.q.AsOf || st.Threshold != tc.q.Threshold {
				t.Errorf("got as_of %s threshold %d, want %s %d", st.AsOf, st.Threshold, tc.q.AsOf, tc.q.Threshold)
			}
			if diff := cmp.Diff(tc.want, st.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRowsRefusesABadDate(t *testing.T) {
	svc := supplyservice.New(seeded(t), time.Now, supplyservice.Post{})
	_, err := svc.Rows(context.Background(), operator, supplyservice.Query{AsOf: "2021-02-30"})
	if got := outpost.ErrorCode(err); got != outpost.EINVALID {
		t.Errorf("got %v (%s), want %s", err, got, outpost.EINVALID)
	}
}

// RU holds 140 days of flour, SE 800 (at its planned 0.25 a day) of which
// it may give what is above 60 days, 185 kg: RU needs nothing at a target
// of 60; at 150 days, RU needs 7.142 and SE has 162.5 to spare.
func TestPool(t *testing.T) {
	s := seeded(t)
	svc := supplyservice.New(s, time.Now, supplyservice.Post{Loc: supplyservice.Zone(time.UTC)})
	cases := []struct {
		item     string
		target   float64
		code     string
		want     supply.Proposal
		shares   []supplyservice.Share
		involves map[string]int // transfers each mission sees
	}{
		{item: "FLOUR", target: 60, want: supply.Proposal{Item: "FLOUR", LevelDays: 60, Transfers: []supply.Transfer{}},
			shares: []supplyservice.Share{
				{Mission: "RU", OnHand: 100, DailyRate: 0.714286, DaysNow: 100 / 0.714286, DaysAfter: 100 / 0.714286},
				{Mission: "SE", OnHand: 200, DailyRate: 0.25, DaysNow: 800, DaysAfter: 800},
			}, involves: map[string]int{"RU": 0, "SE": 0}},
		{item: "FLOUR", target: 150, want: supply.Proposal{Item: "FLOUR", LevelDays: 150, Transfers: []supply.Transfer{{From: "SE", To: "RU", Quantity: 7.1429}}},
			shares: []supplyservice.Share{
				{Mission: "RU", OnHand: 100, DailyRate: 0.714286, Change: 7.1429, DaysNow: 100 / 0.714286, DaysAfter: 107.1429 / 0.714286},
				{Mission: "SE", OnHand: 200, DailyRate: 0.25, Change: -7.1429, DaysNow: 800, DaysAfter: (200 - 7.1429) / 0.25},
			}, involves: map[string]int{"RU": 1, "SE": 1, "WFP": 0}},
		{item: "RICE", target: 60, code: outpost.ENOTFOUND},
		{item: "FLOUR", target: 0, code: outpost.EINVALID},
	}
	for _, tc := range cases {
		p, err := svc.Pool(context.Background(), operator, tc.item, "2021-03-01", tc.target)
		if got := outpost.ErrorCode(err); got != tc.code {
			t.Errorf("pool %s at %v: got error %v, want code %q", tc.item, tc.target, err, tc.code)
			continue
		}
		if err != nil {
			continue
		}
		approx := cmp.Comparer(func(a, b float64) bool { return a-b < 1e-3 && b-a < 1e-3 })
		if diff := cmp.Diff(tc.want, p.Proposal, approx); diff != "" {
			t.Errorf("pool %s at %v (-want +got):\n%s", tc.item, tc.target, diff)
		}
		if diff := cmp.Diff(tc.shares, p.Shares(), approx); diff != "" {
			t.Errorf("shares at %v (-want +got):\n%s", tc.target, diff)
		}
		if p.Item.Name != "Wheat flour" || p.AsOf != "2021-03-01" || p.Target != tc.target || len(p.Rows) != 2 {
			t.Errorf("pooling: got %s %s %v with %d rows, want Wheat flour on 2021-03-01 at %v with 2", p.Item.Name, p.AsOf, p.Target, len(p.Rows), tc.target)
		}
		for m, n := range tc.involves {
			got := p.Involving(m)
			if len(got.Transfers) != n || got.LevelDays != p.Proposal.LevelDays || got.Transfers == nil {
				t.Errorf("involving %s at %v: got %+v, want %d transfers at level %v", m, tc.target, got, n, p.Proposal.LevelDays)
			}
		}
	}
}

func TestScope(t *testing.T) {
	admin := outpost.User{Name: "a", Role: outpost.RoleAdmin}
	coord := outpost.User{Name: "c", Role: outpost.RoleCoordinator}
	manager := outpost.User{Name: "m", Role: outpost.RoleManager, Mission: "RU"}
	staff := outpost.User{Name: "s", Role: outpost.RoleStaff, Mission: "RU"}
	press := outpost.User{Name: "p", Role: outpost.RolePress, Mission: "RU"}
	cases := []struct {
		u                  outpost.User
		requested, mission string
		ok, read, pool     bool
	}{
		{admin, "", "", true, true, true},
		{admin, "SE", "SE", true, true, true},
		{coord, "", "", true, true, true},
		{coord, "SE", "SE", true, true, true},
		{manager, "", "RU", true, true, true},
		{manager, "RU", "RU", true, true, true},
		{manager, "SE", "", false, true, true},
		{staff, "", "RU", true, true, false},
		{press, "", "RU", true, true, false},
		{press, "SE", "", false, true, false},
		{outpost.User{}, "", "", false, false, false},
	}
	for _, tc := range cases {
		mission, ok := supplyservice.Scope(tc.u, tc.requested)
		if mission != tc.mission || ok != tc.ok {
			t.Errorf("Scope(%s of %q, %q): got %q, %v; want %q, %v", tc.u.Role, tc.u.Mission, tc.requested, mission, ok, tc.mission, tc.ok)
		}
		if got := supplyservice.CanRead(tc.u); got != tc.read {
			t.Errorf("CanRead(%s): got %v, want %v", tc.u.Role, got, tc.read)
		}
		if got := supplyservice.CanPool(tc.u); got != tc.pool {
			t.Errorf("CanPool(%s): got %v, want %v", tc.u.Role, got, tc.pool)
		}
	}
}

// A write given in full (the command line's) is still the caller's to
// make: a press user records nothing, a manager gives nothing for another
// mission, and what the operator records is on hand at the end of the day.
func TestWritesNeedTheRight(t *testing.T) {
	ctx := context.Background()
	svc := supplyservice.New(seeded(t), time.Now, supplyservice.Post{Loc: supplyservice.Zone(time.UTC)})
	press := outpost.User{Name: "p", Role: outpost.RolePress, Mission: "RU"}
	manager := outpost.User{Name: "m", Role: outpost.RoleManager, Mission: "RU"}
	rec := outpost.Receipt{Mission: "RU", Item: "FLOUR", Lot: "L9", Quantity: 5, Received: "2021-03-01"}
	if _, err := svc.Receive(ctx, press, rec); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("press receives: got %v, want forbidden", err)
	}
	if _, err := svc.Issue(ctx, press, outpost.Issue{Mission: "RU", Item: "FLOUR", Quantity: 1, Date: "2021-03-01"}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("press issues: got %v, want forbidden", err)
	}
	tr := outpost.Transfer{Item: "FLOUR", From: "SE", To: "RU", Quantity: 1, Date: "2021-03-01"}
	if _, err := svc.Transfer(ctx, manager, tr); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("RU's manager gives SE's stock: got %v, want forbidden", err)
	}
	if _, err := svc.OnHand(ctx, manager, "SE", "FLOUR", "2021-03-01"); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("RU's manager reads SE's lots: got %v, want forbidden", err)
	}
	if _, err := svc.Receive(ctx, operator, rec); err != nil {
		t.Fatal(err)
	}
	if got, err := svc.OnHand(ctx, manager, "RU", "FLOUR", "2021-03-01"); err != nil || got != 105 {
		t.Errorf("RU's flour at the end of 1 March: got %v, %v; want 105", got, err)
	}
}
