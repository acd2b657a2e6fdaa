package store

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
	"github.com/outpost-org/outpost/internal/testkit"
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

func benchDays() int {
	if s := os.Getenv("SUPPLY_BENCH_DAYS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 365
}

// benchStatus is `outpost supply status` without the census: load the
// whole ledger up to the last day (each ledger's use summed within its
// spans) and compute every row.
// With SUPPLY_BENCH_EVERY=1 it reads every issue instead of the sums of
// their spans, as before the sums.
func benchStatus(b *testing.B, db *DB, days int) {
	everyIssue := os.Getenv("SUPPLY_BENCH_EVERY") == "1"
	start, _ := supply.ParseDate("2021-01-01")
	asOf := start + supply.Date(days-1)
	b.ResetTimer()
	for b.Loop() {
		l, err := db.Ledger(context.Background(), outpost.LedgerFilter{AsOf: outpost.Date(asOf.String()), Summed: !everyIssue})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := supply.Status(l.Receipts, l.Issues, supply.Params{AsOf: asOf, Threshold: 14, Transferred: l.Transferred})
		if err != nil || len(rows) != 50*200 {
			b.Fatalf("got %d rows, %v", len(rows), err)
		}
	}
}

// BenchmarkSupplyStatusSQLite loads and computes the status of 50 missions
// × 200 items with a year of daily issues (3.65 million rows;
// SUPPLY_BENCH_DAYS shortens the year). The database is built once, in
// OUTPOST_BENCH_DIR if set (and kept there for later runs).
func BenchmarkSupplyStatusSQLite(b *testing.B) {
	days := benchDays()
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
	benchStatus(b, db, days)
}

// BenchmarkSupplyStatusPostgres is the same on the PostgreSQL database of
// OUTPOST_TEST_POSTGRES, in a schema supply_bench_DAYS that is built once
// and kept.
func BenchmarkSupplyStatusPostgres(b *testing.B) {
	dsn := os.Getenv("OUTPOST_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("set OUTPOST_TEST_POSTGRES")
	}
	days := benchDays()
	schema := fmt.Sprintf("supply_bench_%d", days)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'issues')`, schema).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		b.Fatal(err)
	}
	db, err := Open(context.Background(), testkit.WithSchema(dsn, schema))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if !exists {
		benchLedger(b, db, 50, 200, days)
	}
	benchStatus(b, db, days)
}
