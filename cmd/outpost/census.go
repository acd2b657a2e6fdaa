package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/spf13/cobra"
)

// population is everyone's presence history, as the census service
// holds it for the operator.
func (a *app) population(ctx context.Context) (*census.Population, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	snap, err := a.census(db).Read(ctx, outpost.Operator("cli"))
	if err != nil {
		return nil, err
	}
	return snap.Pop, nil
}

// asOf reads an --as-of value (a time, or a date meaning the end of that
// day); empty means now.
func (a *app) asOf(ctx context.Context, flag, s string) (time.Time, *time.Location, error) {
	loc, err := a.location(ctx)
	if err != nil {
		return time.Time{}, nil, err
	}
	if s == "" {
		return a.now().In(loc).Truncate(time.Second), loc, nil
	}
	t, err := outpost.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, nil, usagef("%s %q: %v", flag, s, err)
	}
	return t.In(loc), loc, nil
}

func (a *app) censusCommand() *cobra.Command {
	var asOf string
	var asJSON bool
	c := &cobra.Command{
		Use:   "census",
		Short: "Count who is in the country, now or at a past moment",
		Long: `Count the people in the country, in transit and gone, the heads of
mission present and the missions by status, with breakdowns by mission,
nationality and category. Each person counts with the status of their
latest event at or before the moment; --as-of takes a time or a date
(a date means the end of that day, in the post's time zone).`,
		Example: `  outpost census
  outpost census --as-of 2021-04-01
  outpost census --as-of 2021-02-25T08:00 --json`,
		GroupID: "registry",
		Args:    args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			t, _, err := a.asOf(ctx, "--as-of", asOf)
			if err != nil {
				return err
			}
			pop, err := a.population(ctx)
			if err != nil {
				return err
			}
			res := pop.At(t)
			if asJSON {
				return a.printJSON(res)
			}
			a.printCensus(res)
			return nil
		},
	}
	c.Flags().StringVar(&asOf, "as-of", "", "count at this time or date (default now)")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

func (a *app) printCensus(c census.Census) {
	w := a.stdout
	fmt.Fprintf(w, "Census as of %s\n\n", c.AsOf)
	fmt.Fprintf(w, "  In the country      %6d\n", c.InCountry)
	fmt.Fprintf(w, "  In transit          %6d\n", c.InTransit)
	fmt.Fprintf(w, "  Left                %6d\n", c.Left)
	fmt.Fprintf(w, "  Heads of mission    %6d\n", c.HeadsOfMissionInCountry)
	var ms []string
	for _, s := range outpost.MissionStatuses {
		ms = append(ms, fmt.Sprintf("%d %s", c.Missions[s], s))
	}
	fmt.Fprintf(w, "  Missions            %s\n\n", strings.Join(ms, ", "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MISSION\tSTATUS\tIN COUNTRY\tIN TRANSIT\t      LEFT\tHEAD PRESENT")
	for _, m := range c.ByMission {
		head := ""
		if m.HeadOfMissionInCountry {
			head = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%10d\t%10d\t%10d\t%s\n", m.Code, m.Status, m.InCountry, m.InTransit, m.Left, head)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NATIONALITY\tIN COUNTRY\t    \tCATEGORY\tIN COUNTRY")
	for i := 0; i < len(c.ByNationality) || i < len(c.ByCategory); i++ {
		var n1, n2, c1, c2 string
		if i < len(c.ByNationality) {
			n1, n2 = c.ByNationality[i].Nationality, fmt.Sprintf("%10d", c.ByNationality[i].InCountry)
		}
		if i < len(c.ByCategory) {
			c1, c2 = c.ByCategory[i].Category, fmt.Sprintf("%10d", c.ByCategory[i].InCountry)
		}
		fmt.Fprintf(tw, "%s\t%10s\t\t%s\t%10s\n", n1, n2, c1, c2)
	}
	tw.Flush()
}

func (a *app) trackCommand() *cobra.Command {
	var at, note, file string
	var asJSON bool
	c := &cobra.Command{
		Use:   "track PERSON CHECKPOINT | track --file SCANS.csv",
		Short: "Record a departure checkpoint: assembled, departed, crossed, arrived, returned",
		Long: `Record that a person passed a checkpoint. The census follows:
departed makes them in transit, crossed and arrived make them gone,
returned brings them back into the country; assembled keeps their status.

With --file, record a gate scanner's scans from a CSV file with the
columns person, checkpoint, at (required) and scan_id, note: each scan on
its own, as POST /api/v1/track does. A scan already recorded (same person,
checkpoint and second) is counted and not recorded again; the refused ones
are listed by line, and the command then exits 1.`,
		Example: `  outpost track RU-0007 departed --at 2021-02-25T09:30
  outpost track RU-0007 crossed --at 2021-02-26T11:00+09:00 --note "Tumen bridge on foot"
  outpost track --file gate2-scans.csv`,
		GroupID: "registry",
		Args: func(cmd *cobra.Command, got []string) error {
			if file != "" {
				if at != "" || note != "" {
					return usagef("%s --file: the times and notes are in the file, not --at or --note", cmd.CommandPath())
				}
				return args()(cmd, got)
			}
			return args("PERSON", "CHECKPOINT")(cmd, got)
		},
		ValidArgsFunction: func(cmd *cobra.Command, as []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(as) == 1 {
				return outpost.Checkpoints, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, as []string) error {
			if file != "" {
				return a.trackFile(cmd, file, asJSON)
			}
			return a.recordCheckpoint(cmd, as[0], as[1], at, note, asJSON)
		},
	}
	c.Flags().StringVar(&at, "at", "", "when (RFC 3339, YYYY-MM-DDTHH:MM in the post's zone, or a date = end of day; default now)")
	c.Flags().StringVar(&note, "note", "", "a note kept with the event")
	c.Flags().BoolVar(&asJSON, "json", false, "print the recorded event as JSON")
	c.Flags().StringVar(&file, "file", "", "record the scans of this CSV file (person,checkpoint,at[,scan_id][,note]) instead")
	c.AddCommand(a.amendCommand(), a.voidCommand())
	return c
}

// recordCheckpoint is `outpost track PERSON CHECKPOINT`.
func (a *app) recordCheckpoint(cmd *cobra.Command, person, checkpoint, at, note string, asJSON bool) error {
	ctx := cmd.Context()
	if !isCheckpoint(checkpoint) {
		return outpost.Errorf(outpost.EINVALID, "unknown checkpoint %q: want one of %s", checkpoint, strings.Join(outpost.Checkpoints, ", "))
	}
	cp := outpost.Checkpoint(checkpoint)
	t, loc, err := a.asOf(ctx, "--at", at)
	if err != nil {
		return err
	}
	if msg := outpost.CheckEventTime(t, time.Time{}, a.now()); msg != "" {
		return usagef("--at %q: %s", at, msg)
	}
	if msg := outpost.CheckText(note, outpost.MaxNote); msg != "" {
		return usagef("--note: %s", msg)
	}
	s, err := a.session(cmd)
	if err != nil {
		return err
	}
	ev, err := a.registry(s.db).Record(s.ctx, s.caller, outpost.Track{Person: person, Checkpoint: cp, At: t, Note: note})
	if err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(ev)
	}
	fmt.Fprintf(a.stdout, "%s %s at %s: now %s\n", ev.Person, cp, ev.At.In(loc).Format(time.RFC3339), ev.Status)
	a.warnFlagged(ev)
	return nil
}

// isCheckpoint reports whether s names a checkpoint.
func isCheckpoint(s string) bool {
	return slices.Contains(outpost.Checkpoints, s)
}
