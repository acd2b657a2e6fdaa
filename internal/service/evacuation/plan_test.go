package evacuation

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

var (
	admin       = outpost.User{Name: "admin", Role: outpost.RoleAdmin}
	coordinator = outpost.User{Name: "dean", Role: outpost.RoleCoordinator}
	ruManager   = outpost.User{Name: "olga", Role: outpost.RoleManager, Mission: "RU"}
	ruStaff     = outpost.User{Name: "ivan", Role: outpost.RoleStaff, Mission: "RU"}
	ruPress     = outpost.User{Name: "pavel", Role: outpost.RolePress, Mission: "RU"}
)

func person(id, household, mission, given string) outpost.Person {
	return outpost.Person{ID: id, Household: household, Mission: mission, GivenName: given, FamilyName: "F" + id, Passport: "PP" + id}
}

// samplePlan puts two RU households and one SE household on TRAIN-1,
// leaves a DE household out and keeps an RU essential person back.
func samplePlan() (outpost.PlanDoc, []outpost.Departure, []outpost.Person) {
	doc := outpost.PlanDoc{Plan: 7, Start: "2021-02-25", Score: 990, Bound: 1000,
		Assignments: []outpost.PlanAssignment{
			{Departure: "TRAIN-1", Household: "RU-H1", People: []string{"RU-1", "RU-2"}},
			{Departure: "TRAIN-1", Household: "SE-H1", People: []string{"SE-1"}},
			{Departure: "BUS-1", Household: "RU-H2", People: []string{"RU-3"}},
		},
		Staying:            []outpost.PlanStaying{{Person: "RU-9", Reason: "min_staff"}},
		Unassigned:         []outpost.PlanUnassigned{{Household: "DE-H1", Reason: "no eligible seat"}, {Household: "RU-H9", Reason: "kept for minimum staff"}},
		ExcludedDepartures: []outpost.PlanExcluded{{Departure: "FLIGHT-1", Reason: "crossing closed: R-1"}},
	}
	deps := []outpost.Departure{
		{ID: "BUS-1", Departs: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC), Seats: 40},
		{ID: "TRAIN-1", Departs: time.Date(2021, 2, 25, 9, 0, 0, 0, time.UTC), Seats: 8},
	}
	child := person("RU-2", "RU-H1", "RU", "Masha")
	child.BirthDate = "2010-05-01"
	urgent := person("RU-3", "RU-H2", "RU", "Lyuda")
	urgent.Medical = 3
	people := []outpost.Person{person("RU-1", "RU-H1", "RU", "Nikolai"), child, urgent, person("RU-9", "RU-H9", "RU", "Oleg"),
		person("SE-1", "SE-H1", "SE", "Sven"), person("DE-1", "DE-H1", "DE", "Dieter")}
	return doc, deps, people
}

// names lists every named person in a view.
func names(v PlanView) []string {
	var out []string
	for _, d := range v.Departures {
		for _, h := range d.Named {
			for _, p := range h.People {
				out = append(out, p.ID+":"+p.GivenName)
			}
		}
	}
	for _, h := range v.Unassigned {
		for _, p := range h.People {
			out = append(out, p.ID+":"+p.GivenName)
		}
	}
	for _, p := range v.Staying {
		out = append(out, p.ID+":"+p.GivenName)
	}
	return out
}

func TestViewNamesOnlyWhatTheUserMayRead(t *testing.T) {
	doc, deps, people := samplePlan()
	ru := []string{"RU-1:Nikolai", "RU-2:Masha", "RU-3:Lyuda", "RU-9:Oleg", "RU-9:Oleg"}
	cases := []struct {
		name   string
		user   outpost.User
		named  string
		people []string
		hidden int // people on TRAIN-1 not named
	}{
		{"admin", admin, "all", []string{"RU-1:Nikolai", "RU-2:Masha", "SE-1:Sven", "RU-3:Lyuda", "DE-1:Dieter", "RU-9:Oleg", "RU-9:Oleg"}, 0},
		{"manager", ruManager, "mission", ru, 1},
		{"staff", ruStaff, "mission", ru, 1},
		{"press", ruPress, "mission", ru, 1},
		{"coordinator", coordinator, "none", nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := NewView(doc, deps, people, c.user)
			if v.Named != c.named {
				t.Errorf("named: got %q, want %q", v.Named, c.named)
			}
			if diff := cmp.Diff(c.people, names(v)); diff != "" {
				t.Errorf("named people (-want +got):\n%s", diff)
			}
			train, ok := v.Departure("TRAIN-1")
			if !ok {
				t.Fatal("TRAIN-1 missing from the view")
			}
			if train.Hidden != c.hidden {
				t.Errorf("hidden on TRAIN-1: got %d, want %d", train.Hidden, c.hidden)
			}
			// Counts are the same for everyone.
			want := []MissionCount{{Mission: "RU", People: 2, Households: 1}, {Mission: "SE", People: 1, Households: 1}}
			if diff := cmp.Diff(want, train.ByMission); diff != "" {
				t.Errorf("TRAIN-1 by mission (-want +got):\n%s", diff)
			}
			if v.People != 4 || v.Households != 3 {
				t.Errorf("totals: got %d people in %d households, want 4 in 3", v.People, v.Households)
			}
			if len(v.UnassignedCounts) != 2 || len(v.StayingByMission) != 1 || v.StayingByMission[0].People != 1 {
				t.Errorf("counts: unassigned %+v, staying %+v", v.UnassignedCounts, v.StayingByMission)
			}
		})
	}
}

