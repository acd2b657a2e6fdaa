package main

import (
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/spf13/cobra"
)

// warnFlagged says on stderr that a recorded checkpoint cannot follow
// the person's status: it is kept, flagged for review.
func (a *app) warnFlagged(ev outpost.Event) {
	if ev.Flag != "" {
		fmt.Fprintf(a.stderr, "warning: event %d of %s: %s; recorded and flagged for review (amend or void it if it is wrong)\n", ev.ID, ev.Person, ev.Flag)
	}
}

// eventArg reads the EVENT argument of a correction.
func eventArg(s string) (int64, error) {
	id, err := registry.EventID(s)
	if err != nil {
		return 0, usagef("EVENT %q: want an event's id, a whole number (see outpost people show PERSON --json)", outpost.Clip(s))
	}
	return id, nil
}

// onEvent runs a correction (amend, void) on the event of its EVENT
// argument in a session. A checkpoint instead of an event is
// `outpost track amend departed`: a person whose id is the command's
// name, as INTERFACES.md's track PERSON CHECKPOINT, recorded with the
// --at, --note and --json flags the pointers read once they are parsed.
func (a *app) onEvent(at, note *string, asJSON *bool, run func(cmd *cobra.Command, s session, id int64) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, as []string) error {
		if isCheckpoint(as[0]) {
			return a.recordCheckpoint(cmd, cmd.Name(), as[0], *at, *note, *asJSON)
		}
		id, err := eventArg(as[0])
		if err != nil {
			return err
		}
		s, err := a.session(cmd)
		if err != nil {
			return err
		}
		return run(cmd, s, id)
	}
}

func (a *app) amendCommand() *cobra.Command {
	var at, checkpoint, status, note, reason string
	var asJSON bool
	c := &cobra.Command{
		Use:   "amend EVENT --reason TEXT [--at TIME] [--checkpoint C] [--status S] [--note TEXT]",
		Short: "Correct a recorded presence event (a wrong time or checkpoint), keeping the original",
		Long: `Replace a recorded event by one with the fields given; the others stay as
they were. The original is kept, marked amended (by whom, when, why) and
naming its replacement; the audit log keeps both, and the census follows.
--status is for an imported status (an event without a checkpoint).`,
		Example: `  outpost track amend 42 --at 2021-02-25T09:30 --reason "scanned an hour late"
  outpost track amend 42 --checkpoint departed --reason "the bus had not crossed yet"`,
		Args: args("EVENT"),
		RunE: a.onEvent(&at, &note, &asJSON, func(cmd *cobra.Command, s session, id int64) error {
			req := registry.AmendRequest{At: at, Checkpoint: checkpoint, Status: status, Reason: reason}
			if cmd.Flags().Changed("note") {
				req.Note = &note
			}
			loc, err := a.location(s.ctx)
			if err != nil {
				return err
			}
			ev, err := a.registry(s.db).Amend(s.ctx, s.caller, id, req)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(ev)
			}
			what := string(ev.Checkpoint)
			if what == "" {
				what = "status"
			}
			fmt.Fprintf(a.stdout, "event %d amended: %s %s at %s (event %d): now %s\n", id, ev.Person, what, ev.At.In(loc).Format(time.RFC3339), ev.ID, ev.Status)
			a.warnFlagged(ev)
			return nil
		}),
	}
	c.Flags().StringVar(&reason, "reason", "", "why the event is corrected (required)")
	c.Flags().StringVar(&at, "at", "", "the right time (RFC 3339, YYYY-MM-DDTHH:MM in the post's zone, or a date = end of day)")
	c.Flags().StringVar(&checkpoint, "checkpoint", "", "the right checkpoint")
	c.Flags().StringVar(&status, "status", "", "the right status, for an imported status")
	c.Flags().StringVar(&note, "note", "", "the note the replacement keeps")
	c.Flags().BoolVar(&asJSON, "json", false, "print the replacement as JSON")
	return c
}

func (a *app) voidCommand() *cobra.Command {
	var reason, at, note string
	var asJSON bool
	c := &cobra.Command{
		Use:   "void EVENT --reason TEXT",
		Short: "Take a wrong presence event out of the history, keeping it marked voided",
		Long: `Void a recorded event: it stays in the person's history, marked voided
(by whom, when, why), and no longer counts anywhere.`,
		Example: `  outpost track void 42 --reason "scanned the wrong badge"`,
		Args:    args("EVENT"),
		RunE: a.onEvent(&at, &note, &asJSON, func(_ *cobra.Command, s session, id int64) error {
			c, err := a.registry(s.db).Void(s.ctx, s.caller, id, registry.VoidRequest{Reason: reason})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(c)
			}
			fmt.Fprintf(a.stdout, "event %d voided: %s %s, no longer counted\n", id, c.Person, orStatus(c.Event))
			return nil
		}),
	}
	c.Flags().StringVar(&reason, "reason", "", "why the event is voided (required)")
	// --at and --note serve `outpost track void CHECKPOINT` for a person
	// whose id is "void".
	c.Flags().StringVar(&at, "at", "", "when, for a person whose id is \"void\"")
	c.Flags().StringVar(&note, "note", "", "a note, for a person whose id is \"void\"")
	_ = c.Flags().MarkHidden("at")
	_ = c.Flags().MarkHidden("note")
	c.Flags().BoolVar(&asJSON, "json", false, "print the voided event as JSON")
	return c
}

// orStatus names an event: its checkpoint, or the status it recorded.
func orStatus(e outpost.Event) string {
	if e.Checkpoint != "" {
		return string(e.Checkpoint)
	}
	return "status " + string(e.Status)
}
