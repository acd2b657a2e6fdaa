package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/scenarios"
	"github.com/spf13/cobra"
)

// demoDB is where `outpost demo` keeps the scenario unless --db is given.
const demoDB = "outpost-demo.db"

// scenarioOrder is the order in which a scenario's files load: what a file
// refers to loads before it.
var scenarioOrder = []string{"missions", "people", "tracks", "items", "stock", "usage", "departures", "restrictions"}

func (a *app) demoCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "demo",
		Short: "Load the Pyongyang 2020–21 scenario into " + demoDB + " and show it",
		Long: `Load the embedded demo scenario — the foreign community of Pyongyang
sealed in by COVID restrictions in 2020–21 — into ` + demoDB + ` (or --db),
once, then show the census of 1 April 2021 and of today.`,
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("db") && !envSet("OUTPOST_DB") {
				a.dsn = demoDB
			}
			ctx := outpost.WithActor(cmd.Context(), "demo")
			loaded, err := a.loadScenario(ctx, scenarios.Pyongyang, "pyongyang-2021")
			if err != nil {
				return err
			}
			if loaded {
				fmt.Fprintf(a.stdout, "Loaded the Pyongyang 2020–21 scenario into %s.\n\n", a.dsn)
			} else {
				fmt.Fprintf(a.stdout, "The Pyongyang 2020–21 scenario is already in %s.\n\n", a.dsn)
			}
			pop, err := a.population(ctx)
			if err != nil {
				return err
			}
			t, _, err := a.asOf(ctx, "--as-of", "2021-04-01")
			if err != nil {
				return err
			}
			a.printCensus(pop.At(t))
			fmt.Fprintln(a.stdout)
			now, _, _ := a.asOf(ctx, "--as-of", "")
			a.printCensus(pop.At(now))
			return nil
		},
	}
	return c
}

// loadScenario imports a scenario folder once; it reports false when the
// database already holds it.
func (a *app) loadScenario(ctx context.Context, fsys fs.FS, dir string) (bool, error) {
	db, err := a.open(ctx)
	if err != nil {
		return false, err
	}
	if v, err := db.Config(ctx, "scenario"); err != nil || v != "" {
		return false, err
	}
	if err := db.SetConfig(ctx, "timezone", "Asia/Pyongyang"); err != nil {
		return false, err
	}
	kinds := a.importKinds()
	for _, kind := range scenarioOrder {
		name := dir + "/" + kind + ".csv"
		f, err := fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, err
		}
		if kind == "tracks" {
			err = a.loadTracks(ctx, f, name)
		} else if fn, ok := kinds[kind]; ok {
			_, err = fn(ctx, f, importer.Options{File: name})
		}
		f.Close()
		if err != nil {
			return false, fmt.Errorf("loading %s: %w", name, err)
		}
	}
	return true, db.SetConfig(ctx, "scenario", dir)
}

// loadTracks records the checkpoints of a scenario's tracks.csv (person,
// checkpoint, at, note).
func (a *app) loadTracks(ctx context.Context, r io.Reader, name string) error {
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	loc, err := a.location(ctx)
	if err != nil {
		return err
	}
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		at, err := outpost.ParseTime(get("at"), loc)
		if err != nil {
			return fmt.Errorf("%s:%d: at: %w", name, line, err)
		}
		if _, err := db.Track(ctx, outpost.Track{Person: get("person"), Checkpoint: outpost.Checkpoint(get("checkpoint")),
			At: at.Truncate(time.Second), Note: get("note")}); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
}