func TestViewOrdersDeparturesAndFlagsPriority(t *testing.T) {
	doc, deps, people := samplePlan()
	v := NewView(doc, deps, people, ruManager)
	var order []string
	for _, d := range v.Departures {
		order = append(order, d.Departure)
	}
	if want := []string{"TRAIN-1", "BUS-1"}; !slices.Equal(order, want) {
		t.Errorf("departures: got %v, want %v (by time)", order, want)
	}
	h := v.Departures[0].Named[0]
	if !h.People[1].Minor || h.People[0].Minor {
		t.Errorf("minor: got %+v, want Masha (born 2010) only", h.People)
	}
	if got := v.Departures[1].Named[0].People[0].Medical; got != 3 {
		t.Errorf("medical: got %d, want 3", got)
	}
}

func TestMinor(t *testing.T) {
	cases := []struct {
		birth, day outpost.Date
		want       bool
	}{
		{"2003-02-25", "2021-02-25", false},
		{"2003-02-26", "2021-02-25", true},
		{"2010-01-01", "2021-02-25", true},
		{"", "2021-02-25", false},
		{"1970-01-01", "2021-02-25", false},
	}
	for _, c := range cases {
		if got := minor(c.birth, c.day); got != c.want {
			t.Errorf("minor(%s, %s): got %v, want %v", c.birth, c.day, got, c.want)
		}
	}
}

func TestRedactKeepsEveryRowAndOwnPassports(t *testing.T) {
	m := outpost.Manifest{Plan: 1, Departure: "TRAIN-1", Passengers: []outpost.Passenger{
		{Household: "RU-H1", ID: "RU-1", Mission: "RU", FamilyName: "Lebedev", GivenName: "Nikolai", Nationality: "RU", Passport: "PP1", Medical: 2},
		{Household: "SE-H1", ID: "SE-1", Mission: "SE", FamilyName: "Berg", GivenName: "Sven", Nationality: "SE", Passport: "PP2", Medical: 3},
	}}
	withheld := outpost.Passenger{Household: "SE-H1", ID: "SE-1", Mission: "SE", Withheld: true}
	cases := []struct {
		name string
		user outpost.User
		want []outpost.Passenger
	}{
		{"admin", admin, m.Passengers},
		{"manager", ruManager, []outpost.Passenger{m.Passengers[0], withheld}},
		{"press", ruPress, []outpost.Passenger{{Household: "RU-H1", ID: "RU-1", Mission: "RU", FamilyName: "Lebedev", GivenName: "Nikolai", Nationality: "RU", Medical: 2}, withheld}},
		{"coordinator", coordinator, []outpost.Passenger{{Household: "RU-H1", ID: "RU-1", Mission: "RU", Withheld: true}, withheld}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Redact(m, c.user)
			if diff := cmp.Diff(c.want, got.Passengers); diff != "" {
				t.Errorf("passengers (-want +got):\n%s", diff)
			}
		})
	}
	if m.Passengers[1].Passport != "PP2" {
		t.Error("Redact changed the manifest it was given")
	}
}

func TestBoardForUserKeepsEveryCount(t *testing.T) {
	b := Board{Counts: map[string]int{"assembled": 1, "manifested": 1, "unaccounted": 2}, Total: 2, People: []BoardRow{
		{Person: "RU-1", Mission: "RU", Checkpoint: "assembled"}, {Person: "SE-1", Mission: "SE", Checkpoint: "manifested"}}}
	cases := []struct {
		name   string
		user   outpost.User
		rows   []string
		hidden int
	}{
		{"admin", admin, []string{"RU-1", "SE-1"}, 0},
		{"manager", ruManager, []string{"RU-1"}, 1},
		{"coordinator", coordinator, nil, 2},
	}
	for _, c := range cases {
		got := b.ForUser(c.user)
		var rows []string
		for _, r := range got.People {
			rows = append(rows, r.Person)
		}
		if !slices.Equal(rows, c.rows) || got.Hidden != c.hidden {
			t.Errorf("%s: got rows %v and %d hidden, want %v and %d", c.name, rows, got.Hidden, c.rows, c.hidden)
		}
		if diff := cmp.Diff(b.Counts, got.Counts); diff != "" || got.Total != 2 {
			t.Errorf("%s: counts changed (-want +got):\n%s", c.name, diff)
		}
		if got.HasPassenger("SE-1") != (c.name == "admin") {
			t.Errorf("%s: HasPassenger(SE-1) = %v", c.name, got.HasPassenger("SE-1"))
		}
	}
}

func TestClosedOnTheDay(t *testing.T) {
	deps := []outpost.Departure{
		{ID: "BUS-1", Departs: time.Date(2021, 3, 6, 9, 0, 0, 0, time.UTC), Crossing: "SINUIJU"},
		{ID: "BUS-2", Departs: time.Date(2021, 3, 13, 9, 0, 0, 0, time.UTC), Crossing: "SINUIJU"},
		{ID: "TRAIN-1", Departs: time.Date(2021, 3, 6, 9, 0, 0, 0, time.UTC), Crossing: "TUMEN"},
	}
	rs := []outpost.Restriction{
		{ID: "R-1", Kind: "border_closure", Crossing: "SINUIJU", Starts: "2021-03-05", Ends: "2021-03-12"},
		{ID: "R-2", Kind: "quarantine", Starts: "2021-01-01", Days: 30},
	}
	got := ClosedOnTheDay(deps, rs, time.UTC)
	if want := map[string]string{"BUS-1": "crossing closed: R-1"}; !cmp.Equal(want, got) {
		t.Errorf("got %v, want %v", got, want)
	}
}
