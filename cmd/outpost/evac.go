package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/evac"
	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/spf13/cobra"
)

func (a *app) evacImportKinds() map[string]importFunc {
	return map[string]importFunc{
		"departures": func(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
			db, err := a.open(ctx)
			if err != nil {
				return outpost.ImportStats{}, err
			}
			loc, err := a.location(ctx)
			if err != nil {
				return outpost.ImportStats{}, err
			}
			return doImport(ctx, importer.Departures(loc), r, opts, db.ImportDepartures)
		},
		"restrictions": func(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
			db, err := a.open(ctx)
			if err != nil {
				return outpost.ImportStats{}, err
			}
			return doImport(ctx, importer.Restrictions(), r, opts, db.ImportRestrictions)
		},
	}
}

func (a *app) evacCommands() []*cobra.Command {
	c := &cobra.Command{Use: "evac", Short: "Plan departures, print manifests and track who got out", GroupID: "evac"}
	c.AddCommand(a.evacPlanCommand(), a.evacPlansCommand(), a.evacShowCommand(), a.evacManifestCommand(),
		a.evacBoardCommand(), a.evacDeparturesCommand(), a.evacRestrictionsCommand())
	return []*cobra.Command{c}
}

// planInput gathers the planner's input for a start date: everyone in the
// country at the start of that day (in the post's zone), the departures on
// or after it whose crossing is open, and every mission's minimum staff.
// An open medical case raises a person's level (urgent 3, priority 2,
// routine 1) when it is higher than the imported one.
func (a *app) planInput(ctx context.Context, start outpost.Date) (evac.Input, []evac.Excluded, error) {
	db, err := a.open(ctx)
	if err != nil {
		return evac.Input{}, nil, err
	}
	loc, err := a.location(ctx)
	if err != nil {
		return evac.Input{}, nil, err
	}
	startT := start.Start(loc)
	before := startT.Unix() - 1
	status := map[string]outpost.Status{}
	if err := db.Presence(ctx, func(p outpost.Presence) error {
		status[p.Person] = census.StatusAt(p.History, before)
		return nil
	}); err != nil {
		return evac.Input{}, nil, err
	}
	people, err := db.People(ctx, outpost.PeopleFilter{})
	if err != nil {
		return evac.Input{}, nil, err
	}
	levels, err := db.MedicalLevels(ctx)
	if err != nil {
		return evac.Input{}, nil, err
	}
	in := evac.Input{Start: startT}
	date := func(d outpost.Date) time.Time {
		if d == "" {
			return time.Time{}
		}
		return d.Start(loc)
	}
	for _, p := range people {
		if status[p.ID] != outpost.InCountry {
			continue
		}
		in.People = append(in.People, evac.Person{ID: p.ID, Household: p.Household, Nationality: p.Nationality,
			Mission: p.Mission, Essential: p.Essential, Medical: max(p.Medical, levels[p.ID]),
			BirthDate: date(p.BirthDate), Ready: date(p.Ready)})
	}
	ms, err := db.Missions(ctx)
	if err != nil {
		return evac.Input{}, nil, err
	}
	for _, m := range ms {
		in.Missions = append(in.Missions, evac.Mission{Code: m.Code, MinStaff: m.MinStaff})
	}
	deps, err := db.Departures(ctx)
	if err != nil {
		return evac.Input{}, nil, err
	}
	var all []evac.Departure
	for _, d := range deps {
		all = append(all, evac.Departure{ID: d.ID, Date: d.Departs.In(loc), Seats: d.Seats, Crossing: d.Crossing, Eligible: d.Eligible})
	}
	rs, err := db.Restrictions(ctx)
	if err != nil {
		return evac.Input{}, nil, err
	}
	var closures []evac.Closure
	for _, r := range rs {
		if r.Kind == "border_closure" {
			closures = append(closures, evac.Closure{ID: r.ID, Crossing: r.Crossing, Starts: date(r.Starts), Ends: date(r.Ends)})
		}
	}
	usable, excluded := evac.UsableDepartures(startT, all, closures)
	in.Departures = usable
	return in, excluded, nil
}

