package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
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
