package evacuation_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// BenchmarkMapOfAPlan is the map of a saved plan over 20,000 people as a
// mission's manager reads it (the dashboard's map), against the plan's
// page view the map was once counted from.
func BenchmarkMapOfAPlan(b *testing.B) {
	const n = 20_000
	db := testkit.Open(b, store.Open, testkit.SQLiteDSN(b))
	ctx := storetest.Ctx()
	ids := make([]string, n)
	missions := []string{"RU", "SE", "WFP"}
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%05d", missions[i%3], i)
	}
	testkit.SeedPeople(b, db, ids, func(i int, p *outpost.PersonRecord) {
		p.Household = fmt.Sprintf("%s-H%d", p.Mission, i/6)
	})
	deps := testkit.Departures()
	for i := range deps {
		deps[i].Seats = n / 3
	}
	testkit.SeedEvacuation(b, db, deps, nil)
	now := func() time.Time { return time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC) }
	svc := evacuation.New(db, now, nil)
	doc, err := svc.Make(ctx, outpost.Operator("bench"), "2021-04-01")
	if err != nil {
		b.Fatal(err)
	}
	manager := outpost.User{Name: "consul", Role: outpost.RoleManager, Mission: "RU"}
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Map(ctx, manager, evacuation.MapQuery{Plan: doc.Plan}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=plan-page-view", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Plan(ctx, manager, doc.Plan); err != nil {
				b.Fatal(err)
			}
		}
	})
}
