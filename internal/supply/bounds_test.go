package supply

import (
	"encoding/json"
	"math"
	"testing"
)

// Ledgers that hold quantities stored before the bounds existed (two
// receipts of 1e308) still give finite, encodable status rows.
func TestStatusStaysFinite(t *testing.T) {
	receipts := []Receipt{rc("L1", 1e308, "2021-02-01", ""), rc("L2", 1e308, "2021-02-02", ""), rc("L3", math.Inf(1), "2021-02-03", "")}
	rows, err := Status(receipts, []Issue{is(1e308, "2021-02-20")}, Params{AsOf: date("2021-03-01"), Threshold: DefaultThreshold})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for _, q := range []float64{r.OnHand, r.DailyRate, r.Expiring30d, r.NearExpiry30d, r.NearExpiry90d} {
			if math.IsNaN(q) || math.IsInf(q, 0) || math.Abs(q) > MaxTotal {
				t.Errorf("row %+v holds %v", r, q)
			}
		}
	}
	if _, err := json.Marshal(rows); err != nil {
		t.Errorf("the rows do not encode: %v", err)
	}
}

// Pooling never proposes a negative, zero or non-finite transfer, nor one
// larger than the donor's spare, whatever the rows hold.
func TestPoolNeverProposesNegativeTransfers(t *testing.T) {
	row := func(m string, s, r float64) Row { return Row{Mission: m, Item: "RICE", OnHand: s, DailyRate: r} }
	for name, rows := range map[string][]Row{
		"+Inf stock":        {row("A", math.Inf(1), 1), row("B", 0, 1)},
		"huge stock":        {row("A", 1e308, 1), row("B", 1e300, 1), row("C", 0, 1), row("D", 10, 2)},
		"NaN stock":         {row("A", math.NaN(), 1), row("B", 0, 1), row("C", 500, 1)},
		"huge need":         {row("A", 1e15, 1), row("B", 0, 1e12)},
		"many large donors": {row("A", 1e12, 1), row("B", 1e12, 1), row("C", 1e12, 1), row("D", 0, 1e9)},
	} {
		t.Run(name, func(t *testing.T) {
			p := Pool("RICE", rows, DefaultTarget)
			gave := map[string]float64{}
			for _, tr := range p.Transfers {
				if !(tr.Quantity > 0) || math.IsInf(tr.Quantity, 0) {
					t.Errorf("transfer %+v", tr)
				}
				gave[tr.From] += tr.Quantity
			}
			for _, r := range rows {
				if spare := r.OnHand - DefaultTarget*r.DailyRate; gave[r.Mission] > 0 && !(gave[r.Mission] <= spare) {
					t.Errorf("%s gives %v of a spare of %v", r.Mission, gave[r.Mission], spare)
				}
			}
			if math.IsNaN(p.LevelDays) || math.IsInf(p.LevelDays, 0) {
				t.Errorf("level %v", p.LevelDays)
			}
			if _, err := json.Marshal(p); err != nil {
				t.Errorf("the proposal does not encode: %v", err)
			}
		})
	}
}
