package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/spf13/cobra"
)

// missionsStatusCommand records a change of a mission's status.
func (a *app) missionsStatusCommand() *cobra.Command {
	var since, note string
	c := &cobra.Command{
		Use:   "status CODE STATUS --since DATE [--note TEXT]",
		Short: "Record that a mission took a status (open, reduced, suspended, closed) on a date",
		Long: `Record that a mission took a status on a date (YYYY-MM-DD: from the start
of that day in the post's time zone; or a time). The history keeps every
change: the census, dashboard and situation report of a date show the
status of then, and the mission's status now is that of its latest change.`,
		Example: `  outpost missions status GB closed --since 2020-05-27 --note "staff left overland to China"`,
		Args:    args("CODE", "STATUS"),
		RunE: func(cmd *cobra.Command, as []string) error {
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			m, err := a.registry(s.db).SetMissionStatus(s.ctx, s.caller, as[0], registry.StatusChangeRequest{Status: as[1], Since: since, Note: note})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s %s since %s; its status now: %s\n", m.Code, as[1], since, m.Status)
			return nil
		},
	}
	c.Flags().StringVar(&since, "since", "", "the date (or time) the status took effect (required)")
	c.Flags().StringVar(&note, "note", "", "why, in a few words")
	return c
}

// missionsHistoryCommand prints a mission's status history.
func (a *app) missionsHistoryCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "history CODE [--json]",
		Short: "Print a mission's status history, oldest first",
		Args:  args("CODE"),
		RunE: func(cmd *cobra.Command, as []string) error {
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			h, err := a.registry(s.db).MissionHistory(s.ctx, s.caller, as[0])
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"mission": as[0], "history": h})
			}
			loc, err := a.location(s.ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SINCE\tSTATUS\tNOTE\tRECORDED BY")
			for _, c := range h {
				when := "the beginning"
				if t := c.Since.In(loc); !c.Since.IsZero() {
					when = t.Format(time.DateOnly)
					if t.Hour() != 0 || t.Minute() != 0 {
						when = t.Format("2006-01-02T15:04")
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", when, c.Status, c.Note, c.Actor)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}
