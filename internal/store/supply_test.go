package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// loadPairs reads a long list of ledgers in one pass over the tables; it
// must find exactly what it finds one ledger at a time.
func TestLoadPairsOneByOneOrAllAtOnce(t *testing.T) {
	s := openSQLite(t).(*DB)
	storetest.SeedSupply(t, s)
	if _, err := s.ImportUsage(storetest.Ctx(), storetest.Batch(outpost.Issue{Mission: "SE", Item: "FLOUR", Quantity: 5, Date: "2021-02-01"})); err != nil {
		t.Fatal(err)
	}
	few := []ledgerKey{{"RU", "FLOUR"}, {"SE", "FLOUR"}}
	many := append([]ledgerKey{}, few...)
	for i := 0; len(many) <= manyPairs; i++ {
		many = append(many, ledgerKey{"RU", fmt.Sprintf("NONE%d", i)})
	}
	ctx := storetest.Ctx()
	one, err := s.loadPairs(ctx, s.read, few)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.loadPairs(ctx, s.read, many)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Receipts) != 3 || len(one.Issues) != 3 {
		t.Fatalf("got %d receipts and %d issues, want 3 and 3", len(one.Receipts), len(one.Issues))
	}
	if diff := cmp.Diff(one, all); diff != "" {
		t.Errorf("one by one (-) and all at once (+) differ:\n%s", diff)
	}
	some, _ := s.loadPairs(ctx, s.read, append(many[1:], ledgerKey{"WFP", "FLOUR"}))
	if len(some.Receipts) != 1 || some.Receipts[0].Mission != "SE" || len(some.Issues) != 1 {
		t.Errorf("without RU: got %+v", some)
	}
}

// On PostgreSQL a large usage import leaves the table vacuumed (its pages
// marked all-visible, so the sums of supply status read the index alone)
// and analyzed; a small one does not bother.
func TestPostgresTidiesAfterABulkUsageImport(t *testing.T) {
	db := testkit.Open(t, Open, testkit.PostgresDSN(t))
	ctx := storetest.Ctx()
	storetest.Seed(t, db)
	if _, err := db.ImportItems(ctx, storetest.Batch(storetest.Items()...)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportStock(ctx, storetest.Batch(outpost.Receipt{Mission: "RU", Item: "FLOUR", Lot: "L1", Quantity: 1e6, Received: "2021-01-01", Line: 2})); err != nil {
		t.Fatal(err)
	}
	visible := func() int {
		var n int
		if err := db.read.QueryRow(`SELECT relallvisible FROM pg_class WHERE oid = 'issues'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	use := func(n int) {
		rows := make([]outpost.Issue, n)
		for i := range rows {
			rows[i] = outpost.Issue{Mission: "RU", Item: "FLOUR", Quantity: 1, Date: "2021-02-01", Line: i + 2}
		}
		if _, err := db.ImportUsage(ctx, storetest.Batch(rows...)); err != nil {
			t.Fatal(err)
		}
	}
	use(bulkRows - 1)
	if n := visible(); n != 0 {
		t.Errorf("after %d rows: %d all-visible pages, want 0 (not vacuumed)", bulkRows-1, n)
	}
	use(bulkRows)
	if n := visible(); n == 0 {
		t.Errorf("after %d rows: no all-visible page, want the table vacuumed", bulkRows)
	}
}
