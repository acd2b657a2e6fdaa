package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
	"github.com/outpost-org/outpost/internal/service/evacuation"
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

// evacuation returns the evacuation service over the store. The post's
// time zone is the command line's, which refuses an unknown zone rather
// than planning in UTC.
func (a *app) evacuation(ctx context.Context) (*evacuation.Service, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	return evacuation.New(db, a.now, a.location), nil
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
			if start == "" {
				return usagef("evac plan: --start DATE is required")
			}
			d, err := outpost.ParseDate(start)
			if err != nil {
				return usagef("--start %q: %v", start, err)
			}
			svc, err := a.evacuation(cmd.Context())
			if err != nil {
				return err
			}
			began := time.Now()
			doc, err := svc.Make(cmd.Context(), outpost.Operator("cli"), d)
			if err != nil {
				return err
			}
			took := time.Since(began)
			if asJSON {
				return a.printJSON(doc)
			}
			summary, err := planSummary(cmd.Context(), svc, doc.Plan)
			if err != nil {
				return err
			}
			a.printPlan(doc, summary, took)
			fmt.Fprintf(a.stdout, "%d\n", doc.Plan)
			return nil
		},
	}
	c.Flags().StringVar(&start, "start", "", "plan from the start of this day (YYYY-MM-DD)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON document")
	return c
}

// planSummary is the saved plan in plain words, the lines the plan page
// opens with.
func planSummary(ctx context.Context, svc *evacuation.Service, id int64) ([]string, error) {
	v, err := svc.Plan(ctx, outpost.Operator("cli"), id)
	if err != nil {
		return nil, err
	}
	return v.Summary.Lines(), nil
}

func (a *app) printPlan(doc outpost.PlanDoc, summary []string, took time.Duration) {
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
	for _, line := range summary {
		fmt.Fprintln(a.stdout, line)
	}
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
			svc, err := a.evacuation(cmd.Context())
			if err != nil {
				return err
			}
			ps, err := svc.Plans(cmd.Context(), outpost.Operator("cli"))
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
			svc, err := a.evacuation(cmd.Context())
			if err != nil {
				return err
			}
			doc, err := svc.SavedPlan(cmd.Context(), outpost.Operator("cli"), id)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(doc)
			}
			summary, err := planSummary(cmd.Context(), svc, doc.Plan)
			if err != nil {
				return err
			}
			a.printPlan(doc, summary, 0)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the plan as one JSON document")
	return c
}

func (a *app) evacManifestCommand() *cobra.Command {
	var format, out string
	var bom bool
	c := &cobra.Command{
		Use:   "manifest PLAN DEPARTURE",
		Short: "Write a departure's passenger list (CSV or a printable PDF)",
		Example: `  outpost evac manifest 7 TRAIN-0225 > manifest.csv
  outpost evac manifest 7 TRAIN-0225 --bom --out manifest.csv   # for Excel on Windows
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
			if bom && format != "csv" {
				return usagef("--bom is for CSV, not --format %s", format)
			}
			svc, err := a.evacuation(cmd.Context())
			if err != nil {
				return err
			}
			m, err := svc.Manifest(cmd.Context(), outpost.Operator("cli"), id, as[1])
			if err != nil {
				return err
			}
			// A manifest holds passport numbers: the file is for its
			// owner only.
			return a.writeOut(out, 0o600, func(w io.Writer) error {
				if format == "pdf" {
					return report.ManifestPDF(w, m)
				}
				if err := export.StartCSV(w, bom); err != nil {
					return err
				}
				return report.ManifestCSV(w, m)
			})
		},
	}
	c.Flags().StringVar(&format, "format", "csv", "csv or pdf")
	c.Flags().BoolVar(&bom, "bom", false, bomUsage)
	c.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	return c
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
			svc, err := a.evacuation(ctx)
			if err != nil {
				return err
			}
			b, err := svc.Board(ctx, outpost.Operator("cli"), id, as[1])
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"plan": id, "departure": b.Departure, "departs": b.Departs, "counts": b.Counts, "people": b.People})
			}
			fmt.Fprintf(a.stdout, "%s  %s  departs %s\n", b.Departure, b.Route, b.Departs.Format("2006-01-02 15:04 MST"))
			var parts []string
			for _, k := range evacuation.BoardStages {
				if b.Counts[k] > 0 {
					parts = append(parts, strconv.Itoa(b.Counts[k])+" "+k)
				}
			}
			fmt.Fprintf(a.stdout, "%d people: %s\n\n", len(b.People), strings.Join(parts, ", "))
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PERSON\tHOUSEHOLD\tNAME\tLAST CHECKPOINT\tAT\t")
			for _, r := range b.People {
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
			svc, err := a.evacuation(cmd.Context())
			if err != nil {
				return err
			}
			ds, err := svc.DepartureRecords(cmd.Context(), outpost.Operator("cli"))
			if err != nil {
				return err
			}
			return a.listing(cmd.Context(), asJSON, "departures", ds, "ID\tDEPARTS\tSEATS\tCROSSING\tELIGIBLE\tROUTE", func(w io.Writer, loc *time.Location) {
				for _, d := range ds {
					fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, d.Departs.In(loc).Format("2006-01-02 15:04"), d.Seats, d.Crossing, strings.Join(d.Eligible, " "), d.Route)
				}
			})
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
			svc, err := a.evacuation(cmd.Context())
			if err != nil {
				return err
			}
			rs, err := svc.RestrictionRecords(cmd.Context(), outpost.Operator("cli"))
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