// makePlan plans for a start date and returns the plan as saved.
func (a *app) makePlan(ctx context.Context, start outpost.Date) (outpost.PlanDoc, error) {
	in, excluded, err := a.planInput(ctx, start)
	if err != nil {
		return outpost.PlanDoc{}, err
	}
	p, err := evac.Solve(in, evac.Options{})
	if err != nil {
		return outpost.PlanDoc{}, outpost.Errorf(outpost.EINVALID, "cannot plan: %v", err)
	}
	doc := outpost.PlanDoc{Start: string(start), Score: p.Score, Bound: p.Bound,
		Assignments: []outpost.PlanAssignment{}, Staying: []outpost.PlanStaying{},
		Unassigned: []outpost.PlanUnassigned{}, ExcludedDepartures: []outpost.PlanExcluded{}}
	for _, x := range p.Assignments {
		doc.Assignments = append(doc.Assignments, outpost.PlanAssignment{Departure: x.Departure, Household: x.Household, People: x.People})
	}
	for _, x := range p.Staying {
		doc.Staying = append(doc.Staying, outpost.PlanStaying{Person: x.Person, Reason: x.Reason})
	}
	for _, x := range p.Unassigned {
		doc.Unassigned = append(doc.Unassigned, outpost.PlanUnassigned{Household: x.Household, Reason: x.Reason})
	}
	for _, x := range excluded {
		doc.ExcludedDepartures = append(doc.ExcludedDepartures, outpost.PlanExcluded{Departure: x.Departure, Reason: x.Reason})
	}
	db, _ := a.open(ctx)
	return db.SavePlan(ctx, doc)
}

func (a *app) evacPlanCommand() *cobra.Command {
	var start string
	var asJSON bool
	c := &cobra.Command{
		Use:   "plan --start DATE",
		Short: "Plan who leaves on which departure, and prove how close to the best plan it is",
		Long: `Plan for everyone in the country at the start of DATE over every departure
on or after it whose crossing is open that day. Households travel whole;
seats, nationality eligibility, ready dates and each mission's minimum
essential staff are respected; the sick, children and the earliest seats
come first (INTERFACES.md defines the score). The plan is saved; its
bound is a proven upper limit on any valid plan's score. Without --json
the plan's id is printed alone on the last line.`,
		Example: `  outpost evac plan --start 2021-02-25
  outpost evac plan --start 2021-02-25 --json > plan.json`,
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := outpost.WithActor(cmd.Context(), "cli")
			if start == "" {
				return usagef("evac plan: --start DATE is required")
			}
			d, err := outpost.ParseDate(start)
			if err != nil {
				return usagef("--start %q: %v", start, err)
			}
			began := time.Now()
			doc, err := a.makePlan(ctx, d)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(doc)
			}
			a.printPlan(doc, time.Since(began))
			fmt.Fprintf(a.stdout, "%d\n", doc.Plan)
			return nil
		},
	}
	c.Flags().StringVar(&start, "start", "", "plan from the start of this day (YYYY-MM-DD)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON document")
	return c
}

func (a *app) printPlan(doc outpost.PlanDoc, took time.Duration) {
	people := 0
	per := map[string]int{}
	var order []string
	for _, x := range doc.Assignments {
		people += len(x.People)
		if _, ok := per[x.Departure]; !ok {
			order = append(order, x.Departure)
		}
		per[x.Departure] += len(x.People)
	}
	ratio := 100.0
	if doc.Bound > 0 {
		ratio = 100 * float64(doc.Score) / float64(doc.Bound)
	}
	fmt.Fprintf(a.stdout, "Plan %d from %s: %d people in %d households on %d departures.\n",
		doc.Plan, doc.Start, people, len(doc.Assignments), len(order))
	fmt.Fprintf(a.stdout, "Score %d, proven bound %d: within %.2f%% of the best possible", doc.Score, doc.Bound, 100-ratio)
	if took > 0 {
		fmt.Fprintf(a.stdout, " (planned in %s)", took.Round(time.Millisecond))
	}
	fmt.Fprintln(a.stdout, ".")
	fmt.Fprintln(a.stdout)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPARTURE\tPEOPLE")
	for _, d := range order {
		fmt.Fprintf(tw, "%s\t%6d\n", d, per[d])
	}
	tw.Flush()
	if len(doc.Staying) > 0 {
		fmt.Fprintf(a.stdout, "\n%d essential people stay for their mission's minimum staff.\n", len(doc.Staying))
	}
	if len(doc.Unassigned) > 0 {
		reasons := map[string]int{}
		for _, u := range doc.Unassigned {
			reasons[u.Reason]++
		}
		var keys []string
		for k := range reasons {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(a.stdout, "\n%d households not placed:\n", len(doc.Unassigned))
		for _, k := range keys {
			fmt.Fprintf(a.stdout, "  %5d  %s\n", reasons[k], k)
		}
	}
	for _, x := range doc.ExcludedDepartures {
		fmt.Fprintf(a.stdout, "Departure %s not used: %s\n", x.Departure, x.Reason)
	}
}

func (a *app) evacPlansCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "plans",
		Short: "List saved plans, newest first",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			ps, err := db.Plans(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"plans": ps})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PLAN\tSTART\tPEOPLE\tSCORE\tBOUND\tMADE\tBY")
			for _, p := range ps {
				fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%s\t%s\n", p.ID, p.Start, p.People, p.Score, p.Bound, p.CreatedAt.Format("2006-01-02 15:04"), p.CreatedBy)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

func (a *app) evacShowCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show PLAN",
		Short: "Show a saved plan",
		Args:  args("PLAN"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := parseID("plan id", as[0])
			if err != nil {
				return err
			}
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			doc, err := db.Plan(cmd.Context(), id)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(doc)
			}
			a.printPlan(doc, 0)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON document")
	return c
}

