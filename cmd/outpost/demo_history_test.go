package main

import (
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// The demo's missions take their statuses on their historical dates, its
// 1 April 2021 holds the record's figures with 9 ambassadors and 4
// chargés d'affaires, and a first visit finds an open roll call, a
// medical case and a saved plan, seeded once however often it runs.
func TestDemoMissionHistoryAndSeeds(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx, a := loadDemo(t, mk(t))
			pop, err := a.population(ctx)
			if err != nil {
				t.Fatal(err)
			}
			at := func(s string) time.Time {
				tm, _, err := a.asOf(ctx, "--as-of", s)
				if err != nil {
					t.Fatal(err)
				}
				return tm
			}
			apr := pop.At(at(demoDay))
			if apr.InCountry != 251 || apr.InTransit != 0 || apr.HeadsOfMissionInCountry != 9 {
				t.Errorf("1 April 2021: %d in the country, %d in transit, %d heads; want 251, 0, 9 (README)", apr.InCountry, apr.InTransit, apr.HeadsOfMissionInCountry)
			}
			want := map[string]int{"open": 5, "reduced": 10, "suspended": 9, "closed": 12}
			for st, n := range want {
				if apr.Missions[st] != n {
					t.Errorf("1 April 2021: %d missions %s, want %d (got %v)", apr.Missions[st], st, n, apr.Missions)
				}
			}
			statusOn := func(code, date string) string {
				for _, m := range pop.At(at(date)).ByMission {
					if m.Code == code {
						return m.Status
					}
				}
				return "(absent)"
			}
			for _, c := range []struct{ code, date, want string }{
				{"GB", "2020-05-26", "open"}, {"GB", "2020-05-27", "closed"},
				{"DE", "2020-03-08", "open"}, {"DE", "2020-03-09", "closed"},
				{"SE", "2020-08-11", "open"}, {"SE", "2020-08-12", "closed"},
				{"CZ", "2020-08-12", "closed"}, {"PK", "2021-03-17", "open"}, {"PK", "2021-03-18", "closed"},
				{"WFP", "2021-03-17", "open"}, {"WFP", "2021-03-18", "suspended"},
				{"MN", "2020-03-08", "open"}, {"MN", "2020-03-09", "reduced"},
				{"ID", "2021-04-01", "reduced"}, {"ID", "2021-07-22", "reduced"}, {"ID", "2021-07-23", "closed"},
				{"RU", "2020-02-15", "open"}, {"RU", "2021-08-01", "open"},
			} {
				if got := statusOn(c.code, c.date); got != c.want {
					t.Errorf("%s on %s: %s, want %s", c.code, c.date, got, c.want)
				}
			}
			db, _ := a.open(ctx)
			// The 4 chargés d'affaires: diplomats in the country on 1 April
			// 2021, of missions whose head of mission is not.
			headIn := map[string]bool{}
			for _, m := range apr.ByMission {
				headIn[m.Code] = m.HeadOfMissionInCountry
			}
			for _, id := range []string{"BG-0001", "KH-0004", "MN-0007", "PS-0003"} {
				p, err := db.Person(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				pr, _ := pop.Person(id)
				in := false
				for _, e := range pr.History {
					if e.At <= at(demoDay).Unix() {
						in = e.Status == outpost.InCountry
					}
				}
				if p.Category != outpost.Diplomat || !in || headIn[p.Mission] {
					t.Errorf("chargé %s: %s of %s, in the country %v, head present %v", id, p.Category, p.Mission, in, headIn[p.Mission])
				}
			}

			for run := range 2 {
				seeded, err := a.seedDemo(ctx)
				if err != nil || seeded != (run == 0) {
					t.Fatalf("seed run %d: seeded %v, %v", run, seeded, err)
				}
				rcs, _ := db.RollCalls(ctx, "")
				cases, _ := db.Cases(ctx, outpost.CaseFilter{})
				plans, _ := db.Plans(ctx)
				if len(rcs) != 1 || rcs[0].Status != outpost.RollCallOpen || len(cases) != 1 || len(plans) != 1 {
					t.Fatalf("after seed run %d: %d roll calls (%+v), %d open cases, %d plans; want 1 open, 1, 1", run, len(rcs), rcs, len(cases), len(plans))
				}
				rep, err := db.RollCallReport(ctx, rcs[0].ID)
				if err != nil || rep.Safe != 3 || rep.NeedHelp != 1 {
					t.Errorf("roll call answers: %+v, %v; want 3 safe, 1 need help", rep, err)
				}
			}
			if err := db.Check(ctx); err != nil {
				t.Errorf("check: %v", err)
			}
		})
	}
}
