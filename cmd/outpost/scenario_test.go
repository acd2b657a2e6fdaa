package main

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/scenarios"
)

// loadDemo loads the demo scenario into a new database at dsn, as the
// "test" actor, through an app whose database is closed when t ends.
func loadDemo(t *testing.T, dsn string) (context.Context, *app) {
	t.Helper()
	ctx := outpost.WithActor(context.Background(), "test")
	a := &app{dsn: dsn, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: func() time.Time { return fixedNow }}
	loaded, err := a.loadScenario(ctx, scenarios.Pyongyang, "pyongyang-2021")
	if a.db != nil {
		t.Cleanup(func() { a.db.Close() })
	}
	if err != nil || !loaded {
		t.Fatalf("load: %v (loaded %v)", err, loaded)
	}
	return ctx, a
}

// TestPyongyangScenarioReproducesTheRecord loads the demo scenario and
// checks the figures of the public record (SCENARIO.md).
func TestPyongyangScenarioReproducesTheRecord(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			ctx, a := loadDemo(t, mk(t))
			if again, err := a.loadScenario(ctx, scenarios.Pyongyang, "pyongyang-2021"); err != nil || again {
				t.Fatalf("second load: %v (loaded again %v), want a no-op", err, again)
			}
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
			feb := pop.At(at("2020-02-15"))
			if feb.InCountry < 360 || feb.InCountry > 400 {
				t.Errorf("February 2020: %d foreigners, want about 380", feb.InCountry)
			}
			apr := pop.At(at("2021-04-01"))
			if apr.InCountry >= 290 {
				t.Errorf("1 April 2021: %d foreigners, want fewer than 290", apr.InCountry)
			}
			if apr.HeadsOfMissionInCountry != 9 {
				t.Errorf("1 April 2021: %d heads of mission, want 9", apr.HeadsOfMissionInCountry)
			}
			var closed []string
			for _, m := range apr.ByMission {
				if m.Status == "closed" {
					closed = append(closed, m.Code)
					if m.InCountry+m.InTransit > 0 {
						t.Errorf("closed mission %s still has %d people in the country", m.Code, m.InCountry+m.InTransit)
					}
				}
			}
			want := []string{"BR", "CH-COOP", "CZ", "DE", "FR-COOP", "GB", "IT", "NG", "PK", "PL", "SE", "VE"}
			if !slices.Equal(closed, want) {
				t.Errorf("closed missions: got %v, want %v", closed, want)
			}
			db, _ := a.open(ctx)
			ms, _ := db.Missions(ctx)
			kind := map[string]outpost.MissionKind{}
			for _, m := range ms {
				kind[m.Code] = m.Kind
			}
			for _, m := range pop.At(at("2021-03-18")).ByMission {
				if (kind[m.Code] == outpost.KindUNAgency || kind[m.Code] == outpost.KindNGO) && m.InCountry+m.InTransit > 0 {
					t.Errorf("after 18 March 2021: %s (%s) still has %d people", m.Code, kind[m.Code], m.InCountry+m.InTransit)
				}
			}
			if err := db.Check(ctx); err != nil {
				t.Errorf("check: %v", err)
			}
		})
	}
}
