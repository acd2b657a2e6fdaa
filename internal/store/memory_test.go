package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/importer"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestSummedLedgerInSmallParts: the span sums split into many queries of a
// few spans each, over two connections at once, give exactly the status
// that every issue gives, on both engines (the conformance suite's
// SupplySummedLedger, with the parts made small).
func TestSummedLedgerInSmallParts(t *testing.T) {
	defer func(c, w int) { sumChunk, spansPerWorker = c, w }(sumChunk, spansPerWorker)
	sumChunk, spansPerWorker = 3, 4
	var suite storetest.Suite
	for _, s := range storetest.Suites() {
		if s.Name == "SupplySummedLedger" {
			suite = s
		}
	}
	if suite.Run == nil {
		t.Fatal("no SupplySummedLedger suite")
	}
	t.Run("SQLite", func(t *testing.T) { suite.Run(t, openSQLite) })
	if os.Getenv(testkit.PostgresEnv) != "" {
		t.Run("Postgres", func(t *testing.T) { suite.Run(t, openPostgres) })
	}
}

// pageCaches answers the page cache size (PRAGMA cache_size) of every
// connection pool may open, holding them all at once.
func pageCaches(t *testing.T, pool *sql.DB, n int) []int {
	t.Helper()
	ctx := context.Background()
	var got []int
	for range n {
		c, err := pool.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var kib int
		if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
			t.Fatal(err)
		}
		got = append(got, kib)
	}
	return got
}

// TestWorkWithASmallCacheGivesTheCacheBack: the status's span sums and a
// people import hold their SQLite connections to a small page cache, and
// every connection has the usual cache again afterwards, whether the
// import succeeded, was refused or was interrupted.
func TestWorkWithASmallCacheGivesTheCacheBack(t *testing.T) {
	db := testkit.Open(t, Open, testkit.SQLiteDSN(t))
	ctx := storetest.Ctx()
	storetest.SeedSupply(t, db)
	want := -pageCacheKiB
	check := func(after string) {
		t.Helper()
		for i, kib := range pageCaches(t, db.read, maxReadConns) {
			if kib != want {
				t.Errorf("after %s: read connection %d has cache_size %d, want %d", after, i, kib, want)
			}
		}
		if kib := pageCaches(t, db.write, 1)[0]; kib != want {
			t.Errorf("after %s: the write connection has cache_size %d, want %d", after, kib, want)
		}
	}
	// Enough spans for two connections summing at once.
	defer func(c, w int) { sumChunk, spansPerWorker = c, w }(sumChunk, spansPerWorker)
	sumChunk, spansPerWorker = 2, 1
	if _, err := db.Ledger(ctx, outpost.LedgerFilter{AsOf: "2021-12-31", Summed: true}); err != nil {
		t.Fatal(err)
	}
	check("a summed ledger")

	people := func(rows string) outpost.Batch[outpost.PersonRecord] {
		kind := importer.People(func(string) bool { return true }, time.UTC, time.Now())
		rd, err := importer.Open(kind, strings.NewReader("id,household,given_name,family_name,nationality,mission,category,status\n"+rows), importer.Options{File: "p.csv"})
		if err != nil {
			t.Fatal(err)
		}
		return rd.Batch()
	}
	if _, err := db.ImportPeople(ctx, people("P1,H1,A,B,SE,RU,national,in_country\n")); err != nil {
		t.Fatal(err)
	}
	check("an import")
	if _, err := db.ImportPeople(ctx, people("P2,H1,A,B,SE,RU,national,in_country\nP2,H1,A,B,SE,RU,national,in_country\n")); err == nil {
		t.Fatal("a file with a duplicate id was imported")
	}
	check("a refused import")
	cctx, cancel := context.WithCancel(ctx)
	rows := func(yield func(outpost.PersonRecord) bool) {
		for i := range 1000 {
			if i == 500 {
				cancel()
			}
			if !yield(storetest.Person(fmt.Sprintf("Q%d", i), "H", "RU")) {
				return
			}
		}
	}
	if _, err := db.ImportPeople(cctx, outpost.Batch[outpost.PersonRecord]{Rows: rows, Err: cctx.Err}); err == nil {
		t.Fatal("an interrupted import succeeded")
	}
	check("an interrupted import")
}
