package storetest

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"pgregory.net/rapid"
)

func dashboardSuites() []Suite {
	return []Suite{
		{"DashboardVisits", testDashboardVisits},
		{"LastStockEntries", testLastStockEntries},
		{"RollCallTally", testRollCallTally},
		{"OpenRollCalls", testOpenRollCalls},
	}
}

// A visit within the gap keeps the start of the list; one after it moves
// the start to the end of the visit before; users are apart; nothing is
// audited.
func testDashboardVisits(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	t0 := time.Date(2021, 4, 1, 9, 0, 0, 0, time.UTC)
	before := auditCount(t, s)
	for i, x := range []struct {
		user string
		at   time.Duration
		want time.Time
	}{
		{"ann", 0, time.Time{}},                                         // first visit
		{"ann", 30 * time.Minute, time.Time{}},                          // the same visit
		{"bob", 40 * time.Minute, time.Time{}},                          // another user's first
		{"ann", 3 * time.Hour, t0.Add(30 * time.Minute)},                // a new visit: since the last one ended
		{"ann", 3*time.Hour + 10*time.Minute, t0.Add(30 * time.Minute)}, // a reload keeps it
		{"bob", 5 * time.Hour, t0.Add(40 * time.Minute)},
	} {
		got, err := s.Visit(ctx, x.user, t0.Add(x.at), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(x.want) {
			t.Errorf("visit %d of %s: since %v, want %v", i, x.user, got, x.want)
		}
	}
	if n := auditCount(t, s); n != before {
		t.Errorf("visits wrote %d audit entries", n-before)
	}
}

// Each mission's latest receipt or issue on or before the day.
func testLastStockEntries(t *testing.T, open Opener) {
	s := open(t)
	SeedSupply(t, s)
	for _, x := range []struct {
		asOf string
		want map[string]outpost.Date
	}{
		{"2021-01-04", map[string]outpost.Date{}},
		{"2021-01-07", map[string]outpost.Date{"RU": "2021-01-05", "SE": "2021-01-05"}},
		{"2021-02-10", map[string]outpost.Date{"RU": "2021-02-01", "SE": "2021-01-05"}},
		{"2021-12-31", map[string]outpost.Date{"RU": "2021-02-15", "SE": "2021-01-05"}},
	} {
		got, err := s.LastStockEntries(Ctx(), outpost.Date(x.asOf))
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, x.want) {
			t.Errorf("as of %s: got %v, want %v", x.asOf, got, x.want)
		}
	}
}

// The store's counts and lists of a roll call agree with counting its
// whole scope (outpost.Tally), whatever the answers.
func testRollCallTally(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	people := []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}
	rapid.Check(t, func(rt *rapid.T) {
		rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Check"})
		if err != nil {
			rt.Fatal(err)
		}
		var answers []outpost.Checkin
		for _, p := range people {
			switch rapid.IntRange(0, 2).Draw(rt, p) {
			case 1:
				answers = append(answers, outpost.Checkin{RollCall: rc.ID, Person: p, Status: outpost.Safe})
			case 2:
				answers = append(answers, outpost.Checkin{RollCall: rc.ID, Person: p, Status: outpost.NeedHelp, Note: "note " + p})
			}
		}
		if len(answers) > 0 {
			if _, err := s.CheckIn(ctx, answers); err != nil {
				rt.Fatal(err)
			}
		}
		scope, err := s.RollCallScope(ctx, rc.ID)
		if err != nil {
			rt.Fatal(err)
		}
		mission := rapid.SampledFrom([]string{"", "RU", "SE"}).Draw(rt, "mission")
		names := rapid.IntRange(0, 3).Draw(rt, "names")
		expected := rapid.Bool().Draw(rt, "expected")
		got, err := s.RollCallTally(ctx, rc.ID, mission, names, expected)
		if err != nil {
			rt.Fatal(err)
		}
		_, byMission, _, _ := outpost.Tally(scope, func(string) bool { return false })
		slices.SortFunc(byMission, func(a, b outpost.RollCallByMission) int { return strings.Compare(a.Mission, b.Mission) })
		var wantExpected map[string]int
		var wantAnswered []outpost.RollCallByMission
		if expected {
			wantExpected = map[string]int{}
		}
		for _, m := range byMission {
			if expected {
				wantExpected[m.Mission] = m.Expected
			}
			if m.Safe+m.NeedHelp > 0 {
				wantAnswered = append(wantAnswered, outpost.RollCallByMission{Mission: m.Mission, Safe: m.Safe, NeedHelp: m.NeedHelp})
			}
		}
		if !maps.Equal(got.Expected, wantExpected) || (got.Expected == nil) != (wantExpected == nil) {
			rt.Fatalf("expected: got %v, want %v", got.Expected, wantExpected)
		}
		if !slices.Equal(got.Answered, wantAnswered) {
			rt.Fatalf("answers: got %+v, want %+v", got.Answered, wantAnswered)
		}
		var help, silent []outpost.ScopeEntry
		for _, e := range scope {
			if mission != "" && e.Mission != mission {
				continue
			}
			switch e.Status {
			case outpost.NeedHelp:
				help = append(help, e)
			case "":
				silent = append(silent, e)
			}
		}
		byID := func(a, b outpost.ScopeEntry) int { return strings.Compare(a.Person, b.Person) }
		slices.SortFunc(help, byID)
		slices.SortFunc(silent, byID)
		if !slices.Equal(got.NeedHelp, help[:min(names, len(help))]) || !slices.Equal(got.NoResponse, silent[:min(names, len(silent))]) {
			rt.Fatalf("lists of %q, %d: got %+v / %+v, want %+v / %+v", mission, names, got.NeedHelp, got.NoResponse, help, silent)
		}
	})
}

// The open roll calls of a mission and over everyone, newest first, and
// when the newest of them, open or closed, started.
func testOpenRollCalls(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	if rcs, last, err := s.OpenRollCalls(ctx, "RU"); err != nil || len(rcs) != 0 || !last.IsZero() {
		t.Fatalf("none yet: %v, %v, %v", rcs, last, err)
	}
	var ids []int64
	for _, m := range []string{"", "RU", "SE", "SE"} {
		rc, err := s.StartRollCall(ctx, outpost.RollCall{Title: "Check " + m, Mission: m})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rc.ID)
	}
	if _, err := s.CloseRollCall(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	last, err := s.RollCall(ctx, ids[3])
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		mission string
		want    []int64
	}{{"RU", []int64{ids[1], ids[0]}}, {"SE", []int64{ids[3], ids[0]}}, {"", []int64{ids[3], ids[1], ids[0]}}} {
		rcs, at, err := s.OpenRollCalls(ctx, x.mission)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, rc := range rcs {
			got = append(got, rc.ID)
		}
		if !slices.Equal(got, x.want) {
			t.Errorf("open of %q: got %v, want %v", x.mission, got, x.want)
		}
		if x.mission != "RU" && !at.Equal(last.StartedAt) {
			t.Errorf("newest of %q started %v, want %v", x.mission, at, last.StartedAt)
		}
	}
}
