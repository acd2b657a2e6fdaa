package supply

import "testing"

// A transfer's matched issue leaves the donor's stock but is not use: the
// daily rate leaves it out, and with nothing else issued in the 28 days
// the rate comes from the plan.
func TestTransferredIssuesAreNotUse(t *testing.T) {
	receipts := []Receipt{rc("L1", 100, "2021-02-01", "")}
	issues := []Issue{is(28, "2021-02-20"), is(40, "2021-02-25")}
	p := Params{AsOf: date("2021-03-01"), Threshold: DefaultThreshold,
		PerPerson: map[string]float64{"RICE": 0.5}, Headcount: map[string]int{"RU": 4}}
	for _, tc := range []struct {
		name        string
		transferred map[int]bool
		rate        float64
		source      string
	}{
		{"both use", nil, 68.0 / 28, RateUsage},
		{"the second handed over", map[int]bool{1: true}, 1, RateUsage},
		{"both handed over", map[int]bool{0: true, 1: true}, 2, RatePlan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.Transferred = tc.transferred
			rows, err := Status(receipts, issues, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("got %d rows, want 1", len(rows))
			}
			r := rows[0]
			if r.OnHand != 32 || r.DailyRate != round6(tc.rate) || r.RateSource != tc.source {
				t.Errorf("got on hand %v, rate %v (%s); want 32, %v (%s)", r.OnHand, r.DailyRate, r.RateSource, round6(tc.rate), tc.source)
			}
		})
	}
}
