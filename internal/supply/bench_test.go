package supply

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchWorkload is the benchmark of docs/benchmarks-supply.md: 50 missions
// × 200 items and a year of daily issues (about 3.6 million rows, in date
// order, as a usage log grows). Each ledger receives a lot on day 0 and
// then every 90 days from a random phase, three items in four with a shelf
// life of 91 to 200 days; every issue can be met, since the newest lot is
// never expired and holds more than 90 days of the highest use. One ledger
// in ten issues nothing in the last 28 days, so its rate is the plan's;
// some of those are short.
func benchWorkload(missions, items, days int) ([]Receipt, []Issue, Params) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := date("2021-01-01")
	ms := make([]string, missions)
	for i := range ms {
		ms[i] = fmt.Sprintf("M%02d", i)
	}
	its := make([]string, items)
	use := make([]float64, items*missions)
	quiet := make([]bool, items*missions)
	p := Params{AsOf: start + Date(days-1), Threshold: DefaultThreshold,
		PerPerson: map[string]float64{}, Headcount: map[string]int{}}
	for i := range its {
		its[i] = fmt.Sprintf("I%03d", i)
		p.PerPerson[its[i]] = 0.1 * float64(1+rng.IntN(20))
	}
	for _, m := range ms {
		p.Headcount[m] = 5 + rng.IntN(50)
	}
	var receipts []Receipt
	for mi, m := range ms {
		for ii, it := range its {
			u := float64(1 + rng.IntN(10))
			use[mi*items+ii] = u
			quiet[mi*items+ii] = rng.IntN(10) == 0
			shelf := 0
			if rng.IntN(4) > 0 {
				shelf = 91 + rng.IntN(110)
			}
			phase := 1 + rng.IntN(90)
			for k, d := 0, 0; d < days; k, d = k+1, phase+90*k {
				r := Receipt{Mission: m, Item: it, Lot: fmt.Sprintf("L%d", k), Quantity: 140 * u, Received: start + Date(d)}
				if shelf > 0 {
					r.Expires = r.Received + Date(shelf)
				}
				receipts = append(receipts, r)
			}
		}
	}
	issues := make([]Issue, 0, missions*items*days)
	for d := range days {
		for mi, m := range ms {
			for ii, it := range its {
				if quiet[mi*items+ii] && d >= days-28 {
					continue
				}
				q := float64(int(use[mi*items+ii]*(0.5+rng.Float64())*10)) / 10
				issues = append(issues, Issue{Mission: m, Item: it, Quantity: q, Date: start + Date(d)})
			}
		}
	}
	return receipts, issues, p
}

func BenchmarkStatus(b *testing.B) {
	receipts, issues, p := benchWorkload(50, 200, 365)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rows, err := Status(receipts, issues, p)
		if err != nil || len(rows) != 50*200 {
			b.Fatalf("Status: %d rows, %v", len(rows), err)
		}
	}
	b.ReportMetric(float64(len(issues)), "issues")
}

func BenchmarkCheck(b *testing.B) {
	receipts, issues, _ := benchWorkload(50, 200, 365)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if errs := Check(receipts, issues); errs != nil {
			b.Fatal(errs[0])
		}
	}
}

func BenchmarkPool(b *testing.B) {
	receipts, issues, p := benchWorkload(50, 200, 365)
	rows, err := Status(receipts, issues, p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Pool("I007", rows, DefaultTarget)
	}
}

// The benchmark's workload, at a 25th of the size, agrees with the
// reference model row by row: a year of daily use with quantities in
// tenths, which binary floating point cannot hold exactly. Its 146,000
// issues are enough for the grouping to run on two CPUs.
func TestBenchWorkloadMatchesReference(t *testing.T) {
	receipts, issues, p := benchWorkload(8, 50, 365)
	rows, err := Status(receipts, issues, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8*50 {
		t.Fatalf("got %d rows, want %d", len(rows), 8*50)
	}
	for _, row := range rows {
		lr := ledgerRows(receipts, func(r Receipt) bool { return r.Mission == row.Mission && r.Item == row.Item })
		li := ledgerRows(issues, func(u Issue) bool { return u.Mission == row.Mission && u.Item == row.Item })
		ref, ok := refSupplyRow(lr, li, p.PerPerson[row.Item], p.Headcount[row.Mission], p.AsOf, true)
		if !ok {
			t.Fatalf("reference cannot replay %s/%s", row.Mission, row.Item)
		}
		if row.OnHand != round6(ref.onHand) || row.DailyRate != round6(ref.rate) || row.Expiring30d != round6(ref.exp30) ||
			(row.DaysOfSupply == nil) != (ref.days < 0) || row.DaysOfSupply != nil && *row.DaysOfSupply != ref.days {
			t.Errorf("%s/%s: got %v %v %v %v, want %v %v %v %v", row.Mission, row.Item,
				row.OnHand, row.DailyRate, row.Expiring30d, show(row.DaysOfSupply),
				round6(ref.onHand), round6(ref.rate), round6(ref.exp30), ref.days)
		}
	}
}
