package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/spf13/cobra"
)

func (a *app) peopleCommand() *cobra.Command {
	c := &cobra.Command{Use: "people", Short: "List and show people", GroupID: "registry"}
	c.AddCommand(a.peopleListCommand(), a.peopleShowCommand())
	return c
}

func (a *app) peopleListCommand() *cobra.Command {
	var f outpost.PeopleFilter
	var status string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List people, filtered by mission, status or a search",
		Example: `  outpost people list --mission RU --status in_country
  outpost people list -q petrov`,
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if status != "" {
				ok := false
				for _, s := range outpost.Statuses {
					ok = ok || s == status
				}
				if !ok {
					return usagef("--status %q: want one of %s", status, strings.Join(outpost.Statuses, ", "))
				}
				f.Status = outpost.Status(status)
			}
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			// The operator has the admin's rights, who may search and
			// see every passport.
			people, err := a.registry(s.db).People(s.ctx, s.caller, f)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"people": people})
			}
			loc, err := a.location(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tMISSION\tNAT\tCATEGORY\tHOUSEHOLD\tSTATUS\tSINCE")
			for _, p := range people {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.FamilyName+", "+p.GivenName,
					p.Mission, p.Nationality, p.Category, p.Household, p.Status, p.Since.In(loc).Format(time.DateOnly))
			}
			tw.Flush()
			fmt.Fprintf(a.stdout, "%d %s\n", len(people), map[bool]string{true: "person", false: "people"}[len(people) == 1])
			return nil
		},
	}
	list.Flags().StringVar(&f.Mission, "mission", "", "only this mission's people")
	list.Flags().StringVar(&status, "status", "", "only people with this current status (in_country, in_transit, left)")
	list.Flags().StringVarP(&f.Query, "query", "q", "", "search ids, names, households and passports")
	list.Flags().IntVar(&f.Limit, "limit", 0, "at most this many (default all)")
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return list
}

func (a *app) peopleShowCommand() *cobra.Command {
	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a person and their presence history",
		Args:  args("ID"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			d, err := a.registry(s.db).Person(s.ctx, s.caller, as[0])
			if err != nil {
				return err
			}
			p, evs := d.Person, d.Events
			if showJSON {
				return a.printJSON(map[string]any{"person": p, "events": evs, "corrected": d.Corrected})
			}
			loc, err := a.location(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			row := func(k, v string) {
				if v != "" {
					fmt.Fprintf(tw, "%s\t%s\n", k, v)
				}
			}
			row("ID", p.ID)
			row("Name", p.GivenName+" "+p.FamilyName)
			row("Mission", p.Mission)
			row("Nationality", p.Nationality)
			row("Category", string(p.Category))
			row("Household", p.Household)
			row("Born", string(p.BirthDate))
			row("Essential", map[bool]string{true: "yes", false: "no"}[p.Essential])
			row("Medical", fmt.Sprint(p.Medical))
			row("Ready", string(p.Ready))
			row("Passport", p.Passport)
			row("Status", fmt.Sprintf("%s since %s", p.Status, p.Since.In(loc).Format("2006-01-02 15:04 MST")))
			tw.Flush()
			fmt.Fprintln(a.stdout, "\nHistory")
			tw = tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, e := range evs {
				what := e.Source
				if e.Checkpoint != "" {
					what = string(e.Checkpoint)
				}
				ref := ""
				if e.ID > 0 {
					ref = fmt.Sprintf("event %d", e.ID)
				}
				if e.Flag != "" {
					ref += "  ! " + e.Flag
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", e.At.In(loc).Format("2006-01-02 15:04"), what, e.Status, e.Note, ref)
			}
			tw.Flush()
			if len(d.Corrected) > 0 {
				fmt.Fprintln(a.stdout, "\nCorrected (no longer counted)")
				tw = tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				for _, c := range d.Corrected {
					by := c.Correction
					if c.ReplacedBy != 0 {
						by += fmt.Sprintf(" by event %d", c.ReplacedBy)
					}
					fmt.Fprintf(tw, "  event %d\t%s\t%s\t%s on %s by %s: %s\n", c.ID, c.At.In(loc).Format("2006-01-02 15:04"), orStatus(c.Event),
						by, c.On.In(loc).Format("2006-01-02 15:04"), c.By, c.Reason)
				}
				tw.Flush()
			}
			return nil
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print one JSON document")
	return show
}

func (a *app) missionsCommand() *cobra.Command {
	c := &cobra.Command{Use: "missions", Short: "List missions", GroupID: "registry"}
	c.AddCommand(a.missionsListCommand(), a.missionsStatusCommand(), a.missionsHistoryCommand())
	return c
}

func (a *app) missionsListCommand() *cobra.Command {
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List every mission with its status and headcount",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.session(cmd)
			if err != nil {
				return err
			}
			reg := a.registry(s.db)
			ms, err := reg.MissionList(s.ctx, s.caller)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"missions": ms})
			}
			now, _, err := a.asOf(ctx, "", "")
			if err != nil {
				return err
			}
			summaries, err := reg.Missions(s.ctx, s.caller, censusservice.At(now))
			if err != nil {
				return err
			}
			counts := map[string]int{}
			for _, m := range summaries {
				counts[m.Code] = m.InCountry
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tNAME\tCOUNTRY\tKIND\tSTATUS\tMIN STAFF\tIN COUNTRY")
			for _, m := range ms {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\n", m.Code, m.Name, m.Country, m.Kind, m.Status, m.MinStaff, counts[m.Code])
			}
			tw.Flush()
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return list
}
