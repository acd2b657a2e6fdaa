package supply

import (
	"cmp"
	"slices"

	ledger "github.com/outpost-org/outpost/internal/supply"
)

// Short is a mission short of an item: its days of supply (0 when it has
// none left).
type Short struct {
	Mission string
	Days    int
}

// Holder is a mission that holds more of an item than the pooling target:
// Spare is what it holds above target days of its own use.
type Holder struct {
	Mission string
	Spare   float64
}

// ItemSummary is one item across the corps: who is short of it and who
// holds spare, in the terms of the pooling proposal.
type ItemSummary struct {
	Item string
	// Users counts the missions that use the item (daily rate above 0).
	Users int
	// Short lists the missions in shortage, fewest days first.
	Short []Short
	// OutOfStock counts the missions of Short with no day of supply left.
	OutOfStock int
	// Holders lists the missions above the target, most spare first;
	// Spare is their sum.
	Holders []Holder
	Spare   float64
}

// Summarize sums status rows up by item, for the corps-wide view: the
// missions short of each item and the spare held elsewhere, spare being,
// as for the pooling proposal, what a mission that uses the item holds
// above target days of its use. Items with a shortage come first, those
// with the most missions short before the others, then by code.
func Summarize(rows []ledger.Row, target float64) []ItemSummary {
	by := map[string]*ItemSummary{}
	var order []string
	for _, r := range rows {
		s := by[r.Item]
		if s == nil {
			s = &ItemSummary{Item: r.Item}
			by[r.Item] = s
			order = append(order, r.Item)
		}
		if r.Shortage {
			s.Short = append(s.Short, Short{Mission: r.Mission, Days: *r.DaysOfSupply})
			if *r.DaysOfSupply == 0 {
				s.OutOfStock++
			}
		}
		if !(r.DailyRate > 0) {
			continue
		}
		s.Users++
		if spare := r.OnHand - target*r.DailyRate; spare > 0 {
			s.Holders = append(s.Holders, Holder{Mission: r.Mission, Spare: spare})
			s.Spare += spare
		}
	}
	out := make([]ItemSummary, 0, len(order))
	for _, code := range order {
		s := by[code]
		slices.SortStableFunc(s.Short, func(a, b Short) int { return cmp.Compare(a.Days, b.Days) })
		slices.SortStableFunc(s.Holders, func(a, b Holder) int { return cmp.Compare(b.Spare, a.Spare) })
		out = append(out, *s)
	}
	slices.SortStableFunc(out, func(a, b ItemSummary) int {
		if c := cmp.Compare(len(b.Short), len(a.Short)); c != 0 {
			return c
		}
		return cmp.Compare(a.Item, b.Item)
	})
	return out
}