// manifest returns the passengers of one departure in a saved plan.
func (a *app) manifest(ctx context.Context, planID int64, departure string) (report.Manifest, error) {
	db, err := a.open(ctx)
	if err != nil {
		return report.Manifest{}, err
	}
	doc, err := db.Plan(ctx, planID)
	if err != nil {
		return report.Manifest{}, err
	}
	dep, err := db.Departure(ctx, departure)
	if err != nil {
		return report.Manifest{}, err
	}
	loc, err := a.location(ctx)
	if err != nil {
		return report.Manifest{}, err
	}
	levels, err := db.MedicalLevels(ctx)
	if err != nil {
		return report.Manifest{}, err
	}
	m := report.Manifest{Plan: planID, Departure: dep.ID, Route: dep.Route, Departs: dep.Departs.In(loc),
		Seats: dep.Seats, Crossing: dep.Crossing}
	found := false
	for _, x := range doc.Assignments {
		if x.Departure != departure {
			continue
		}
		found = true
		for _, id := range x.People {
			p, err := db.Person(ctx, id)
			if err != nil {
				return m, err
			}
			m.Passengers = append(m.Passengers, report.Passenger{Household: x.Household, ID: p.ID,
				FamilyName: p.FamilyName, GivenName: p.GivenName, Nationality: p.Nationality,
				BirthDate: string(p.BirthDate), Passport: p.Passport, Medical: max(p.Medical, levels[p.ID])})
		}
	}
	if !found {
		return m, outpost.Errorf(outpost.ENOTFOUND, "plan %d puts nobody on departure %s", planID, departure)
	}
	sort.SliceStable(m.Passengers, func(i, j int) bool {
		if m.Passengers[i].Household != m.Passengers[j].Household {
			return m.Passengers[i].Household < m.Passengers[j].Household
		}
		return m.Passengers[i].ID < m.Passengers[j].ID
	})
	return m, nil
}

func (a *app) evacManifestCommand() *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "manifest PLAN DEPARTURE",
		Short: "Write a departure's passenger list (CSV or a printable PDF)",
		Example: `  outpost evac manifest 7 TRAIN-0225 > manifest.csv
  outpost evac manifest 7 TRAIN-0225 --format pdf --out manifest.pdf`,
		Args: args("PLAN", "DEPARTURE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			id, err := parseID("plan id", as[0])
			if err != nil {
				return err
			}
			if format != "csv" && format != "pdf" {
				return usagef("--format %q: want csv or pdf", format)
			}
			m, err := a.manifest(cmd.Context(), id, as[1])
			if err != nil {
				return err
			}
			w := io.Writer(a.stdout)
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return outpost.Errorf(outpost.EINVALID, "cannot write %s: %v", out, unwrapPathError(err))
				}
				defer f.Close()
				w = f
			}
			if format == "pdf" {
				return report.ManifestPDF(w, m)
			}
			return report.ManifestCSV(w, m)
		},
	}
	c.Flags().StringVar(&format, "format", "csv", "csv or pdf")
	c.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	return c
}

