package main

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/spf13/cobra"
)

func (a *app) supplyCommands() []*cobra.Command {
	c := &cobra.Command{
		Use:   "supply",
		Short: "Stock by mission and lot: days of supply, shortages, expiry and mutual aid",
		Long: `The stock ledger of every mission: what it received (by lot, with
expiry), what it issued, how many days its stock lasts at the rate it is
used, which items run short, and how the missions could share what they
have. Import the catalogue, stock and usage with 'outpost import items',
'outpost import stock' and 'outpost import usage'; record single entries
with 'supply receive' and 'supply issue'.`,
		GroupID: "supply",
	}
	c.AddCommand(a.supplyStatusCommand(), a.supplyPoolCommand(), a.supplyItemsCommand(),
		a.supplyReceiveCommand(), a.supplyIssueCommand(), a.supplyTransferCommand(), a.supplyTransfersCommand())
	return []*cobra.Command{c}
}

func (a *app) supplyImportKinds() map[string]importFunc {
	return map[string]importFunc{
		"items": a.importItems,
		"stock": a.importStock,
		"usage": a.importUsage,
	}
}

func (a *app) importItems(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
	db, err := a.open(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	return doImport(ctx, importer.Items(), r, opts, db.ImportItems)
}

func (a *app) importStock(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
	db, err := a.open(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	mission, item, err := a.knownCodes(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	return doLedgerImport(ctx, importer.Stock(mission, item), r, opts, db.ImportStock)
}

func (a *app) importUsage(ctx context.Context, r io.Reader, opts importer.Options) (outpost.ImportStats, error) {
	db, err := a.open(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	mission, item, err := a.knownCodes(ctx)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	return doLedgerImport(ctx, importer.Usage(mission, item), r, opts, db.ImportUsage)
}

// knownCodes returns lookups of the missions and items in the database.
func (a *app) knownCodes(ctx context.Context) (mission, item func(string) bool, err error) {
	db, err := a.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	ms, err := db.Missions(ctx)
	if err != nil {
		return nil, nil, err
	}
	its, err := db.Items(ctx)
	if err != nil {
		return nil, nil, err
	}
	m, i := make(map[string]bool, len(ms)), make(map[string]bool, len(its))
	for _, x := range ms {
		m[x.Code] = true
	}
	for _, x := range its {
		i[x.Code] = true
	}
	return func(c string) bool { return m[c] }, func(c string) bool { return i[c] }, nil
}

// doLedgerImport is doImport for the stock ledger, whose store also checks
// the rows against what the database holds: the rows it refuses come back
// as outpost.RowProblems and are reported with the file's own problems,
// as FILE:LINE: COLUMN: message (got "VALUE").
func doLedgerImport[T any](ctx context.Context, kind importer.Kind[T], r io.Reader, opts importer.Options,
	write func(context.Context, outpost.Batch[T]) (outpost.ImportStats, error)) (outpost.ImportStats, error) {
	opts.Context = ctx
	rd, err := importer.Open(kind, r, opts)
	if err != nil {
		return outpost.ImportStats{}, err
	}
	defer rd.Close()
	st, err := write(ctx, rd.Batch())
	if perr := rd.Err(); perr != nil {
		return outpost.ImportStats{}, perr
	}
	var rp outpost.RowProblems
	if errors.As(err, &rp) {
		for _, p := range rp {
			rd.Problem(p.Line, p.Column, p.Got, p.Message)
		}
		return outpost.ImportStats{}, rd.Err()
	}
	return st, err
}

// supplyDate reads a date flag; empty means today in the post's time zone.
func (a *app) supplyDate(ctx context.Context, flag, s string) (outpost.Date, *time.Location, error) {
	loc, err := a.location(ctx)
	if err != nil {
		return "", nil, err
	}
	if s == "" {
		return outpost.DateOf(a.now().In(loc)), loc, nil
	}
	d, err := outpost.ParseDate(s)
	if err != nil {
		return "", nil, usagef("%s %q: %v", flag, s, err)
	}
	return d, loc, nil
}

// parseQuantity reads a QUANTITY argument: a decimal number within the
// domain's bounds (NaN, Inf and 1e308 are refused here, before the
// database is opened).
func parseQuantity(s string) (float64, error) {
	q, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, usagef("QUANTITY must be a number, with a dot before the decimals (got %q)", s)
	}
	if msg := outpost.CheckQuantity(q); msg != "" && !(q <= 0) {
		// NaN, Inf and absurd sizes are not quantities at all; 0 and
		// below are the store's to refuse, like any entry point's.
		return 0, usagef("QUANTITY %s (got %q)", msg, s)
	}
	return q, nil
}

// qty writes a quantity with its unit: "12.5 kg", "3 vial".
func qty(q float64, unit string) string {
	s := outpost.FormatQuantity(q)
	if unit != "" {
		s += " " + unit
	}
	return s
}
