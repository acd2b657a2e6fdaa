package supply_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/supply"
)

func row(mission, item string, onHand, rate float64, days int, short bool) supply.Row {
	r := supply.Row{Mission: mission, Item: item, OnHand: onHand, DailyRate: rate, Shortage: short}
	if rate > 0 {
		r.DaysOfSupply = intp(days)
	}
	return r
}

func TestSummarize(t *testing.T) {
	cases := []struct {
		name   string
		rows   []supply.Row
		target float64
		want   []supplyservice.ItemSummary
	}{
		{"nothing", nil, 60, []supplyservice.ItemSummary{}},
		{
			// CN holds 1000 of oil at 10 a day: 400 above 60 days. RU holds
			// 700 at 5: 400 spare. BG and EG are short, EG out of it; KP has
			// no use, so neither needs nor gives.
			name: "short and spare",
			rows: []supply.Row{
				row("BG", "OIL", 3, 1, 3, true), row("BG", "SOAP", 100, 1, 100, false),
				row("CN", "OIL", 1000, 10, 100, false),
				row("EG", "OIL", 0, 2, 0, true), row("EG", "SUGAR", 1, 1, 1, true),
				row("KP", "OIL", 50, 0, 0, false),
				row("RU", "OIL", 700, 5, 140, false),
			},
			target: 60,
			want: []supplyservice.ItemSummary{
				{Item: "OIL", Users: 4, Short: []supplyservice.Short{{"EG", 0}, {"BG", 3}}, OutOfStock: 1,
					Holders: []supplyservice.Holder{{"CN", 400}, {"RU", 400}}, Spare: 800},
				{Item: "SUGAR", Users: 1, Short: []supplyservice.Short{{"EG", 1}}},
				{Item: "SOAP", Users: 1, Holders: []supplyservice.Holder{{"BG", 40}}, Spare: 40},
			},
		},
		{
			name:   "a higher target leaves less spare",
			rows:   []supply.Row{row("CN", "OIL", 1000, 10, 100, false), row("RU", "OIL", 700, 5, 140, false)},
			target: 120,
			want:   []supplyservice.ItemSummary{{Item: "OIL", Users: 2, Holders: []supplyservice.Holder{{"RU", 100}}, Spare: 100}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := supplyservice.Summarize(tc.rows, tc.target)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Summarize at %v days (-want +got):\n%s", tc.target, diff)
			}
		})
	}
}
