package evac

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

var testStart = time.Date(2021, 2, 25, 0, 0, 0, 0, time.UTC)

// genInput draws a random instance with up to maxHH households and maxDep
// departures.
func genInput(t *rapid.T, maxHH, maxDep int) Input {
	nats := []string{"RU", "DE", "CN", "MN"}
	codes := []string{"A", "B", "C"}
	in := Input{Start: testStart}
	for _, c := range codes {
		in.Missions = append(in.Missions, Mission{Code: c, MinStaff: rapid.IntRange(0, 3).Draw(t, "min_staff")})
	}
	nh := rapid.IntRange(0, maxHH).Draw(t, "households")
	pid := 0
	for h := 0; h < nh; h++ {
		size := rapid.IntRange(1, 4).Draw(t, "size")
		nat := rapid.SampledFrom(nats).Draw(t, "nat")
		mission := rapid.SampledFrom(codes).Draw(t, "mission")
		var ready time.Time
		if rapid.Bool().Draw(t, "has_ready") {
			ready = testStart.AddDate(0, 0, rapid.IntRange(-2, 10).Draw(t, "ready"))
		}
		for k := 0; k < size; k++ {
			pid++
			p := Person{
				ID: fmt.Sprintf("P%03d", pid), Household: fmt.Sprintf("H%02d", h),
				Nationality: nat, Mission: mission,
				Essential: rapid.IntRange(0, 2).Draw(t, "essential") == 0,
				Medical:   rapid.IntRange(0, 3).Draw(t, "medical"),
				Ready:     ready,
			}
			if rapid.IntRange(0, 5).Draw(t, "other_nat") == 0 {
				p.Nationality = rapid.SampledFrom(nats).Draw(t, "nat2")
			}
			if rapid.IntRange(0, 2).Draw(t, "has_docs") == 0 {
				p.Docs = genDocs(t)
			}
			if rapid.Bool().Draw(t, "has_birth") {
				p.BirthDate = testStart.AddDate(-rapid.IntRange(0, 60).Draw(t, "age"), 0, -rapid.IntRange(0, 364).Draw(t, "days"))
			}
			in.People = append(in.People, p)
		}
	}
	in.PermitsRequired = rapid.IntRange(0, 3).Draw(t, "permits_required") == 0
	nd := rapid.IntRange(0, maxDep).Draw(t, "departures")
	for j := 0; j < nd; j++ {
		d := Departure{
			ID:    fmt.Sprintf("D%02d", j),
			Date:  testStart.AddDate(0, 0, rapid.IntRange(0, 12).Draw(t, "day")),
			Seats: rapid.IntRange(1, 10).Draw(t, "seats"),
		}
		if rapid.IntRange(0, 2).Draw(t, "restricted") == 0 {
			d.Eligible = rapid.SliceOfNDistinct(rapid.SampledFrom(nats), 1, 3, rapid.ID[string]).Draw(t, "eligible")
		}
		in.Departures = append(in.Departures, d)
	}
	return in
}

// genDocs draws exit documents around the departures' days.
func genDocs(t *rapid.T) Documents {
	day := func(label string) time.Time {
		if rapid.Bool().Draw(t, "has_"+label) {
			return testStart.AddDate(0, 0, rapid.IntRange(-1, 13).Draw(t, label))
		}
		return time.Time{}
	}
	d := Documents{
		Staying:  rapid.IntRange(0, 5).Draw(t, "staying") == 0,
		Permit:   rapid.SampledFrom([]string{"", "requested", "granted", "granted", "refused"}).Draw(t, "permit"),
		Passport: rapid.IntRange(0, 4).Draw(t, "passport") > 0,
	}
	if d.Permit == "granted" {
		d.PermitFrom = day("permit_from")
		d.PermitTo = day("permit_to")
	}
	d.PassportExpiry = day("passport_expiry")
	d.QuarantineUntil = day("quarantine_until")
	return d
}

func solveChecked(t interface {
	Helper()
	Fatalf(string, ...any)
}, in Input, opts Options) Plan {
	t.Helper()
	p, err := Solve(in, opts)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	score, err := checkPlan(in, p)
	if err != nil {
		t.Fatalf("invalid plan: %v", err)
	}
	if p.Score != score || p.Score > p.Bound {
		t.Fatalf("score %d, recomputed %d, bound %d", p.Score, score, p.Bound)
	}
	return p
}

func TestPlanIsValidAndBounded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, 30, 6)
		p := solveChecked(t, in, Options{})
		again, _ := Solve(in, Options{})
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("same input, different plan (-first +second):\n%s", diff)
		}
	})
}

