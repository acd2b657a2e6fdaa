package supply

import (
	"cmp"
	"slices"
)

// Span is a stretch of days of one ledger, From (inclusive; the zero Date
// means since the beginning) to To (exclusive), in which the ledger's lots
// change only by issues.
type Span struct {
	Mission, Item string
	From, To      Date
}

// RateWindow is how many days, up to and including the as-of day, the
// daily rate sums the issues of.
const RateWindow = 28

// Spans cuts the days up to asOf of every ledger with a receipt on or
// before asOf into spans within which nothing happens to its lots but
// issues: a cut falls on every day a lot arrives, the day after (a lot
// that comes already expired is discarded then), every day a lot expires,
// and the first day of the rate window (asOf − 27). The last span of a
// ledger ends after asOf.
//
// Within a span the issues can be summed into one issue dated the span's
// first day (SumIssues) and Status computes the same rows from them, up
// to the rounding of the sums: the replay draws the same total from the
// same lots in the same order before the next cut, and the rate window is
// made of whole spans. A ledger of a year of daily issues then has a few
// dozen issues instead of hundreds, so a store can hand over the sums
// instead of every row. The spans come sorted by mission, item and date.
func Spans(receipts []Receipt, asOf Date) []Span {
	type key struct{ mission, item string }
	cuts := map[key][]Date{}
	add := func(k key, d Date) {
		if d > 0 && d <= asOf {
			cuts[k] = append(cuts[k], d)
		}
	}
	for _, r := range receipts {
		if r.Received > asOf {
			continue
		}
		k := key{r.Mission, r.Item}
		add(k, r.Received)
		add(k, r.Received+1)
		add(k, r.Expires)
		add(k, asOf-RateWindow+1)
	}
	keys := make([]key, 0, len(cuts))
	for k := range cuts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.mission, b.mission), cmp.Compare(a.item, b.item))
	})
	var spans []Span
	for _, k := range keys {
		ds := cuts[k]
		slices.Sort(ds)
		ds = slices.Compact(ds)
		from := Date(0)
		for _, d := range ds {
			spans = append(spans, Span{Mission: k.mission, Item: k.item, From: from, To: d})
			from = d
		}
		spans = append(spans, Span{Mission: k.mission, Item: k.item, From: from, To: asOf + 1})
	}
	return spans
}

// Day answers the date a span's summed issues take: its first day, or,
// for the span before the ledger's first cut (where a ledger that replays
// has no issues), the day before that cut.
func (s Span) Day() Date {
	if s.From == 0 {
		return s.To - 1
	}
	return s.From
}

// SumIssues sums, for each span, the issues of its ledger dated within it
// into one issue dated s.Day(); a span without issues gives none. Issues
// outside every span are left out. It is what a store computes in SQL,
// written out for tests.
func SumIssues(spans []Span, issues []Issue) []Issue {
	var out []Issue
	for _, s := range spans {
		sum, found := 0.0, false
		for _, u := range issues {
			if u.Mission == s.Mission && u.Item == s.Item && u.Date >= s.From && u.Date < s.To {
				sum += u.Quantity
				found = true
			}
		}
		if found {
			out = append(out, Issue{Mission: s.Mission, Item: s.Item, Quantity: sum, Date: s.Day()})
		}
	}
	return out
}
