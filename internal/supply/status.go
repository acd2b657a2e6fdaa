package supply

// DefaultThreshold is the shortage threshold in days when none is given.
const DefaultThreshold = 14

// Rate sources, as printed in rate_source.
const (
	// RateUsage means the rate is the mission's issues of the last 28 days.
	RateUsage = "usage"
	// RatePlan means the rate is the item's daily_per_person times the
	// mission's headcount.
	RatePlan = "plan"
)

// Params is what Status needs besides the ledger rows.
type Params struct {
	// AsOf is the day at whose end the status is taken.
	AsOf Date
	// Threshold is the shortage threshold in days: a row is short when its
	// days of supply are fewer (DefaultThreshold unless the user says).
	Threshold int
	// PerPerson maps an item code to its daily_per_person; an item that is
	// missing counts as 0, like an empty cell.
	PerPerson map[string]float64
	// Headcount maps a mission code to its people in_country at the end
	// of AsOf; a mission that is missing counts as 0.
	Headcount map[string]int
	// Transferred marks the issues, by their index in the issues passed to
	// Status, that hand stock over to another mission (the matched issue
	// of an agreed transfer). They leave the stock like any issue, but
	// they are not use, so the daily rate leaves them out: a donor's rate
	// must not jump because it gave. Nil means every issue is use.
	Transferred map[int]bool
}

// Row is the supply status of one item at one mission, with the JSON names
// of `outpost supply status --json`. Quantities are rounded to six decimals.
type Row struct {
	Mission    string  `json:"mission"`
	Item       string  `json:"item"`
	OnHand     float64 `json:"on_hand"`
	DailyRate  float64 `json:"daily_rate"`
	RateSource string  `json:"rate_source"` // RateUsage or RatePlan
	// DaysOfSupply is nil when the daily rate is 0.
	DaysOfSupply *int    `json:"days_of_supply"`
	Expiring30d  float64 `json:"expiring_30d"`
	Shortage     bool    `json:"shortage"`
	// NearExpiry30d and NearExpiry90d are what is on hand at the end of
	// AsOf in lots expiring within 30 and 90 days, with nothing consumed:
	// the near-expiry bands of the human table and the situation report.
	NearExpiry30d float64 `json:"near_expiry_30d"`
	NearExpiry90d float64 `json:"near_expiry_90d"`
}

// Status computes one row per (mission, item) with a receipt on or before
// p.AsOf, sorted by mission then item, as INTERFACES.md defines on_hand,
// daily_rate, days_of_supply, expiring_30d and shortage. Rows dated after
// p.AsOf are ignored, and so are issues of a (mission, item) without a
// receipt by then, as in the reference model (Check is what finds those).
// If a ledger cannot be replayed because an issue asks for more than was on
// hand, Status returns an *OverdrawError for the first such issue of that
// ledger; when several ledgers fail, for the one earliest in the input.
//
// The rows are grouped once and the ledgers replayed in parallel, on every
// CPU.
func Status(receipts []Receipt, issues []Issue, p Params) ([]Row, error) {
	g := group(receipts, issues, p.AsOf, false)
	n := len(g.keys)
	rows := make([]Row, n)
	days := make([]int, n) // one allocation behind every DaysOfSupply
	fails := make([]short, n)
	failed := make([]bool, n)

	// Ledgers are similar in size, so equal contiguous shares balance well
	// enough.
	parallel(n, workers(n, 64), func(_, lo, hi int) {
		var s statusScratch
		for l := lo; l < hi; l++ {
			f, ok := s.row(g, l, receipts, &p, &rows[l], &days[l])
			if !ok {
				fails[l], failed[l] = f, true
			}
		}
	})

	var first *short
	for l := range fails {
		if failed[l] && (first == nil || fails[l].rec.idx < first.rec.idx) {
			first = &fails[l]
		}
	}
	if first != nil {
		return nil, overdraw(issues, *first)
	}
	return rows, nil
}

// statusScratch holds one worker's buffers, reused from ledger to ledger.
type statusScratch struct {
	rp  replayer
	qty []float64
	exp []Date
}

// row fills the row of ledger l; it returns the short issue and false when
// the ledger cannot be replayed.
func (s *statusScratch) row(g *ledgers, l int, receipts []Receipt, p *Params, r *Row, days *int) (short, bool) {
	// The rate sums the issues in input order, as the reference does, so
	// it matches to the last bit; the replay needs them by date.
	_, iss := g.ledger(l)
	window, used := 0.0, false
	for i := range iss {
		if iss[i].date > p.AsOf-28 && !p.Transferred[int(iss[i].idx)] {
			window += iss[i].qty
			used = true
		}
	}
	recs, iss := g.prepare(l, receipts)
	s.rp.reset(hasDupNames(receipts, recs))
	if f := s.rp.replay(receipts, recs, iss, p.AsOf, false, nil); len(f) > 0 {
		return f[0], false
	}
	lots := s.rp.sorted()
	k := g.keys[l]
	r.Mission, r.Item = k.mission, k.item

	onHand, near30, near90 := 0.0, 0.0, 0.0
	s.qty, s.exp = s.qty[:0], s.exp[:0]
	for i := range lots {
		q, e := lots[i].qty, lots[i].exp
		onHand += q
		if e <= p.AsOf+30 {
			near30 += q
		}
		if e <= p.AsOf+90 {
			near90 += q
		}
		s.qty = append(s.qty, q)
		s.exp = append(s.exp, e)
	}

	var rate float64
	if used {
		rate, r.RateSource = window/28, RateUsage
	} else {
		rate, r.RateSource = p.PerPerson[k.item]*float64(p.Headcount[k.mission]), RatePlan
	}

	expiring := near30 // with no use, step 4 is every lot expiring in 30 days
	if rate > 0 {
		*days, expiring = daysOfSupply(s.qty, s.exp, p.AsOf, rate)
		r.DaysOfSupply = days
		r.Shortage = *days < p.Threshold
	}
	r.OnHand = round6(onHand)
	r.DailyRate = round6(rate)
	r.Expiring30d = round6(expiring)
	r.NearExpiry30d = round6(near30)
	r.NearExpiry90d = round6(near90)
	return short{}, true
}