// boardRow is one manifested passenger on the tracking board.
type boardRow struct {
	Person     string    `json:"person"`
	Household  string    `json:"household"`
	Name       string    `json:"name"`
	Checkpoint string    `json:"checkpoint"`
	At         time.Time `json:"at,omitempty"`
	Status     string    `json:"status"`
	// Unaccounted is true when the departure has left but the person has
	// no departed, crossed or arrived checkpoint.
	Unaccounted bool `json:"unaccounted"`
}

func (a *app) evacBoardCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "board PLAN DEPARTURE",
		Short: "Track a departure: who is manifested, assembled, departed, crossed, arrived, unaccounted for",
		Args:  args("PLAN", "DEPARTURE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			id, err := parseID("plan id", as[0])
			if err != nil {
				return err
			}
			m, err := a.manifest(ctx, id, as[1])
			if err != nil {
				return err
			}
			db, _ := a.open(ctx)
			doc, _ := db.Plan(ctx, id)
			loc, _ := a.location(ctx)
			since := outpost.Date(doc.Start).Start(loc)
			now := a.now()
			var rows []boardRow
			counts := map[string]int{}
			for _, p := range m.Passengers {
				r := boardRow{Person: p.ID, Household: p.Household, Name: p.GivenName + " " + p.FamilyName, Checkpoint: "manifested"}
				evs, err := db.Events(ctx, p.ID)
				if err != nil {
					return err
				}
				for _, e := range evs {
					r.Status = string(e.Status)
					if e.Checkpoint != "" && !e.At.Before(since) {
						r.Checkpoint, r.At = string(e.Checkpoint), e.At.In(loc)
					}
				}
				gone := r.Checkpoint == "departed" || r.Checkpoint == "crossed" || r.Checkpoint == "arrived"
				r.Unaccounted = now.After(m.Departs) && !gone
				counts[r.Checkpoint]++
				if r.Unaccounted {
					counts["unaccounted"]++
				}
				rows = append(rows, r)
			}
			if asJSON {
				return a.printJSON(map[string]any{"plan": id, "departure": m.Departure, "departs": m.Departs, "counts": counts, "people": rows})
			}
			fmt.Fprintf(a.stdout, "%s  %s  departs %s\n", m.Departure, m.Route, m.Departs.Format("2006-01-02 15:04 MST"))
			var parts []string
			for _, k := range []string{"manifested", "assembled", "departed", "crossed", "arrived", "returned", "unaccounted"} {
				if counts[k] > 0 {
					parts = append(parts, strconv.Itoa(counts[k])+" "+k)
				}
			}
			fmt.Fprintf(a.stdout, "%d people: %s\n\n", len(rows), strings.Join(parts, ", "))
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PERSON\tHOUSEHOLD\tNAME\tLAST CHECKPOINT\tAT\t")
			for _, r := range rows {
				at, flag := "", ""
				if !r.At.IsZero() {
					at = r.At.Format("2006-01-02 15:04")
				}
				if r.Unaccounted {
					flag = "UNACCOUNTED FOR"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Person, r.Household, r.Name, r.Checkpoint, at, flag)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

func (a *app) evacDeparturesCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "departures",
		Short: "List departures",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			ds, err := db.Departures(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"departures": ds})
			}
			loc, err := a.location(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDEPARTS\tSEATS\tCROSSING\tELIGIBLE\tROUTE")
			for _, d := range ds {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, d.Departs.In(loc).Format("2006-01-02 15:04"), d.Seats, d.Crossing, strings.Join(d.Eligible, " "), d.Route)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

func (a *app) evacRestrictionsCommand() *cobra.Command {
	var asJSON bool
	var on string
	c := &cobra.Command{
		Use:   "restrictions",
		Short: "List the host country's restrictions (--on DATE: those in force that day)",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			rs, err := db.Restrictions(cmd.Context())
			if err != nil {
				return err
			}
			if on != "" {
				d, err := outpost.ParseDate(on)
				if err != nil {
					return usagef("--on %q: %v", on, err)
				}
				kept := rs[:0]
				for _, r := range rs {
					if r.InForce(d) {
						kept = append(kept, r)
					}
				}
				rs = kept
			}
			if asJSON {
				return a.printJSON(map[string]any{"restrictions": rs})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tCROSSING\tFROM\tTO\tNOTE")
			for _, r := range rs {
				to := string(r.Ends)
				if to == "" {
					to = "in force"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Crossing, r.Starts, to, r.Note)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	c.Flags().StringVar(&on, "on", "", "only those in force on this date")
	return c
}
