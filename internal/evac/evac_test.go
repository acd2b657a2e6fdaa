package evac

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(n int) time.Time { return testStart.AddDate(0, 0, n) }

func TestWeight(t *testing.T) {
	tests := []struct {
		name string
		p    Person
		want int64
	}{
		{"adult, no medical need", Person{Medical: 0}, 1},
		{"chronic", Person{Medical: 1}, 2},
		{"care not available", Person{Medical: 2}, 4},
		{"urgent", Person{Medical: 3}, 8},
		{"child", Person{BirthDate: testStart.AddDate(-5, 0, 0)}, 2},
		{"18 today is not a child", Person{BirthDate: testStart.AddDate(-18, 0, 0)}, 1},
		{"18 tomorrow is a child", Person{BirthDate: testStart.AddDate(-18, 0, 1)}, 2},
		{"urgent child", Person{Medical: 3, BirthDate: testStart.AddDate(-1, 0, 0)}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Weight(tt.p, testStart); got != tt.want {
				t.Errorf("Weight: got %d, want %d", got, tt.want)
			}
		})
	}
}

// TestSolveSmall checks a hand-solved instance: two seats on day 0, two on
// day 2 (H = 3); the sick child's household must get the early seats.
func TestSolveSmall(t *testing.T) {
	in := Input{
		Start: testStart,
		People: []Person{
			{ID: "a1", Household: "A", Nationality: "RU", Mission: "RU"},
			{ID: "b1", Household: "B", Nationality: "RU", Mission: "RU", Medical: 3},
			{ID: "b2", Household: "B", Nationality: "RU", Mission: "RU", BirthDate: day(-365 * 3)},
			{ID: "c1", Household: "C", Nationality: "DE", Mission: "DE"},
			{ID: "d1", Household: "D", Nationality: "RU", Mission: "RU", Essential: true},
		},
		Departures: []Departure{
			{ID: "TRAIN", Date: day(0), Seats: 2, Eligible: []string{"RU"}},
			{ID: "BUS", Date: day(2), Seats: 2},
		},
		Missions: []Mission{{Code: "RU", MinStaff: 1}},
	}
	p, err := Solve(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// B (w = 8 + 2 = 10) on TRAIN scores 30; A and C (w = 1) on BUS score 1 each.
	want := Plan{
		Score: 32, Bound: p.Bound, Horizon: 3,
		Assignments: []Assignment{
			{Departure: "BUS", Household: "A", People: []string{"a1"}},
			{Departure: "BUS", Household: "C", People: []string{"c1"}},
			{Departure: "TRAIN", Household: "B", People: []string{"b1", "b2"}},
		},
		Staying:    []Staying{{Person: "d1", Reason: StayingMinStaff}},
		Unassigned: []Unassigned{{Household: "D", Reason: ReasonMinStaff}},
		LeftBehind: []LeftBehind{{Person: "d1", Household: "D", Reason: LeftMinStaff, Text: "kept for the mission's minimum staff"}},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if p.Bound < 32 {
		t.Errorf("bound: got %d, want at least the optimum 32", p.Bound)
	}
}

func TestUnassignedReasons(t *testing.T) {
	in := Input{
		Start: testStart,
		People: []Person{
			{ID: "n1", Household: "NAT", Nationality: "DE"},
			{ID: "r1", Household: "READY", Nationality: "RU", Ready: day(5)},
			{ID: "l1", Household: "LARGE", Nationality: "RU"},
			{ID: "l2", Household: "LARGE", Nationality: "RU"},
			{ID: "l3", Household: "LARGE", Nationality: "RU"},
			{ID: "s1", Household: "STAFF", Nationality: "RU", Mission: "RU", Essential: true},
			{ID: "x1", Household: "SEATS1", Nationality: "RU"},
			{ID: "x2", Household: "SEATS2", Nationality: "RU", Medical: 3},
		},
		Departures: []Departure{{ID: "D", Date: day(1), Seats: 2, Eligible: []string{"RU"}}},
		Missions:   []Mission{{Code: "RU", MinStaff: 1}},
	}
	p, err := Solve(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range p.Unassigned {
		got[u.Household] = u.Reason
	}
	want := map[string]string{
		"NAT": ReasonNoEligibleSeat, "READY": ReasonNotReady, "LARGE": ReasonTooLarge,
		"STAFF": ReasonMinStaff,
	}
	for h, r := range want {
		if got[h] != r {
			t.Errorf("%s: got reason %q, want %q", h, got[h], r)
		}
	}
	// Two seats, three willing single households of which STAFF may not go:
	// SEATS2 (w 8) and SEATS1 (w 1) take them.
	if len(p.Assignments) != 2 {
		t.Errorf("got %d assignments, want 2: %+v", len(p.Assignments), p.Assignments)
	}
}

func TestSeatsTakenReason(t *testing.T) {
	in := Input{
		Start: testStart,
		People: []Person{
			{ID: "a", Household: "A", Medical: 3},
			{ID: "b", Household: "B"},
		},
		Departures: []Departure{{ID: "D", Date: day(0), Seats: 1}},
	}
	p, err := Solve(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Unassigned{{Household: "B", Reason: ReasonSeatsTaken}}
	if diff := cmp.Diff(want, p.Unassigned); diff != "" {
		t.Errorf("unassigned (-want +got):\n%s", diff)
	}
	if p.Score != 8 || p.Bound != 8 {
		t.Errorf("got score %d bound %d, want 8 and 8", p.Score, p.Bound)
	}
}

func TestSolveRejectsBadInput(t *testing.T) {
	ok := Person{ID: "p", Household: "H"}
	dep := Departure{ID: "D", Date: day(0), Seats: 1}
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"duplicate person", Input{Start: testStart, People: []Person{ok, ok}}, `person "p": listed twice`},
		{"medical", Input{Start: testStart, People: []Person{{ID: "p", Household: "H", Medical: 4}}}, "medical level 4"},
		{"no household", Input{Start: testStart, People: []Person{{ID: "p"}}}, "empty household"},
		{"no seats", Input{Start: testStart, Departures: []Departure{{ID: "D", Date: day(0)}}}, "0 seats"},
		{"before start", Input{Start: testStart, Departures: []Departure{{ID: "D", Date: day(-1), Seats: 3}}}, "before the start date"},
		{"duplicate departure", Input{Start: testStart, Departures: []Departure{dep, dep}}, `departure "D": listed twice`},
		{"negative min staff", Input{Start: testStart, Missions: []Mission{{Code: "X", MinStaff: -1}}}, "min_staff -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Solve(tt.in, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEmptyInput(t *testing.T) {
	p, err := Solve(Input{Start: testStart}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Score != 0 || p.Bound != 0 || p.Horizon != 1 {
		t.Errorf("got score %d bound %d horizon %d, want 0 0 1", p.Score, p.Bound, p.Horizon)
	}
}

func TestWarmStartDropsWhatNoLongerFits(t *testing.T) {
	in := Input{
		Start: testStart,
		People: []Person{
			{ID: "a", Household: "A"}, {ID: "b", Household: "B"},
		},
		Departures: []Departure{{ID: "D", Date: day(0), Seats: 1}},
	}
	prev := []Assignment{
		{Departure: "D", Household: "A", People: []string{"a"}},
		{Departure: "D", Household: "B", People: []string{"b"}},
		{Departure: "GONE", Household: "A", People: []string{"a"}},
		{Departure: "D", Household: "A", People: []string{"a", "zz"}},
	}
	p := solveChecked(t, in, Options{Previous: prev})
	if p.Score != 1 {
		t.Errorf("got score %d, want 1", p.Score)
	}
}

func TestUsableDepartures(t *testing.T) {
	deps := []Departure{
		{ID: "PAST", Date: day(-1), Seats: 1, Crossing: "X"},
		{ID: "OPEN", Date: day(0), Seats: 1, Crossing: "X"},
		{ID: "SHUT", Date: day(3), Seats: 1, Crossing: "X"},
		{ID: "ALL", Date: day(9), Seats: 1, Crossing: "Y"},
		{ID: "OTHER", Date: day(3), Seats: 1, Crossing: "Y"},
	}
	closures := []Closure{
		{ID: "R-12", Crossing: "X", Starts: day(2), Ends: day(4)},
		{ID: "R-3", Starts: day(9), Ends: day(9)},
		{ID: "R-2", Crossing: "X", Starts: day(3)},
	}
	usable, excluded := UsableDepartures(testStart, deps, closures)
	var ids []string
	for _, d := range usable {
		ids = append(ids, d.ID)
	}
	if diff := cmp.Diff([]string{"OPEN", "OTHER"}, ids); diff != "" {
		t.Errorf("usable (-want +got):\n%s", diff)
	}
	want := []Excluded{
		{Departure: "ALL", Reason: "crossing closed: R-3"},
		{Departure: "SHUT", Reason: "crossing closed: R-12"},
	}
	if diff := cmp.Diff(want, excluded); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
}
