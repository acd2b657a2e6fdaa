package supply

// A line-by-line port of the reference model (shared/conformance/gen.py:
// lots_replay, order, draw, supply_row, pool), slow on purpose: every day is
// stepped, every sum is taken afresh, lots live in insertion order like a
// Python dict. The fast code is property-tested against it.
//
// One deliberate difference, switchable: with calendar set, the replay
// steps every calendar day up to as_of, as INTERFACES.md says ("on each
// date ... every lot whose expires ≤ that date is discarded"), where gen.py
// steps only the days that carry an event. The two differ only for a lot
// that arrives already expired and sees no later event before as_of.

import (
	"slices"
)

type refLot struct {
	name     string
	qty      float64
	rec, exp Date // exp 0: none
}

// refLots is a Python dict from lot name to [qty, received, expires].
type refLots []refLot

func (ls *refLots) set(l refLot) {
	for i := range *ls {
		if (*ls)[i].name == l.name {
			(*ls)[i] = l // an existing key keeps its place
			return
		}
	}
	*ls = append(*ls, l)
}

func (ls *refLots) del(name string) {
	*ls = slices.DeleteFunc(*ls, func(l refLot) bool { return l.name == name })
}

func (ls refLots) sum() float64 {
	s := 0.0
	for _, l := range ls {
		s += l.qty
	}
	return s
}

// refOrder is gen.order: (no expiry, expires, received, lot).
func refOrder(ls refLots) []string {
	o := slices.Clone(ls)
	slices.SortStableFunc(o, func(a, b refLot) int {
		ka, kb := a.exp == 0, b.exp == 0
		if ka != kb {
			if ka {
				return 1
			}
			return -1
		}
		if a.exp != b.exp {
			return int(a.exp - b.exp)
		}
		if a.rec != b.rec {
			return int(a.rec - b.rec)
		}
		if a.name < b.name {
			return -1
		}
		if a.name > b.name {
			return 1
		}
		return 0
	})
	names := make([]string, len(o))
	for i, l := range o {
		names[i] = l.name
	}
	return names
}

// refDraw is gen.draw.
func refDraw(ls *refLots, need float64) bool {
	if ls.sum()+1e-9 < need {
		return false
	}
	for _, k := range refOrder(*ls) {
		i := slices.IndexFunc(*ls, func(l refLot) bool { return l.name == k })
		take := min((*ls)[i].qty, need)
		(*ls)[i].qty -= take
		need -= take
		if (*ls)[i].qty <= 1e-12 {
			ls.del(k)
		}
		if need <= 1e-12 {
			break
		}
	}
	return true
}

func refDiscard(ls *refLots, day Date) {
	*ls = slices.DeleteFunc(*ls, func(l refLot) bool { return l.exp != 0 && l.exp <= day })
}

// refReplay is gen.lots_replay for one ledger (all rows belong to it).
func refReplay(stock []Receipt, usage []Issue, upto Date, calendar bool) (refLots, bool) {
	var evs []Date
	for _, s := range stock {
		evs = append(evs, s.Received)
		if s.Expires != 0 {
			evs = append(evs, s.Expires)
		}
	}
	for _, u := range usage {
		evs = append(evs, u.Date)
	}
	slices.Sort(evs)
	evs = slices.Compact(evs)
	if calendar && len(evs) > 0 && evs[0] <= upto {
		first := evs[0]
		evs = evs[:0]
		for d := first; d <= upto; d++ {
			evs = append(evs, d)
		}
	}
	lots := refLots{}
	for _, day := range evs {
		if day > upto {
			break
		}
		refDiscard(&lots, day)
		for _, s := range stock {
			if s.Received == day {
				lots.set(refLot{s.Lot, s.Quantity, s.Received, s.Expires})
			}
		}
		for _, u := range usage {
			if u.Date == day && !refDraw(&lots, u.Quantity) {
				return nil, false
			}
		}
	}
	return lots, true
}

// refRow is gen.supply_row for one ledger, unrounded.
type refRow struct {
	onHand, rate, exp30 float64
	source              string
	days                int // -1: None
}

func refSupplyRow(stock []Receipt, usage []Issue, perPerson float64, headcount int, asOf Date, calendar bool) (refRow, bool) {
	lots, ok := refReplay(stock, usage, asOf, calendar)
	if !ok {
		return refRow{}, false
	}
	var row refRow
	row.onHand = lots.sum()
	issued, any := 0.0, false
	for _, u := range usage {
		if asOf-28 < u.Date && u.Date <= asOf {
			issued += u.Quantity
			any = true
		}
	}
	if any {
		row.rate, row.source = issued/28, RateUsage
	} else {
		row.rate, row.source = perPerson*float64(headcount), RatePlan
	}
	row.days = -1
	if row.rate > 0 {
		row.days, row.exp30 = refDays(lots, asOf, row.rate)
	} else {
		for _, l := range lots {
			if l.exp != 0 && l.exp <= asOf+30 {
				row.exp30 += l.qty
			}
		}
	}
	return row, true
}

// refDays is the day-by-day simulation of supply_row (steps 3 and 4).
func refDays(lots refLots, asOf Date, rate float64) (days int, exp30 float64) {
	sim := slices.Clone(lots)
	for k := 1; k <= MaxDays; k++ {
		day := asOf + Date(k)
		for _, l := range sim {
			if l.exp != 0 && l.exp <= day && k <= 30 {
				exp30 += l.qty
			}
		}
		refDiscard(&sim, day)
		if sim.sum()+1e-9 >= rate {
			refDraw(&sim, rate)
			days++
		} else {
			break
		}
	}
	return days, exp30
}

// refPoolLevel is gen.pool's bisection for the level (s, r per mission, all
// with r > 0).
func refPoolLevel(s, r []float64, target float64) float64 {
	spare := 0.0
	var rs, rr []float64
	lo := target
	for i := range s {
		if s[i] > target*r[i] {
			spare += s[i] - target*r[i]
		} else {
			rs, rr = append(rs, s[i]), append(rr, r[i])
		}
		if i == 0 || s[i]/r[i] < lo {
			lo = s[i] / r[i]
		}
	}
	if len(rs) == 0 {
		return target
	}
	hi := target
	for range 200 {
		mid := (lo + hi) / 2
		need := 0.0
		for i := range rs {
			need += max(0, mid*rr[i]-rs[i])
		}
		if need <= spare {
			lo = mid
		} else {
			hi = mid
		}
	}
	return min(lo, target)
}
