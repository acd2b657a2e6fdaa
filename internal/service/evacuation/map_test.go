package evacuation_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/mapsvg"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestMapOnBothEngines: the map's crossings follow the restrictions of
// the day asked, its routes the plan's counts, and each reader sees the
// counts the plan's page shows them.
func TestMapOnBothEngines(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := storetest.Ctx()
			testkit.SeedPeople(t, db, []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001"}, nil)
			deps := testkit.Departures()
			deps[0].Crossing = "TUMEN-BRIDGE"
			deps = append(deps, outpost.Departure{ID: "SHIP-1", Route: "Nampo - Dalian", Departs: time.Date(2021, 4, 4, 9, 0, 0, 0, time.UTC),
				Seats: 1, Crossing: "NAMPO-PORT", Eligible: []string{}})
			rs := append(testkit.Restrictions(), outpost.Restriction{ID: "R-2", Kind: "quarantine", Crossing: "TUMEN-BRIDGE", Starts: "2021-03-15", Days: 14})
			testkit.SeedEvacuation(t, db, deps, rs)
			now := func() time.Time { return time.Date(2021, 4, 1, 12, 0, 0, 0, time.UTC) }
			svc := evacuation.New(db, now, nil)
			doc, err := svc.Make(ctx, outpost.Operator("tester"), "2021-04-01")
			if err != nil {
				t.Fatal(err)
			}
			onTrain := 0
			ruOnTrain := 0
			for _, a := range doc.Assignments {
				if a.Departure == "TRAIN-1" {
					onTrain += len(a.People)
					for _, p := range a.People {
						if p[:3] == "RU-" {
							ruOnTrain++
						}
					}
				}
			}
			if onTrain == 0 || ruOnTrain == 0 {
				t.Fatalf("the plan puts %d people (%d of RU) on TRAIN-1; the fixture wants some", onTrain, ruOnTrain)
			}
			states := func(m mapsvg.Map) string {
				s := ""
				for _, c := range m.Crossings {
					s += fmt.Sprintf("%s:%s:%v ", c.Code, c.State, c.OnMap)
				}
				return s
			}
			coordinator := outpost.User{Name: "dean", Role: outpost.RoleCoordinator}
			m, err := svc.Map(ctx, coordinator, evacuation.MapQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := states(m), "NAMPO-PORT:open:false SINUIJU:closed:true SUNAN:open:true TUMEN-BRIDGE:restricted:true "; got != want {
				t.Errorf("crossings today:\n got %s\nwant %s", got, want)
			}
			if m.On != "2021-04-01" || m.Plan != doc.Plan || len(m.Routes) != 1 || m.Routes[0].Departure != "TRAIN-1" ||
				m.Routes[0].People != onTrain || m.Mission != "" || m.Routes[0].Own != 0 {
				t.Errorf("coordinator's map: got %+v, want today's, plan %d, TRAIN-1 with %d people and no mission's share", m, doc.Plan, onTrain)
			}
			// A mission's staff see their own people's share on the route.
			ru := outpost.User{Name: "ivan", Role: outpost.RoleStaff, Mission: "RU"}
			m, err = svc.Map(ctx, ru, evacuation.MapQuery{Plan: doc.Plan})
			if err != nil {
				t.Fatal(err)
			}
			if m.Mission != "RU" || m.Routes[0].People != onTrain || m.Routes[0].Own != ruOnTrain {
				t.Errorf("RU staff's map: got mission %q, route %+v, want RU, %d people of whom %d RU", m.Mission, m.Routes[0], onTrain, ruOnTrain)
			}
			// Every role sees its mission's share exactly when the plan's
			// page names that mission's people for it.
			for _, u := range testkit.Roles() {
				v, verr := svc.Plan(ctx, u, doc.Plan)
				m, err := svc.Map(ctx, u, evacuation.MapQuery{Plan: doc.Plan})
				if verr != nil || err != nil {
					if outpost.ErrorCode(verr) != outpost.ErrorCode(err) {
						t.Errorf("%s: plan answers %v, map %v", u.Role, verr, err)
					}
					continue
				}
				want := ""
				if v.Named == "mission" {
					want = v.Mission
				}
				if m.Mission != want || (want == "" && m.Own != 0) {
					t.Errorf("%s's map: mission %q own %d, want mission %q (the plan page names %q)", u.Role, m.Mission, m.Own, want, v.Named)
				}
			}
			// Before the closure and the quarantine every crossing is
			// open, and a plan that starts later is not drawn.
			m, err = svc.Map(ctx, coordinator, evacuation.MapQuery{On: "2021-02-01"})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := states(m), "NAMPO-PORT:open:false SINUIJU:open:true SUNAN:open:true TUMEN-BRIDGE:open:true "; got != want || m.Plan != 0 || len(m.Routes) != 0 {
				t.Errorf("crossings on 1 February:\n got %s plan %d routes %d\nwant %s, no plan", got, m.Plan, len(m.Routes), want)
			}
			if m, err = svc.Map(ctx, coordinator, evacuation.MapQuery{Plan: evacuation.NoMapPlan}); err != nil || m.Plan != 0 {
				t.Errorf("no plan asked: got plan %d, %v", m.Plan, err)
			}
			if _, err := svc.Map(ctx, coordinator, evacuation.MapQuery{Plan: 999}); outpost.ErrorCode(err) != outpost.ENOTFOUND {
				t.Errorf("plan 999: got %v, want not found", err)
			}
			if _, err := svc.Map(ctx, coordinator, evacuation.MapQuery{On: "1 April"}); outpost.ErrorCode(err) != outpost.EINVALID {
				t.Errorf("a day that is not a date: got %v, want invalid", err)
			}
			if _, err := svc.Map(ctx, outpost.User{Name: "nobody"}, evacuation.MapQuery{}); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
				t.Errorf("a user without a role: got %v, want forbidden", err)
			}
		})
	}
}

func TestMapPlanID(t *testing.T) {
	for text, want := range map[string]int64{"": 0, "none": evacuation.NoMapPlan, "7": 7} {
		if got, err := evacuation.MapPlanID(text); err != nil || got != want {
			t.Errorf("MapPlanID(%q) = %d, %v; want %d", text, got, err, want)
		}
	}
	for _, text := range []string{"0", "-1", "x", "1e3"} {
		if _, err := evacuation.MapPlanID(text); outpost.ErrorCode(err) != outpost.EINVALID {
			t.Errorf("MapPlanID(%q): got %v, want invalid", text, err)
		}
	}
}
