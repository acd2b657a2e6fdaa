package evacuation

import (
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// bigPlan is a plan over n people in households of two, of four missions:
// two in three households placed on twenty departures, the others left
// out for one of two reasons.
func bigPlan(n int) (outpost.PlanDoc, []outpost.Departure, []outpost.Person, map[string]bool) {
	doc := outpost.PlanDoc{Plan: 1, Start: "2021-03-01", Score: 999_000, Bound: 1_000_000}
	var deps []outpost.Departure
	for i := range 20 {
		deps = append(deps, outpost.Departure{ID: fmt.Sprintf("DEP-%02d", i), Departs: time.Date(2021, 3, 2+i, 9, 0, 0, 0, time.UTC), Seats: n})
	}
	people := make([]outpost.Person, 0, n)
	present := make(map[string]bool, n)
	for h := 0; h < n/2; h++ {
		mission := []string{"RU", "SE", "DE", "WFP"}[h%4]
		hh := fmt.Sprintf("%s-H%d", mission, h)
		ids := []string{fmt.Sprintf("%s-%d-a", mission, h), fmt.Sprintf("%s-%d-b", mission, h)}
		for _, id := range ids {
			people = append(people, person(id, hh, mission, "G"))
			present[id] = true
		}
		switch h % 3 {
		case 0, 1:
			doc.Assignments = append(doc.Assignments, outpost.PlanAssignment{Departure: deps[h%20].ID, Household: hh, People: ids})
		default:
			reason := []string{"kept for minimum staff", "seats taken by higher priority"}[h%2]
			doc.Unassigned = append(doc.Unassigned, outpost.PlanUnassigned{Household: hh, Reason: reason})
		}
	}
	return doc, deps, people, present
}

// BenchmarkPlanView is the plan page's view without its summary: the
// baseline the summary adds to.
func BenchmarkPlanView(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		doc, deps, people, _ := bigPlan(n)
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			for b.Loop() {
				NewView(doc, deps, people, ruManager)
			}
		})
	}
}

// BenchmarkPlanPage is the view with its summary, as the plan page
// builds it now, for the same plans.
func BenchmarkPlanPage(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		doc, deps, people, present := bigPlan(n)
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			for b.Loop() {
				pageView(doc, deps, people, present, ruManager, time.UTC)
			}
		})
	}
}

// BenchmarkComparePlans compares the plan with one where every other
// placed household moved.
func BenchmarkComparePlans(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		a, deps, people, _ := bigPlan(n)
		c := a
		c.Assignments = append([]outpost.PlanAssignment(nil), a.Assignments...)
		for i := 0; i < len(c.Assignments); i += 2 {
			c.Assignments[i].Departure = deps[(i+1)%20].ID
		}
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			for b.Loop() {
				ComparePlans(a, c, deps, people, ruManager)
			}
		})
	}
}
