package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/outpost"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/spf13/cobra"
)

// supplyStatus is the answer of `outpost supply status --json`, as
// INTERFACES.md fixes it.
type supplyStatus = supplyservice.Status

// cliOperator is the caller of the command line's stock commands.
var cliOperator = outpost.Operator("cli")

// supplyService is the stock service over the database, in the post's
// time zone (read when a figure needs it: the catalogue does not),
// counting headcounts from everyone's presence history.
func (a *app) supplyService(ctx context.Context) (*supplyservice.Service, error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	return supplyservice.New(db, a.now, supplyservice.Post{Loc: a.location}), nil
}

// units maps item codes to their units.
func (a *app) units(ctx context.Context) (map[string]string, error) {
	svc, err := a.supplyService(ctx)
	if err != nil {
		return nil, err
	}
	items, err := svc.Items(ctx, cliOperator)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(items))
	for _, it := range items {
		out[it.Code] = it.Unit
	}
	return out, nil
}

func (a *app) supplyStatusCommand() *cobra.Command {
	var asOf, mission string
	var threshold int
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "Days of supply of every item at every mission, with shortages and near-expiry stock",
		Long: `Show, for each mission and item with a receipt on or before the day, the
stock on hand at the end of the day, the daily rate (the issues of the last
28 days / 28, or else the item's daily_per_person × the people in the
country), how many days the stock lasts first-expiry-first-out, and the
stock expiring within 30 and 90 days. A SHORTAGE is fewer days of supply
than --threshold. INTERFACES.md defines every number.`,
		Example: `  outpost supply status
  outpost supply status --as-of 2021-03-01 --mission RU
  outpost supply status --as-of 2021-03-01 --json`,
		Args: args(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if threshold < 0 {
				return usagef("--threshold %d: want a number of days ≥ 0", threshold)
			}
			day, _, err := a.supplyDate(ctx, "--as-of", asOf)
			if err != nil {
				return err
			}
			svc, err := a.supplyService(ctx)
			if err != nil {
				return err
			}
			st, err := svc.Status(ctx, cliOperator, supplyservice.Query{AsOf: day, Threshold: threshold, Mission: mission})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(st)
			}
			units, err := a.units(ctx)
			if err != nil {
				return err
			}
			printSupplyStatus(a.stdout, day, threshold, mission, st.Rows, units)
			return nil
		},
	}
	c.Flags().StringVar(&asOf, "as-of", "", "at the end of this day (YYYY-MM-DD; default today in the post's time zone)")
	c.Flags().StringVar(&mission, "mission", "", "only this mission")
	c.Flags().IntVar(&threshold, "threshold", supply.DefaultThreshold, "a shortage is fewer days of supply than this")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

// printSupplyStatus writes the status as an aligned table for people: a
// SHORTAGE marker, the stock on hand in lots expiring within 30 and 90
// days, and what will expire before it can be used.
func printSupplyStatus(w io.Writer, day outpost.Date, threshold int, mission string, rows []supply.Row, units map[string]string) {
	where := "every mission"
	if mission != "" {
		where = mission
	}
	if len(rows) == 0 {
		if mission != "" {
			fmt.Fprintf(w, "No stock of %s recorded on or before %s.\n", mission, day)
		} else {
			fmt.Fprintf(w, "No stock recorded on or before %s.\n", day)
		}
		return
	}
	short, expiring := 0, 0
	for _, r := range rows {
		if r.Shortage {
			short++
		}
		if r.NearExpiry30d > 0 {
			expiring++
		}
	}
	fmt.Fprintf(w, "Supplies at the end of %s (%s): %d %s (fewer than %d days of supply), %d with stock expiring within 30 days.\n\n",
		day, where, short, outpost.Plural(short, "shortage", "shortages"), threshold, expiring)
	t := table{
		head:  []string{"MISSION", "ITEM", "ON HAND", "UNIT", "PER DAY", "RATE", "DAYS", "EXPIRING ≤30d", "≤90d", "ALERT"},
		right: []bool{false, false, true, false, true, false, true, true, true, false},
	}
	for _, r := range rows {
		days := "-"
		if r.DaysOfSupply != nil {
			days = strconv.Itoa(*r.DaysOfSupply)
			if *r.DaysOfSupply == supply.MaxDays {
				days = "≥" + days
			}
		}
		var alert []string
		if r.Shortage {
			alert = append(alert, "SHORTAGE")
		}
		if r.Expiring30d > 0 {
			alert = append(alert, "expires unused: "+decimal(r.Expiring30d)+unitSuffix(units[r.Item]))
		}
		t.add(r.Mission, r.Item, decimal(r.OnHand), units[r.Item], decimal(r.DailyRate), r.RateSource, days,
			blankZero(r.NearExpiry30d), blankZero(r.NearExpiry90d), strings.Join(alert, "; "))
	}
	t.write(w)
}

