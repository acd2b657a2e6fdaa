package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

// testSupplySummedLedger: the ledger summed within its spans (what
// `supply status` reads) gives supply.Status exactly the rows that every
// issue gives, for the whole corps, one mission and one item, at several
// dates, with lots that expire (some on arrival) and a transfer, and it
// holds fewer issues.
func testSupplySummedLedger(t *testing.T, open Opener) {
	s := open(t)
	ctx := Ctx()
	Seed(t, s)
	if _, err := s.ImportItems(ctx, Batch(Items()...)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	start, _ := supply.ParseDate("2021-01-01")
	sr := importRandomStock(t, s, rng, start)
	importMeetableUsage(t, s, rng, start, sr)
	if _, err := s.Transfer(ctx, outpost.Transfer{Item: "FLOUR", From: "RU", To: "SE", Quantity: 1, Date: "2021-04-20"}); err != nil {
		t.Fatal(err)
	}
	compareSummedLedger(t, s)
}

// importRandomStock imports four lots of flour and insulin for each of
// three missions, received over 120 days from start, most of them
// expiring (some on arrival), and returns them as the calculator sees
// them.
func importRandomStock(t *testing.T, s outpost.Store, rng *rand.Rand, start supply.Date) []supply.Receipt {
	t.Helper()
	ctx := Ctx()
	var recs []outpost.Receipt
	var sr []supply.Receipt
	for _, m := range []string{"RU", "SE", "WFP"} {
		for _, it := range []string{"FLOUR", "INSULIN"} {
			for lot := range 4 {
				r := supply.Receipt{Mission: m, Item: it, Lot: fmt.Sprintf("L%d", lot),
					Quantity: 0.25 * float64(100+rng.IntN(2000)), Received: start + supply.Date(rng.IntN(120))}
				if rng.IntN(4) > 0 {
					r.Expires = r.Received + supply.Date(rng.IntN(100)-5)
				}
				sr = append(sr, r)
				recs = append(recs, outpost.Receipt{Mission: m, Item: it, Lot: r.Lot, Quantity: r.Quantity,
					Received: outpost.Date(r.Received.String()), Expires: outpost.Date(r.Expires.String()), Line: len(recs) + 2})
			}
		}
	}
	if _, err := s.ImportStock(ctx, Batch(recs...)); err != nil {
		t.Fatal(err)
	}
	return sr
}

// importMeetableUsage imports 150 days of use that the stock sr can meet,
// a few issues a day, leaving room in RU's flour for the transfer.
func importMeetableUsage(t *testing.T, s outpost.Store, rng *rand.Rand, start supply.Date, sr []supply.Receipt) {
	t.Helper()
	ctx := Ctx()
	// Daily use that the stock can meet, a few issues a day.
	type key struct{ m, it string }
	lrec := map[key][]supply.Receipt{}
	for _, r := range sr {
		lrec[key{r.Mission, r.Item}] = append(lrec[key{r.Mission, r.Item}], r)
	}
	// RU's flour keeps room for the transfer below, which draws like an
	// issue; what SE receives only adds to its stock.
	transferDay, _ := supply.ParseDate("2021-04-20")
	liss := map[key][]supply.Issue{{"RU", "FLOUR"}: {{Mission: "RU", Item: "FLOUR", Quantity: 1, Date: transferDay}}}
	var use []outpost.Issue
	for d := range 150 {
		for k := range 6 {
			m, it := []string{"RU", "SE", "WFP"}[k%3], []string{"FLOUR", "INSULIN"}[k/3]
			u := supply.Issue{Mission: m, Item: it, Quantity: 0.5 * float64(1+rng.IntN(12)), Date: start + supply.Date(d)}
			k := key{m, it}
			if _, err := supply.Replay(lrec[k], append(liss[k], u), start+400); err != nil {
				continue
			}
			liss[k] = append(liss[k], u)
			use = append(use, outpost.Issue{Mission: m, Item: it, Quantity: u.Quantity, Date: outpost.Date(u.Date.String()), Line: len(use) + 2})
		}
	}
	if _, err := s.ImportUsage(ctx, Batch(use...)); err != nil {
		var rp outpost.RowProblems
		errors.As(err, &rp)
		t.Fatalf("%v: %+v", err, rp)
	}
}

// compareSummedLedger checks, at several dates and for the corps, one
// mission and one item, that the summed ledger gives the same status as
// every issue, in far fewer rows.
func compareSummedLedger(t *testing.T, s outpost.Store) {
	t.Helper()
	ctx := Ctx()
	for _, asOf := range []string{"2020-12-31", "2021-01-15", "2021-03-01", "2021-04-20", "2021-05-31", "2021-12-31"} {
		for _, f := range []outpost.LedgerFilter{{}, {Mission: "RU"}, {Item: "INSULIN"}} {
			f.AsOf = outpost.Date(asOf)
			every, err := s.Ledger(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			f.Summed = true
			summed, err := s.Ledger(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			day, _ := supply.ParseDate(asOf)
			p := supply.Params{AsOf: day, Threshold: 14, PerPerson: map[string]float64{"FLOUR": 0.25}, Headcount: map[string]int{"RU": 3}}
			p.Transferred = every.Transferred
			want, err := supply.Status(every.Receipts, every.Issues, p)
			if err != nil {
				t.Fatalf("%+v, every issue: %v", f, err)
			}
			p.Transferred = summed.Transferred
			got, err := supply.Status(summed.Receipts, summed.Issues, p)
			if err != nil {
				t.Fatalf("%+v, summed: %v", f, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v: status from the sums differs (-every issue +sums):\n%s", f, diff)
			}
			if len(every.Issues) > 100 && len(summed.Issues)*3 > len(every.Issues) {
				t.Errorf("%+v: %d sums for %d issues; want far fewer", f, len(summed.Issues), len(every.Issues))
			}
		}
	}
}
