package evacuation

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/evac"
	"github.com/outpost-org/outpost/internal/outpost"
)

func departureAt(id string, at time.Time) outpost.Departure {
	return outpost.Departure{ID: id, Departs: at, Seats: 10}
}

func group(reason string, people int) StayGroup {
	return StayGroup{Reason: reason, Words: ReasonWords(reason), People: people}
}

func TestExplainSaysThePlanInWords(t *testing.T) {
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 17 March is already 18 March at the post.
	last := time.Date(2021, 3, 17, 23, 30, 0, 0, time.UTC).In(kyiv)
	cases := []struct {
		name string
		f    Facts
		want string
	}{
		{"the brief's example", Facts{Start: "2021-03-01", Placed: 118, Last: last, Usable: 3,
			Behind: []StayGroup{group(evac.ReasonMinStaff, 9), group(evac.ReasonNoEligibleSeat, 5)}, Score: 996, Bound: 1000},
			"Everyone who is ready leaves by 18 March; 14 people stay behind (9 for minimum staff, 5 with no eligible seat); this plan is within 0.4 % of the best possible."},
		{"everyone, best possible", Facts{Start: "2021-03-01", Placed: 2, Last: last, Usable: 1, Score: 50, Bound: 50},
			"Everyone leaves by 18 March; this is the best possible plan."},
		{"one person placed, one behind", Facts{Start: "2021-03-01", Placed: 1, Last: last, Usable: 1,
			Behind: []StayGroup{group(evac.ReasonSeatsTaken, 1)}, Score: 10, Bound: 10},
			"1 person leaves by 18 March; 1 person stays behind (1 for lack of seats); this is the best possible plan."},
		{"short of seats", Facts{Start: "2021-03-01", Placed: 1200, Last: last, Usable: 1,
			Behind: []StayGroup{group(evac.ReasonSeatsTaken, 1500), group(evac.ReasonNotReady, 3)}, Score: 8000, Bound: 10000},
			"1,200 people leave by 18 March; 1,503 people stay behind (1,500 for lack of seats, 3 not ready yet); this plan is within 20 % of the best possible."},
		{"some not ready", Facts{Start: "2021-03-01", Placed: 4, Last: last, Usable: 2,
			Behind: []StayGroup{group(evac.ReasonNotReady, 2)}, Score: 99_999, Bound: 100_000},
			"Everyone who is ready leaves by 18 March; 2 people stay behind (2 not ready yet); this plan is within 0.01 % of the best possible."},
		{"exit documents", Facts{Start: "2021-03-01", Placed: 4, Last: last, Usable: 2,
			Behind: []StayGroup{group(evac.ReasonExitDocuments, 3)}, Score: 10, Bound: 10},
			"Everyone who is ready leaves by 18 March; 3 people stay behind (3 whose exit documents do not allow it); this is the best possible plan."},
		{"another year", Facts{Start: "2020-12-20", Placed: 3, Last: last, Usable: 1, Score: 1, Bound: 1},
			"Everyone leaves by 18 March 2021; this is the best possible plan."},
		{"nobody placed", Facts{Start: "2021-03-01", Usable: 2,
			Behind: []StayGroup{group(evac.ReasonNoEligibleSeat, 3)}},
			"Nobody is placed on a departure; 3 people stay behind (3 with no eligible seat); no valid plan could place anyone."},
		{"nobody in the country", Facts{Start: "2021-03-01", Usable: 2},
			"Nobody was in the country to place; no valid plan could place anyone."},
		{"no usable departure", Facts{Start: "2021-03-01",
			Behind: []StayGroup{group(evac.ReasonNoEligibleSeat, 3)}},
			"No departure on or after 1 March could be used; 3 people stay behind (3 with no eligible seat)."},
		{"a reason not known here", Facts{Start: "2021-03-01", Placed: 2, Last: last, Usable: 1,
			Behind: []StayGroup{group("exit permit expires 24 Feb", 1)}, Score: 5, Bound: 5},
			"Everyone who is ready leaves by 18 March; 1 person stays behind (1 — exit permit expires 24 Feb); this is the best possible plan."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Explain(c.f).Headline; got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestGapIsRoundedUpSoWithinStaysTrue(t *testing.T) {
	cases := []struct {
		score, bound int64
		want         string
		best         bool
	}{
		{1000, 1000, "", true},
		{1001, 1000, "", true}, // a tie or better is the best
		{0, 0, "", true},
		{996, 1000, "0.4 %", false},
		{995, 1000, "0.5 %", false},
		{9961, 10000, "0.4 %", false},      // 0.39 % → 0.4 %
		{9959, 10000, "0.5 %", false},      // 0.41 % → 0.5 %, never 0.4 %
		{99_996, 100_000, "0.01 %", false}, // 0.004 %
		{9_994, 10_000, "0.06 %", false},
		{9_990, 10_000, "0.1 %", false},
		{899, 1000, "11 %", false}, // 10.1 % → 11 %
		{900, 1000, "10 %", false},
		{0, 1000, "100 %", false},
	}
	for _, c := range cases {
		got, best := Gap(c.score, c.bound)
		if got != c.want || best != c.best {
			t.Errorf("Gap(%d, %d) = %q, %v; want %q, %v", c.score, c.bound, got, best, c.want, c.best)
		}
	}
}

func TestPluralsAndCounts(t *testing.T) {
	for n, want := range map[int]string{0: "nobody", 1: "1 person", 2: "2 people", 14: "14 people", 1234: "1,234 people"} {
		if got := People(n); got != want {
			t.Errorf("People(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSummaryGroupsWhoStaysBehindAndListsUnusedDepartures(t *testing.T) {
	doc, deps, people := samplePlan()
	deps = append(deps,
		departureAt("FLIGHT-1", time.Date(2021, 3, 2, 8, 0, 0, 0, time.UTC)),
		departureAt("SHIP-1", time.Date(2021, 3, 5, 8, 0, 0, 0, time.UTC)),
		departureAt("OLD-1", time.Date(2021, 2, 20, 8, 0, 0, 0, time.UTC)))
	people = append(people, person("RU-10", "RU-H9", "RU", "Vera"), person("RU-11", "RU-H9", "RU", "Gone"))
	present := map[string]bool{}
	for _, p := range people {
		present[p.ID] = p.ID != "RU-11" // RU-11 had left before the plan's start
	}
	s := pageView(doc, deps, people, present, ruManager, time.UTC).Summary
	want := "Everyone who is ready leaves by 1 March; 3 people stay behind (2 for minimum staff, 1 with no eligible seat); this plan is within 1 % of the best possible."
	if s.Headline != want {
		t.Errorf("headline:\ngot  %q\nwant %q", s.Headline, want)
	}
	var got []string
	for _, g := range s.Behind {
		var named []string
		for _, p := range g.Named {
			named = append(named, p.ID)
		}
		got = append(got, g.Reason+": "+strings.Join(named, " ")+" hidden "+string(rune('0'+g.Hidden)))
	}
	if diff := cmp.Diff([]string{"kept for minimum staff: RU-9 RU-10 hidden 0", "no eligible seat:  hidden 1"}, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	var unused []string
	for _, u := range s.Unused {
		unused = append(unused, u.Departure+" "+u.Why())
	}
	if diff := cmp.Diff([]string{"FLIGHT-1 crossing closed: R-1", "SHIP-1 not needed"}, unused); diff != "" {
		t.Errorf("unused departures (-want +got):\n%s", diff)
	}
	lines := s.Lines()
	wantLines := []string{want,
		"Staying behind for minimum staff (2): Oleg FRU-9, Vera FRU-10.",
		"Staying behind with no eligible seat (1).",
		"Departures not used: FLIGHT-1 on 2 March (crossing closed: R-1), SHIP-1 on 5 March (not needed)."}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
