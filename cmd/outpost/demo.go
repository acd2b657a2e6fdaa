package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/scenarios"
	"github.com/spf13/cobra"
)

// demoDB is where `outpost demo` keeps the scenario unless --db is given.
const demoDB = "outpost-demo.db"

// scenarioOrder is the order in which a scenario's files load: what a file
// refers to loads before it.
var scenarioOrder = []string{"missions", "mission_status", "people", "tracks", "items", "stock", "usage", "departures", "restrictions", "statements"}

// demoUser is a sign-in that `outpost demo` makes for one role.
type demoUser struct {
	name, role, mission, what string
}

// demoUsers are the demo's sign-ins: one per role, the mission-bound ones
// of the Russian embassy, whose departures the scenario follows.
var demoUsers = []demoUser{
	{"admin", "admin", "", "admin: everything"},
	{"coordinator", "coordinator", "", "coordinator: every mission's numbers"},
	{"ru-manager", "manager", "RU", "manager of RU"},
	{"ru-staff", "staff", "RU", "staff of RU"},
	{"ru-press", "press", "RU", "press officer of RU"},
}

func (a *app) demoCommand() *cobra.Command {
	var f serveFlags
	var noServe bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "Load the Pyongyang 2020–21 scenario into " + demoDB + " and serve it",
		Long: `Load the embedded demo scenario — the foreign community of Pyongyang
sealed in by COVID restrictions in 2020–21 — into ` + demoDB + ` (or --db),
once, show the census of 1 April 2021 and of today, then serve the web UI
and print its address and a sign-in for each role (new passwords on every
run). --no-serve stops after the census and the sign-ins.`,
		Example: `  outpost demo
  outpost demo --addr 127.0.0.1:9090
  outpost demo --no-serve`,
		GroupID: "admin",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("db") && !envSet("OUTPOST_DB") {
				a.dsn = demoDB
			}
			if cmd.Flags().Changed("page-date") && !cmd.Flags().Changed("banner") {
				// The banner names the story's day: not that of other pages.
				f.banner = ""
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
			if _, err := a.seedDemo(ctx); err != nil {
				return err
			}
			pop, err := a.population(ctx)
			if err != nil {
				return err
			}
			t, _, err := a.asOf(ctx, "--as-of", demoDay)
			if err != nil {
				return err
			}
			a.printCensus(pop.At(t))
			fmt.Fprintln(a.stdout)
			now, _, _ := a.asOf(ctx, "--as-of", "")
			a.printCensus(pop.At(now))
			fmt.Fprintln(a.stdout)
			passwords, err := a.demoSignIns(ctx)
			if err != nil {
				return err
			}
			if noServe {
				a.printSignIns("", passwords)
				return nil
			}
			return a.serve(cmd.Context(), f, func(url string) {
				a.printSignIns(url, passwords)
				if f.pageDate == demoDay {
					fmt.Fprintf(a.stdout, "\nThe pages open on 1 April 2021, the census the Moscow Times reported: %s\n", url)
				} else {
					fmt.Fprintf(a.stdout, "\nThe census the Moscow Times reported on 1 April 2021: %s?as_of=2021-04-01\n", url)
				}
				fmt.Fprintln(a.stdout, "Press Ctrl+C to stop.")
			})
		},
	}
	// The pages open on the story's day and say that the data ends in
	// 2021; --page-date= (empty) shows today instead.
	f.pageDate, f.banner = demoDay, demoBanner
	f.add(c)
	c.Flags().BoolVar(&noServe, "no-serve", false, "load and print the sign-ins, but do not serve")
	return c
}

// demoSignIns makes the demo users that are missing and gives every one a
// new password; it returns the passwords by user name.
func (a *app) demoSignIns(ctx context.Context) (map[string]string, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range demoUsers {
		pw := auth.GeneratePassword()
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return nil, err
		}
		_, err = db.User(ctx, d.name)
		switch {
		case outpost.ErrorCode(err) == outpost.ENOTFOUND:
			_, err = db.CreateUser(ctx, outpost.User{Name: d.name, Role: outpost.Role(d.role), Mission: d.mission}, hash)
		case err == nil:
			err = db.SetPassword(ctx, d.name, hash)
		}
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", d.name, err)
		}
		out[d.name] = pw
	}
	return out, nil
}

// printSignIns prints the address to open and the demo's sign-ins.
func (a *app) printSignIns(url string, passwords map[string]string) {
	if url != "" {
		fmt.Fprintf(a.stdout, "Open %s and sign in as one of:\n\n", url)
	} else {
		fmt.Fprintf(a.stdout, "Sign-ins for `outpost serve --db %s`:\n\n", a.dsn)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  USER\tPASSWORD\tROLE")
	for _, d := range demoUsers {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.name, passwords[d.name], d.what)
	}
	tw.Flush()
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
		} else if kind == "mission_status" {
			err = a.loadMissionStatus(ctx, f, name)
		} else if kind == "statements" {
			err = a.loadStatements(ctx, f, name)
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

// eachScenarioRow calls fn with a getter for each data row of a
// scenario CSV file (columns by header name); an error is located as
// FILE:LINE.
func eachScenarioRow(r io.Reader, name string, fn func(get func(string) string) error) error {
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
		if err == nil {
			err = fn(func(k string) string {
				if i, ok := col[k]; ok && i < len(rec) {
					return rec[i]
				}
				return ""
			})
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
}

// eachScenarioRecord calls record for each row of a scenario's file with
// the store and the post's time zone, in which the file's times are read.
func (a *app) eachScenarioRecord(ctx context.Context, r io.Reader, name string, record func(db *store.DB, loc *time.Location, get func(string) string) error) error {
	db, err := a.open(ctx)
	if err != nil {
		return err
	}
	loc, err := a.location(ctx)
	if err != nil {
		return err
	}
	return eachScenarioRow(r, name, func(get func(string) string) error { return record(db, loc, get) })
}

// loadTracks records the checkpoints of a scenario's tracks.csv (person,
// checkpoint, at, note).
func (a *app) loadTracks(ctx context.Context, r io.Reader, name string) error {
	return a.eachScenarioRecord(ctx, r, name, func(db *store.DB, loc *time.Location, get func(string) string) error {
		at, err := outpost.ParseTime(get("at"), loc)
		if err != nil {
			return fmt.Errorf("at: %w", err)
		}
		_, err = db.Track(ctx, outpost.Track{Person: get("person"), Checkpoint: outpost.Checkpoint(get("checkpoint")),
			At: at.Truncate(time.Second), Note: get("note")})
		return err
	})
}