// decimal writes a quantity for a table: at most two decimals.
func decimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || (s == "0" && x > 0) {
		return strconv.FormatFloat(x, 'g', 2, 64) // keep a small rate visible
	}
	return s
}

func unitSuffix(unit string) string {
	if unit == "" {
		return ""
	}
	return " " + unit
}

func blankZero(x float64) string {
	if x == 0 {
		return ""
	}
	return decimal(x)
}

// table lays out cells in columns two spaces apart, numbers to the right,
// widths counted in characters (the headings use ≤).
type table struct {
	head  []string
	right []bool
	rows  [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) {
	width := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range append([][]string{t.head}, t.rows...) {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func (a *app) supplyPoolCommand() *cobra.Command {
	var asOf string
	var target float64
	var asJSON bool
	c := &cobra.Command{
		Use:   "pool ITEM",
		Short: "Propose transfers of an item between missions that lift the worst-off as high as the spare allows",
		Long: `Propose how the missions could share an item: each mission that uses it
(daily rate above 0) and holds more than --target days of supply may give
what it holds above the target; the proposal lifts the lowest days of
supply among all of them as high as that spare allows (water filling, up
to the target), with as few transfers as it can. level_days is the
lowest days of supply after the transfers (on hand ÷ daily rate).
Record an agreed transfer with 'outpost supply transfer'.`,
		Example: `  outpost supply pool FLOUR --as-of 2021-03-01
  outpost supply pool INSULIN --target 90 --json`,
		Args: args("ITEM"),
		RunE: func(cmd *cobra.Command, as []string) error {
			ctx := cmd.Context()
			if !(target > 0) {
				return usagef("--target %v: want a number of days above 0", target)
			}
			day, _, err := a.supplyDate(ctx, "--as-of", asOf)
			if err != nil {
				return err
			}
			svc, err := a.supplyService(ctx)
			if err != nil {
				return err
			}
			p, err := svc.Pool(ctx, cliOperator, as[0], day, target)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(p.Proposal)
			}
			printPool(a.stdout, p.Pooling)
			return nil
		},
	}
	c.Flags().StringVar(&asOf, "as-of", "", "with the stock at the end of this day (YYYY-MM-DD; default today in the post's time zone)")
	c.Flags().Float64Var(&target, "target", supply.DefaultTarget, "days of supply every donor keeps, and the most the level is raised to")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON document")
	return c
}

// printPool writes the proposal for people: each mission's days before and
// after, then the command that records each transfer.
func printPool(w io.Writer, pl supplyservice.Pooling) {
	item, day, target, p := pl.Item, pl.AsOf, pl.Target, pl.Proposal
	fmt.Fprintf(w, "Pooling %s (%s) with the stock at the end of %s, target %s days of supply.\n\n",
		item.Code, item.Name, day, outpost.FormatQuantity(target))
	t := table{
		head:  []string{"MISSION", "ON HAND", "PER DAY", "DAYS NOW", "GIVES", "RECEIVES", "DAYS AFTER"},
		right: []bool{false, true, true, true, true, true, true},
	}
	shares := pl.Shares()
	for _, s := range shares {
		gives, gets := "", ""
		if s.Change < 0 {
			gives = decimal(-s.Change)
		} else if s.Change > 0 {
			gets = decimal(s.Change)
		}
		t.add(s.Mission, decimal(s.OnHand), decimal(s.DailyRate), strconv.FormatFloat(s.DaysNow, 'f', 1, 64),
			gives, gets, strconv.FormatFloat(s.DaysAfter, 'f', 1, 64))
	}
	if len(shares) == 0 {
		fmt.Fprintf(w, "No mission uses %s (no issues in the last 28 days and no planned use): nothing to pool.\n", item.Code)
		return
	}
	t.write(w)
	fmt.Fprintln(w)
	switch {
	case len(p.Transfers) > 0:
		fmt.Fprintf(w, "After %d %s every mission has at least %s days of supply.\n",
			len(p.Transfers), outpost.Plural(len(p.Transfers), "transfer", "transfers"), strconv.FormatFloat(p.LevelDays, 'f', 1, 64))
		fmt.Fprintln(w, "\nTo record a transfer once it is agreed:")
		for _, tr := range p.Transfers {
			fmt.Fprintf(w, "  outpost supply transfer %s %s %s %s --date %s\n", item.Code, tr.From, tr.To, outpost.FormatQuantity(tr.Quantity), day)
		}
	case p.LevelDays >= target:
		fmt.Fprintf(w, "Every mission has at least %s days of supply: nothing to pool.\n", outpost.FormatQuantity(target))
	default:
		fmt.Fprintf(w, "No mission holds more than %s days of supply to spare: nothing to pool; the lowest stays at %s days.\n",
			outpost.FormatQuantity(target), strconv.FormatFloat(p.LevelDays, 'f', 1, 64))
	}
}
