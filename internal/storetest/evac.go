package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
)

func evacSuites() []Suite {
	return []Suite{
		{"DeparturesAndRestrictions", testDeparturesAndRestrictions},
		{"SavedPlans", testSavedPlans},
	}
}

func testDeparturesAndRestrictions(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	at := time.Date(2021, 2, 25, 0, 0, 0, 0, time.UTC)
	deps := []outpost.Departure{
		{ID: "TRAIN-1", Route: "Pyongyang - Khasan", Departs: at, Seats: 8, Crossing: "TUMEN-BRIDGE", Eligible: []string{"RU", "MN"}},
		{ID: "BUS-1", Route: "Sinuiju", Departs: at.Add(48 * time.Hour), Seats: 30, Eligible: []string{}},
	}
	st, err := s.ImportDepartures(ctx, Batch(deps...))
	if err != nil || st.Inserted != 2 {
		t.Fatalf("import: %+v, %v", st, err)
	}
	deps[0].Seats = 9
	if st, _ := s.ImportDepartures(ctx, Batch(deps[0])); st.Updated != 1 {
		t.Errorf("re-import: got %+v, want 1 updated", st)
	}
	got, err := s.Departures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(deps, got); diff != "" {
		t.Errorf("departures (-want +got):\n%s", diff)
	}
	if _, err := s.Departure(ctx, "NOPE"); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown departure: %v", err)
	}
	rs := []outpost.Restriction{
		{ID: "R-2", Kind: "quarantine", Starts: "2020-01-30", Days: 30},
		{ID: "R-1", Kind: "border_closure", Crossing: "SINUIJU", Starts: "2021-03-05", Ends: "2021-03-12", Note: "closed", Source: "test"},
	}
	if _, err := s.ImportRestrictions(ctx, Batch(rs...)); err != nil {
		t.Fatal(err)
	}
	gotR, _ := s.Restrictions(ctx)
	if diff := cmp.Diff(rs, gotR); diff != "" {
		t.Errorf("restrictions by start (-want +got):\n%s", diff)
	}
	if !rs[1].InForce("2021-03-12") || rs[1].InForce("2021-03-13") || !rs[0].InForce("2030-01-01") {
		t.Error("InForce is wrong at the edges")
	}
}

func testSavedPlans(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	doc := outpost.PlanDoc{Start: "2021-02-25", Score: 120, Bound: 125,
		Assignments:        []outpost.PlanAssignment{{Departure: "TRAIN-1", Household: "RU-H1", People: []string{"RU-0001", "RU-0002"}}},
		Staying:            []outpost.PlanStaying{{Person: "RU-0003", Reason: "min_staff"}},
		Unassigned:         []outpost.PlanUnassigned{{Household: "DE-H4", Reason: "no eligible seat"}},
		ExcludedDepartures: []outpost.PlanExcluded{{Departure: "BUS-1", Reason: "crossing closed: R-1"}}}
	saved, err := s.SavePlan(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Plan == 0 {
		t.Fatal("no id")
	}
	got, err := s.Plan(ctx, saved.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(saved, got); diff != "" {
		t.Errorf("saved plan (-want +got):\n%s", diff)
	}
	list, _ := s.Plans(ctx)
	if len(list) != 1 || list[0].People != 2 || list[0].CreatedBy != "tester" {
		t.Errorf("plans: got %+v", list)
	}
	if _, err := s.Plan(ctx, saved.Plan+1); outpost.ErrorCode(err) != outpost.ENOTFOUND {
		t.Errorf("unknown plan: %v", err)
	}
}
