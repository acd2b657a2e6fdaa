package evacuation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

// convoy is a shared convoy's full manifest: two RU passengers, one of
// SE and one of WFP, by mission.
func convoy() outpost.Manifest {
	p := func(id, hh, mission string) outpost.Passenger {
		return outpost.Passenger{Household: hh, ID: id, Mission: mission, FamilyName: "F" + id, GivenName: "G" + id,
			Nationality: mission[:2], BirthDate: "1980-01-01", Passport: "P" + id, Medical: 1}
	}
	return outpost.Manifest{Plan: 3, Departure: "TRAIN-1", Passengers: []outpost.Passenger{
		p("RU-1", "RU-H1", "RU"), p("RU-2", "RU-H1", "RU"), p("SE-1", "SE-H1", "SE"), p("WFP-1", "WFP-H1", "WFP")}}
}

func TestJointCutShowsEachReaderTheirPart(t *testing.T) {
	seStaff := outpost.User{Name: "sara", Role: outpost.RoleStaff, Mission: "SE"}
	cases := []struct {
		name    string
		user    outpost.User
		rows    []string // id:family name:passport:birth date
		omitted int
		refused bool
	}{
		{"the coordinator sees every passenger's row, no name or document", coordinator,
			[]string{"RU-1:::", "RU-2:::", "SE-1:::", "WFP-1:::"}, 0, false},
		{"the admin sees everything", admin,
			[]string{"RU-1:FRU-1:PRU-1:1980-01-01", "RU-2:FRU-2:PRU-2:1980-01-01", "SE-1:FSE-1:PSE-1:1980-01-01", "WFP-1:FWFP-1:PWFP-1:1980-01-01"}, 0, false},
		{"a manager sees their mission only", ruManager, []string{"RU-1:FRU-1:PRU-1:1980-01-01", "RU-2:FRU-2:PRU-2:1980-01-01"}, 2, false},
		{"staff see their mission only", seStaff, []string{"SE-1:FSE-1:PSE-1:1980-01-01"}, 3, false},
		{"press are refused", ruPress, nil, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j, err := JointCut(convoy(), c.user)
			if c.refused {
				if outpost.ErrorCode(err) != outpost.EFORBIDDEN {
					t.Fatalf("got %v, want %s", err, outpost.EFORBIDDEN)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for _, p := range j.Passengers {
				rows = append(rows, strings.Join([]string{p.ID, p.FamilyName, p.Passport, p.BirthDate}, ":"))
			}
			if diff := cmp.Diff(c.rows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if j.Omitted != c.omitted {
				t.Errorf("omitted: got %d, want %d", j.Omitted, c.omitted)
			}
			// Every reader gets every mission's count.
			want := []MissionCount{{"RU", 2, 1}, {"SE", 1, 1}, {"WFP", 1, 1}}
			if diff := cmp.Diff(want, j.Missions); diff != "" {
				t.Errorf("missions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJointManifestRefusesBeforeTheStore(t *testing.T) {
	s := New(nil, nil, nil)
	if _, err := s.JointManifest(t.Context(), ruPress, 1, "TRAIN-1"); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("press: got %v, want %s", err, outpost.EFORBIDDEN)
	}
	if _, err := s.JointManifestFile(t.Context(), coordinator, 1, "TRAIN-1", "xls"); outpost.ErrorCode(err) != outpost.EINVALID {
		t.Errorf("a bad format: got %v, want %s", err, outpost.EINVALID)
	}
}

func TestComparePlansSaysWhoMovedWhere(t *testing.T) {
	a, deps, people := samplePlan()
	b := a
	b.Plan, b.Score = 8, 995
	// RU-H1 moves to BUS-1, SE-H1 is no longer placed, RU-H9 is newly
	// placed, RU-H2 stays where it was.
	b.Assignments = []outpost.PlanAssignment{
		{Departure: "BUS-1", Household: "RU-H1", People: []string{"RU-1", "RU-2"}},
		{Departure: "BUS-1", Household: "RU-H2", People: []string{"RU-3"}},
		{Departure: "TRAIN-1", Household: "RU-H9", People: []string{"RU-9"}},
	}
	moves := func(list []HouseholdMove) []string {
		var out []string
		for _, m := range list {
			out = append(out, m.Household+" "+m.From+">"+m.To+" "+string(rune('0'+len(m.People))))
		}
		return out
	}
	c := ComparePlans(a, b, deps, people, admin)
	if diff := cmp.Diff([]string{"RU-H1 TRAIN-1>BUS-1 2"}, moves(c.Moved)); diff != "" {
		t.Errorf("moved (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"RU-H9 >TRAIN-1 1"}, moves(c.Placed)); diff != "" {
		t.Errorf("placed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"SE-H1 TRAIN-1> 1"}, moves(c.Dropped)); diff != "" {
		t.Errorf("dropped (-want +got):\n%s", diff)
	}
	wantTotals := []DepartureTotals{
		{Departure: "TRAIN-1", Departs: deps[1].Departs, Seats: 8, A: 3, B: 1},
		{Departure: "BUS-1", Departs: deps[0].Departs, Seats: 40, A: 1, B: 3},
	}
	if diff := cmp.Diff(wantTotals, c.Departures); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if want := "Plan 8 places as many people as plan 7 (4) and scores 5 more (995 against 990); plan 8 is within 0.5 % of the best possible, plan 7 is within 1 % of the best possible."; c.Words != want {
		t.Errorf("words:\ngot  %q\nwant %q", c.Words, want)
	}
	// The RU manager reads RU's households and counts SE's.
	c = ComparePlans(a, b, deps, people, ruManager)
	if len(c.Dropped) != 0 || len(c.Moved) != 1 || len(c.Placed) != 1 {
		t.Errorf("manager: moved %v placed %v dropped %v", moves(c.Moved), moves(c.Placed), moves(c.Dropped))
	}
	if diff := cmp.Diff([]MissionChanges{{Mission: "SE", Dropped: 1}}, c.Others); diff != "" {
		t.Errorf("manager's counts of other missions (-want +got):\n%s", diff)
	}
	// The coordinator reads no household: everything is a count.
	c = ComparePlans(a, b, deps, people, coordinator)
	if len(c.Moved)+len(c.Placed)+len(c.Dropped) != 0 {
		t.Errorf("the coordinator sees households by name")
	}
	if diff := cmp.Diff([]MissionChanges{{Mission: "RU", Moved: 1, Placed: 1}, {Mission: "SE", Dropped: 1}}, c.Others); diff != "" {
		t.Errorf("coordinator's counts (-want +got):\n%s", diff)
	}
	if c := ComparePlans(a, a, deps, people, coordinator); !c.Same() {
		t.Errorf("a plan differs from itself: %+v", c)
	}
}
