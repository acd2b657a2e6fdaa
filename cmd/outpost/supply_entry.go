package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/spf13/cobra"
)

func (a *app) supplyItemsCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "items",
		Short: "List the supply catalogue",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := a.supplyService(cmd.Context())
			if err != nil {
				return err
			}
			items, err := svc.Items(cmd.Context(), cliOperator)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"items": items})
			}
			t := table{head: []string{"CODE", "NAME", "KIND", "UNIT", "PER PERSON/DAY"}, right: []bool{false, false, false, false, true}}
			for _, it := range items {
				t.add(it.Code, it.Name, string(it.Kind), it.Unit, outpost.FormatQuantity(it.DailyPerPerson))
			}
			t.write(a.stdout)
			fmt.Fprintf(a.stdout, "%d %s\n", len(items), outpost.Plural(len(items), "item", "items"))
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

func (a *app) supplyReceiveCommand() *cobra.Command {
	var received, expires string
	var asJSON bool
	c := &cobra.Command{
		Use:   "receive MISSION ITEM LOT QUANTITY",
		Short: "Record a lot received into a mission's stock",
		Long: `Record one new lot: QUANTITY of ITEM received by MISSION under the lot
name LOT (a lot name is unique per mission and item), on --received
(default today), usable until --expires (the first day it is no longer
usable; default never). To correct a lot, import the stock file again.`,
		Example: `  outpost supply receive RU FLOUR 2021-02-A 250 --received 2021-02-03 --expires 2021-08-01`,
		Args:    args("MISSION", "ITEM", "LOT", "QUANTITY"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			q, err := parseQuantity(as[3])
			if err != nil {
				return err
			}
			day, _, err := a.supplyDate(ctx, "--received", received)
			if err != nil {
				return err
			}
			var exp outpost.Date
			if expires != "" {
				if exp, err = outpost.ParseDate(expires); err != nil {
					return usagef("--expires %q: %v", expires, err)
				}
			}
			svc, err := a.supplyService(ctx)
			if err != nil {
				return err
			}
			r, err := svc.Receive(ctx, cliOperator, outpost.Receipt{Mission: as[0], Item: as[1], Lot: as[2], Quantity: q, Received: day, Expires: exp})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(r)
			}
			units, err := a.units(ctx)
			if err != nil {
				return err
			}
			until := "does not expire"
			if r.Expires != "" {
				until = "expires " + string(r.Expires)
			}
			fmt.Fprintf(a.stdout, "%s received %s of %s on %s, lot %s (%s).\n", r.Mission, qty(r.Quantity, units[r.Item]), r.Item, r.Received, r.Lot, until)
			return nil
		},
	}
	c.Flags().StringVar(&received, "received", "", "the day it was received (YYYY-MM-DD; default today)")
	c.Flags().StringVar(&expires, "expires", "", "the first day it is no longer usable (YYYY-MM-DD; default never)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the receipt as JSON")
	return c
}

func (a *app) supplyIssueCommand() *cobra.Command {
	var date, note string
	var asJSON bool
	c := &cobra.Command{
		Use:   "issue MISSION ITEM QUANTITY",
		Short: "Record stock taken out for use (refused if more than is on hand)",
		Long: `Record that MISSION took QUANTITY of ITEM out of its stock on --date
(default today), drawn from the lot that expires first. An issue larger
than the stock on hand that day, or one that would leave a later issue
uncovered, is refused.`,
		Example: `  outpost supply issue RU FLOUR 12.5 --date 2021-03-01 --note "kitchen, week 9"`,
		Args:    args("MISSION", "ITEM", "QUANTITY"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			q, err := parseQuantity(as[2])
			if err != nil {
				return err
			}
			day, _, err := a.supplyDate(ctx, "--date", date)
			if err != nil {
				return err
			}
			svc, err := a.supplyService(ctx)
			if err != nil {
				return err
			}
			u, err := svc.Issue(ctx, cliOperator, outpost.Issue{Mission: as[0], Item: as[1], Quantity: q, Date: day, Note: note})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(u)
			}
			units, err := a.units(ctx)
			if err != nil {
				return err
			}
			left, err := svc.OnHand(ctx, cliOperator, u.Mission, u.Item, u.Date)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s issued %s of %s on %s; %s left at the end of the day.\n",
				u.Mission, qty(u.Quantity, units[u.Item]), u.Item, u.Date, qty(left, units[u.Item]))
			return nil
		},
	}
	c.Flags().StringVar(&date, "date", "", "the day (YYYY-MM-DD; default today)")
	c.Flags().StringVar(&note, "note", "", "what it was for")
	c.Flags().BoolVar(&asJSON, "json", false, "print the issue as JSON")
	return c
}

