package supply

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func intp(n int) *int { return &n }

// A hand-worked scenario, as of 2021-03-01:
//
// RU RICE: L1 100 (received 02-01, expires 03-11) and L2 60 (02-10, no
// expiry); issues 10 on 02-01 (outside the 28 days), 28 on 02-02 and 28 on
// 03-01. Replay: L1 100−10−28−28 = 34, L2 60: on hand 94. Rate 56/28 = 2
// (usage). Days 1–9 take 18 of L1; day 10 (03-11) discards its last 16;
// L2 lasts days 10–39: 39 days, 16 expiring within 30 days; L1's 34 is in
// both near-expiry bands.
//
// RU WATER: 25 received 02-15, no use; plan 2 × 5 people = 10 a day:
// days 1–2, then 5 < 10: 2 days, a shortage.
//
// SE INSULIN: 20 expiring 03-20 and 8 expiring 05-01, no use, no plan:
// rate 0, days null, 20 expiring in 30 days (step 4 with rate 0), 28 in 90.
//
// SE RICE: received only after as_of: no row.
func TestStatusHandWorked(t *testing.T) {
	se := func(item, lot string, q float64, received, expires string) Receipt {
		r := rc(lot, q, received, expires)
		r.Mission, r.Item = "SE", item
		return r
	}
	water := rc("W1", 25, "2021-02-15", "")
	water.Item = "WATER"
	receipts := []Receipt{
		se("RICE", "S1", 50, "2021-03-05", ""),
		rc("L1", 100, "2021-02-01", "2021-03-11"),
		se("INSULIN", "I1", 20, "2021-01-20", "2021-03-20"),
		water,
		rc("L2", 60, "2021-02-10", ""),
		se("INSULIN", "I2", 8, "2021-01-20", "2021-05-01"),
	}
	issues := []Issue{is(28, "2021-03-01"), is(10, "2021-02-01"), is(28, "2021-02-02"), is(5, "2021-03-02")}
	p := Params{
		AsOf:      date("2021-03-01"),
		Threshold: DefaultThreshold,
		PerPerson: map[string]float64{"RICE": 0.4, "WATER": 2},
		Headcount: map[string]int{"RU": 5, "SE": 3},
	}
	got, err := Status(receipts, issues, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Mission: "RU", Item: "RICE", OnHand: 94, DailyRate: 2, RateSource: RateUsage, DaysOfSupply: intp(39),
			Expiring30d: 16, NearExpiry30d: 34, NearExpiry90d: 34},
		{Mission: "RU", Item: "WATER", OnHand: 25, DailyRate: 10, RateSource: RatePlan, DaysOfSupply: intp(2),
			Shortage: true},
		{Mission: "SE", Item: "INSULIN", OnHand: 28, RateSource: RatePlan, Expiring30d: 20,
			NearExpiry30d: 20, NearExpiry90d: 28},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Status (-want +got):\n%s", diff)
	}

	b, err := json.Marshal(got[2])
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"mission":"SE","item":"INSULIN","on_hand":28,"daily_rate":0,"rate_source":"plan","days_of_supply":null,` +
		`"expiring_30d":20,"shortage":false,"near_expiry_30d":20,"near_expiry_90d":28}`
	if string(b) != wantJSON {
		t.Errorf("JSON: got %s, want %s", b, wantJSON)
	}

	// The threshold decides the shortage only.
	p.Threshold = 40
	got, _ = Status(receipts, issues, p)
	if !got[0].Shortage {
		t.Errorf("39 days against a threshold of 40: got no shortage")
	}
}

func TestStatusOverdraw(t *testing.T) {
	receipts := []Receipt{rc("L1", 5, "2021-02-01", "")}
	issues := []Issue{is(1, "2021-02-02"), is(6, "2021-02-03"), is(100, "2021-03-05")}
	_, err := Status(receipts, issues, Params{AsOf: date("2021-03-01")})
	oe, ok := err.(*OverdrawError)
	if !ok || oe.Index != 1 || oe.Available != 4 {
		t.Fatalf("got %v, want issue 1 short with 4 on hand", err)
	}
}

func TestStatusRate(t *testing.T) {
	asOf := date("2021-03-01")
	stock := []Receipt{rc("L1", 1000, "2021-01-01", "")}
	tests := []struct {
		name   string
		issues []Issue
		rate   float64
		source string
	}{
		{"no issues: plan", nil, 0.4 * 7, RatePlan},
		{"issue on as_of−28 is outside", []Issue{is(28, "2021-02-01")}, 0.4 * 7, RatePlan},
		{"issue on as_of−27 is inside", []Issue{is(28, "2021-02-02")}, 1, RateUsage},
		{"issue after as_of is outside", []Issue{is(28, "2021-03-02")}, 0.4 * 7, RatePlan},
		{"an issue of 0 still means usage", []Issue{is(0, "2021-02-20")}, 0, RateUsage},
		{"sum over 28 days", []Issue{is(13, "2021-02-20"), is(1, "2021-03-01")}, 0.5, RateUsage},
		{"rounded to six decimals", []Issue{is(13, "2021-02-20")}, 0.464286, RateUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Status(stock, tt.issues, Params{AsOf: asOf,
				PerPerson: map[string]float64{"RICE": 0.4}, Headcount: map[string]int{"RU": 7}})
			if err != nil {
				t.Fatal(err)
			}
			if rows[0].DailyRate != tt.rate || rows[0].RateSource != tt.source {
				t.Errorf("got %v %s, want %v %s", rows[0].DailyRate, rows[0].RateSource, tt.rate, tt.source)
			}
		})
	}
}

func TestDaysOfSupply(t *testing.T) {
	const none = noExpiry
	tests := []struct {
		name     string
		qty      []float64
		exp      []Date // days after as_of
		rate     float64
		days     int
		expiring float64
	}{
		{"whole days", []float64{10}, []Date{none}, 2, 5, 0},
		{"a part day does not count", []float64{10}, []Date{none}, 3, 3, 0},
		{"nothing on hand", nil, nil, 1, 0, 0},
		{"within 1e-9 counts", []float64{5}, []Date{none}, 5.0000000005, 1, 0},
		{"beyond 1e-9 does not", []float64{5}, []Date{none}, 5.000001, 0, 0},
		// Days 1–2 take 8 of A; day 3 discards its 2; B covers days 3–4.
		{"expiry mid-way", []float64{10, 10}, []Date{3, none}, 4, 4, 2},
		{"expiring on day 1", []float64{10, 10}, []Date{1, none}, 5, 2, 10},
		// Day 31 discards 7, after the 30 days step 4 counts.
		{"expiry after day 30 is not counted", []float64{10}, []Date{31}, 0.1, 30, 0},
		{"capped at ten years", []float64{1e6}, []Date{none}, 1, MaxDays, 0},
		{"a rate within the slack is always covered", nil, nil, 1e-10, MaxDays, 0},
		// Day 1: A 3→1. Day 2: A's 1 and 1 of B (9 left). Days 3–4: B 5.
		// Day 5 discards B's 5; C covers days 5–6; day 7 has nothing.
		{"several expiries", []float64{3, 10, 4}, []Date{4, 5, none}, 2, 6, 5},
		{"a short day ends the count", []float64{9}, []Date{none}, 2, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asOf := date("2021-03-01")
			exp := make([]Date, len(tt.exp))
			for i, e := range tt.exp {
				exp[i] = e
				if e != none {
					exp[i] = asOf + e
				}
			}
			days, expiring := daysOfSupply(append([]float64(nil), tt.qty...), exp, asOf, tt.rate)
			if days != tt.days || expiring != tt.expiring {
				t.Errorf("got %d days, %v expiring; want %d, %v", days, expiring, tt.days, tt.expiring)
			}
		})
	}
}