// bruteForce returns the best score of any valid plan, trying every
// departure (or none) for every household.
func bruteForce(in Input) int64 {
	var hhs []string
	for _, p := range in.People {
		if !slices.Contains(hhs, p.Household) {
			hhs = append(hhs, p.Household)
		}
	}
	members := map[string][]string{}
	for _, p := range in.People {
		members[p.Household] = append(members[p.Household], p.ID)
	}
	for _, ids := range members {
		slices.Sort(ids)
	}
	choice := make([]int, len(hhs))
	best := int64(0)
	for {
		var p Plan
		p.Horizon = 1
		for _, d := range in.Departures {
			p.Horizon = max(p.Horizon, int(civil(d.Date)-civil(in.Start))+1)
		}
		var unassigned []Unassigned
		for i, h := range hhs {
			if choice[i] == 0 {
				unassigned = append(unassigned, Unassigned{Household: h, Reason: "x"})
				continue
			}
			p.Assignments = append(p.Assignments, Assignment{Departure: in.Departures[choice[i]-1].ID, Household: h, People: members[h]})
		}
		p.Unassigned = unassigned
		if s, err := validPlan(in, p); err == nil {
			best = max(best, s)
		}
		i := 0
		for ; i < len(choice); i++ {
			choice[i]++
			if choice[i] <= len(in.Departures) {
				break
			}
			choice[i] = 0
		}
		if i == len(choice) {
			return best
		}
	}
}

func TestBoundAboveBruteForceOptimum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, 6, 3)
		p := solveChecked(t, in, Options{})
		opt := bruteForce(in)
		if p.Bound < opt {
			t.Fatalf("bound %d below the optimum %d", p.Bound, opt)
		}
		if p.Score > opt {
			t.Fatalf("score %d above the optimum %d", p.Score, opt)
		}
	})
}

// TestMoreSeatsNeverLowerScore re-plans with more seats from the previous
// plan (Options.Previous), the mechanism that makes re-planning monotone.
func TestMoreSeatsNeverLowerScore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, 30, 6)
		p := solveChecked(t, in, Options{})
		more := in
		more.Departures = slices.Clone(in.Departures)
		for j := range more.Departures {
			more.Departures[j].Seats += rapid.IntRange(0, 5).Draw(t, "extra")
		}
		q := solveChecked(t, more, Options{Previous: p.Assignments})
		if q.Score < p.Score {
			t.Fatalf("with more seats: got score %d, want at least %d", q.Score, p.Score)
		}
	})
}

// TestBarredPeopleNeverPlaced: whatever the documents, a person is placed
// only on a day Barred allows, and everyone left behind whose own
// documents bar every day says so in their reason.
func TestBarredPeopleNeverPlaced(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, 20, 5)
		p := solveChecked(t, in, Options{})
		byID := map[string]Person{}
		for _, per := range in.People {
			byID[per.ID] = per
		}
		dates := map[string]time.Time{}
		for _, d := range in.Departures {
			dates[d.ID] = d.Date
		}
		for _, a := range p.Assignments {
			for _, id := range a.People {
				if code, text := Barred(byID[id], dates[a.Departure], in.PermitsRequired); code != "" {
					t.Fatalf("%s placed on %s although %s", id, a.Departure, text)
				}
			}
		}
		for _, lb := range p.LeftBehind {
			per := byID[lb.Person]
			if per.Docs.Staying && lb.Reason != LeftStaying {
				t.Fatalf("%s stays by choice, listed as %s (%s)", per.ID, lb.Reason, lb.Text)
			}
		}
	})
}

// TestNoDocumentsPlanAsBefore: with permits not required, people with no
// exit documents recorded plan exactly as when the rules did not exist,
// the contract's case (INTERFACES.md, Evacuation planning).
func TestNoDocumentsPlanAsBefore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t, 20, 5)
		in.PermitsRequired = false
		for i := range in.People {
			in.People[i].Docs = Documents{}
		}
		p := solveChecked(t, in, Options{})
		for _, u := range p.Unassigned {
			if u.Reason == ReasonExitDocuments {
				t.Fatalf("household %s left out for exit documents, none recorded", u.Household)
			}
		}
		household := map[string]bool{}
		for _, rc := range householdReasonCode {
			household[rc[0]] = true
		}
		for _, lb := range p.LeftBehind {
			if !household[lb.Reason] {
				t.Fatalf("%s left behind for %s with no documents recorded", lb.Person, lb.Reason)
			}
		}
	})
}
