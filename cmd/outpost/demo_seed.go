package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/welfare"
	"github.com/outpost-org/outpost/internal/store"
)

// The demo opens on the story's day: the served pages default to it and
// say that the data ends in 2021 (serve's --page-date and --banner).
const (
	demoDay    = "2021-04-01"
	demoBanner = "Demo: the Pyongyang diplomatic corps as on 1 April 2021 — the data ends in 2021."
)

// loadMissionStatus records the changes of a scenario's
// mission_status.csv (mission, status, since, note) in the store, as
// loadTracks records tracks: a scenario's dates may lie after the clock
// of a test.
func (a *app) loadMissionStatus(ctx context.Context, r io.Reader, name string) error {
	return a.eachScenarioRecord(ctx, r, name, func(db *store.DB, loc *time.Location, get func(string) string) error {
		d, err := outpost.ParseDate(get("since"))
		if err != nil {
			return fmt.Errorf("since: %w", err)
		}
		_, err = db.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: get("mission"),
			Status: outpost.MissionStatus(get("status")), Since: d.Start(loc), Note: get("note")})
		return err
	})
}

// seedDemo gives a first visit something on every page: an open roll
// call with a few answers, an open medical case and a saved evacuation
// plan from the story's day. It does so once per database (the config
// key demo_seeded), so running the demo again adds nothing; it reports
// whether it seeded now.
func (a *app) seedDemo(ctx context.Context) (bool, error) {
	db, err := a.open(ctx)
	if err != nil {
		return false, err
	}
	if v, err := db.Config(ctx, "demo_seeded"); err != nil || v != "" {
		return false, err
	}
	op := outpost.Operator("demo")
	// The Russian embassy's people still in the country: the ten who
	// stay after the July train (the scenario's "stays" group).
	ru, err := db.People(ctx, outpost.PeopleFilter{Mission: "RU", Status: outpost.InCountry, Limit: 10})
	if err != nil {
		return false, fmt.Errorf("demo: read the Russian embassy's people: %w", err)
	}
	if len(ru) < 4 {
		return false, fmt.Errorf("demo: %d people of RU in the country, want at least 4", len(ru))
	}
	wf := welfare.New(db, nil, a.now)
	rc, err := wf.Start(ctx, op, outpost.RollCall{Title: "Are you safe? Daily check of the corps"})
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	for i, p := range ru[:4] {
		c := outpost.Checkin{RollCall: rc.ID, Person: p.ID, Status: outpost.Safe, Via: "cli"}
		if i == 3 {
			c.Status, c.Note = outpost.NeedHelp, "Out of insulin since Monday; the clinic has none."
		}
		if err := wf.CheckIn(ctx, op, c); err != nil {
			return false, fmt.Errorf("demo: check-in of %s: %w", p.ID, err)
		}
	}
	if _, err := wf.OpenCase(ctx, op, welfare.CaseRequest{Person: ru[3].ID, Precedence: string(outpost.Priority),
		Need: "Insulin-dependent diabetes; no insulin left in Pyongyang. Evacuate on the next departure."}); err != nil {
		return false, fmt.Errorf("demo: medical case: %w", err)
	}
	ev, err := a.evacuation(ctx)
	if err != nil {
		return false, err
	}
	if _, err := ev.Make(ctx, op, demoDay); err != nil {
		return false, fmt.Errorf("demo: evacuation plan: %w", err)
	}
	_, err = db.InitConfig(ctx, "demo_seeded", demoDay)
	return err == nil, err
}
