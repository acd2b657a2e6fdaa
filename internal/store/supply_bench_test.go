package store

import (
	"context"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

// benchLedger fills db with missions × items ledgers: one lot each, and an
// issue a day for days days from 2021-01-01.
func benchLedger(b *testing.B, db *DB, missions, items, days int) {
	b.Helper()
	ctx := context.Background()
	var ms []outpost.Mission
	for m := range missions {
		ms = append(ms, outpost.Mission{Code: fmt.Sprintf("M%02d", m), Name: "m", Kind: outpost.KindEmbassy, Status: outpost.MissionOpen})
	}
	var its []outpost.Item
	for i := range items {
		its = append(its, outpost.Item{Code: fmt.Sprintf("I%03d", i), Name: "i", Kind: outpost.ItemFood, Unit: "kg", DailyPerPerson: 0.1})
	}
	var rs []outpost.Receipt
	for _, m := range ms {
		for _, it := range its {
			rs = append(rs, outpost.Receipt{Mission: m.Code, Item: it.Code, Lot: "L1", Quantity: float64(days * 10), Received: "2021-01-01"})
		}
	}
	start, _ := supply.ParseDate("2021-01-01")
	usage := func(yield func(outpost.Issue) bool) {
		for d := range days {
			day := outpost.Date((start + supply.Date(d)).String())
			for _, m := range ms {
				for k, it := range its {
					if !yield(outpost.Issue{Mission: m.Code, Item: it.Code, Quantity: float64(1 + (d+k)%9), Date: day}) {
						return
					}
				}
			}
		}
	}
	for _, step := range []func() error{
		func() error { _, err := db.ImportMissions(ctx, batchOf(slicesValues(ms))); return err },
		func() error { _, err := db.ImportItems(ctx, batchOf(slicesValues(its))); return err },
		func() error { _, err := db.ImportStock(ctx, batchOf(slicesValues(rs))); return err },
		func() error { _, err := db.ImportUsage(ctx, batchOf(usage)); return err },
	} {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
}

func slicesValues[T any](xs []T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, x := range xs {
			if !yield(x) {
				return
			}
		}
	}
}

func batchOf[T any](rows iter.Seq[T]) outpost.Batch[T] {
	return outpost.Batch[T]{Rows: rows, Err: func() error { return nil }}
}

// BenchmarkSupplyStatusSQLite is `outpost supply status` without the census:
// load the ledger of a database of 50 missions × 200 items with a year of
// daily issues (3.65 million rows) and compute every row. The database is
// built once, in OUTPOST_BENCH_DIR if set (and kept there for later runs).
// SUPPLY_BENCH_DAYS shortens the year.
func BenchmarkSupplyStatusSQLite(b *testing.B) {
	days := 365
	if s := os.Getenv("SUPPLY_BENCH_DAYS"); s != "" {
		days, _ = strconv.Atoi(s)
	}
	dir := os.Getenv("OUTPOST_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("supply-%d.db", days))
	_, statErr := os.Stat(path)
	db, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if statErr != nil {
		benchLedger(b, db, 50, 200, days)
	}
	start, _ := supply.ParseDate("2021-01-01")
	asOf := (start + supply.Date(days-1)).String()
	b.ResetTimer()
	for b.Loop() {
		l, err := db.Ledger(context.Background(), outpost.LedgerFilter{AsOf: outpost.Date(asOf)})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := supply.Status(l.Receipts, l.Issues, supply.Params{AsOf: start + supply.Date(days-1), Threshold: 14, Transferred: l.Transferred})
		if err != nil || len(rows) != 50*200 {
			b.Fatalf("got %d rows, %v", len(rows), err)
		}
	}
}
