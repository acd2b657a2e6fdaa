package evacuation

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"pgregory.net/rapid"
)

// The gap in words is never smaller than the true gap (so "within" is
// true) and is the smallest number of its precision that is not.
func TestGapIsTheSmallestTrueWithin(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bound := rapid.Int64Range(1, 1_000_000_000_000).Draw(t, "bound")
		score := rapid.Int64Range(0, bound).Draw(t, "score")
		text, best := Gap(score, bound)
		if best != (score == bound) {
			t.Fatalf("Gap(%d, %d): best %v", score, bound, best)
		}
		if best {
			return
		}
		num, ok := strings.CutSuffix(text, " %")
		if !ok {
			t.Fatalf("Gap(%d, %d) = %q: no per cent sign", score, bound, text)
		}
		// In hundredths of a per cent, with the step of its precision.
		whole, frac, _ := strings.Cut(num, ".")
		step := int64(100)
		shown, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		shown *= 100
		switch len(frac) {
		case 1:
			step = 10
			d, _ := strconv.ParseInt(frac, 10, 64)
			shown += 10 * d
		case 2:
			step = 1
			d, _ := strconv.ParseInt(frac, 10, 64)
			shown += d
		}
		gap := 10000 * (bound - score) // true gap × bound, in hundredths
		if shown*bound < gap {
			t.Fatalf("Gap(%d, %d) = %q is less than the true gap", score, bound, text)
		}
		if (shown-step)*bound >= gap {
			t.Fatalf("Gap(%d, %d) = %q: %d hundredths less would still be true", score, bound, text, step)
		}
	})
}

// Whoever compares two plans, every household whose place changed is
// either named or counted once, and the departures' totals add up to the
// people each plan places.
func TestComparisonAccountsForEveryChange(t *testing.T) {
	users := []outpost.User{admin, coordinator, ruManager, ruPress}
	rapid.Check(t, func(t *rapid.T) {
		deps := []string{"A-1", "B-1", "C-1"}
		var people []outpost.Person
		var a, b outpost.PlanDoc
		a.Plan, b.Plan = 1, 2
		n := rapid.IntRange(0, 30).Draw(t, "households")
		changed := 0
		for h := range n {
			mission := rapid.SampledFrom([]string{"RU", "SE", "DE"}).Draw(t, "mission")
			hh := fmt.Sprintf("%s-H%d", mission, h)
			var ids []string
			for i := range rapid.IntRange(1, 3).Draw(t, "size") {
				id := fmt.Sprintf("%s-%d-%d", mission, h, i)
				ids = append(ids, id)
				people = append(people, person(id, hh, mission, "G"))
			}
			// -1: not placed.
			da := rapid.IntRange(-1, len(deps)-1).Draw(t, "in a")
			db := rapid.IntRange(-1, len(deps)-1).Draw(t, "in b")
			if da >= 0 {
				a.Assignments = append(a.Assignments, outpost.PlanAssignment{Departure: deps[da], Household: hh, People: ids})
			}
			if db >= 0 {
				b.Assignments = append(b.Assignments, outpost.PlanAssignment{Departure: deps[db], Household: hh, People: ids})
			}
			if da != db {
				changed++
			}
		}
		for _, u := range users {
			c := ComparePlans(a, b, nil, people, u)
			got := len(c.Moved) + len(c.Placed) + len(c.Dropped)
			for _, o := range c.Others {
				got += o.Moved + o.Placed + o.Dropped
			}
			if got != changed {
				t.Fatalf("%s: %d changes accounted for, want %d", u.Role, got, changed)
			}
			ta, tb := 0, 0
			for _, d := range c.Departures {
				ta += d.A
				tb += d.B
			}
			if ta != c.A.People || tb != c.B.People {
				t.Fatalf("%s: totals %d and %d, want %d and %d", u.Role, ta, tb, c.A.People, c.B.People)
			}
			for _, list := range [][]HouseholdMove{c.Moved, c.Placed, c.Dropped} {
				for _, m := range list {
					if !u.Can(outpost.ReadPeople, m.Mission) {
						t.Fatalf("%s sees household %s of %s by name", u.Role, m.Household, m.Mission)
					}
				}
			}
		}
	})
}