func (a *app) supplyTransferCommand() *cobra.Command {
	var date, note string
	var asJSON bool
	c := &cobra.Command{
		Use:   "transfer ITEM FROM TO QUANTITY",
		Short: "Record an agreed transfer: an issue at FROM and receipts at TO, lots and expiry kept",
		Long: `Record that mission FROM handed QUANTITY of ITEM to mission TO on --date
(default today), as 'supply pool' proposes. The quantity is drawn from
FROM's lots first-expiry-first-out as of that day and recorded there as an
issue (which does not count toward FROM's daily rate); TO receives one lot
per lot drawn, named after its origin (FROM/LOT) and with the same expiry.
The transfer's id is printed alone on the last line.`,
		Example: `  outpost supply transfer FLOUR CN RU 120.5 --date 2021-03-01`,
		Args:    args("ITEM", "FROM", "TO", "QUANTITY"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			q, err := parseQuantity(as[3])
			if err != nil {
				return err
			}
			day, _, err := a.supplyDate(ctx, "--date", date)
			if err != nil {
				return err
			}
			svc, err := a.supplyService(ctx)
			if err != nil {
				return err
			}
			tr, err := svc.Transfer(ctx, cliOperator, outpost.Transfer{Item: as[0], From: as[1], To: as[2], Quantity: q, Date: day, Note: note})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(tr)
			}
			units, err := a.units(ctx)
			if err != nil {
				return err
			}
			unit := units[tr.Item]
			fmt.Fprintf(a.stdout, "Transfer %d: %s of %s from %s to %s on %s.\n", tr.ID, qty(tr.Quantity, unit), tr.Item, tr.From, tr.To, tr.Date)
			t := table{head: []string{"FROM LOT", "TO LOT", "QUANTITY", "EXPIRES"}, right: []bool{false, false, true, false}}
			for _, l := range tr.Lots {
				exp := string(l.Expires)
				if exp == "" {
					exp = "never"
				}
				t.add(tr.From+" "+l.FromLot, tr.To+" "+l.ToLot, qty(l.Quantity, unit), exp)
			}
			t.write(a.stdout)
			fmt.Fprintf(a.stdout, "%d\n", tr.ID)
			return nil
		},
	}
	c.Flags().StringVar(&date, "date", "", "the day of the transfer (YYYY-MM-DD; default today)")
	c.Flags().StringVar(&note, "note", "", "a note kept with the transfer")
	c.Flags().BoolVar(&asJSON, "json", false, "print the transfer as JSON")
	return c
}

func (a *app) supplyTransfersCommand() *cobra.Command {
	var mission string
	var asJSON bool
	c := &cobra.Command{
		Use:   "transfers",
		Short: "List recorded transfers, newest first",
		Args:  args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := a.supplyService(cmd.Context())
			if err != nil {
				return err
			}
			trs, err := svc.Transfers(cmd.Context(), cliOperator, mission)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"transfers": trs})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDATE\tITEM\tFROM\tTO\tQUANTITY\tLOTS\tNOTE")
			for _, tr := range trs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", tr.ID, tr.Date, tr.Item, tr.From, tr.To,
					outpost.FormatQuantity(tr.Quantity), len(tr.Lots), tr.Note)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&mission, "mission", "", "only those this mission gave or received")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}
