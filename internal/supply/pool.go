package supply

import (
	"cmp"
	"math"
	"slices"
)

// DefaultTarget is the pooling target in days of supply when none is given.
const DefaultTarget = 60

// Transfer is one proposed shipment of an item between two missions.
type Transfer struct {
	From     string  `json:"from"`
	To       string  `json:"to"`
	Quantity float64 `json:"quantity"`
}

// Proposal is the answer of `outpost supply pool`: the level every mission
// reaches, in days of supply, and the transfers that reach it.
type Proposal struct {
	Item      string     `json:"item"`
	LevelDays float64    `json:"level_days"`
	Transfers []Transfer `json:"transfers"` // never nil, so JSON shows []
}

// micro is the unit transfers are counted in: quantities are proposed to
// six decimals, the precision of the status rows they come from, and
// counting in whole millionths makes the bookkeeping exact.
const micro = 1e6

// Pool proposes transfers of item between the missions of rows (status rows,
// of which only those of item with a daily rate above 0 take part) so that
// the lowest days of supply among them is as high as the stock allows, up
// to targetDays, as INTERFACES.md defines it: only missions above the
// target give, and none gives so much that it ends below targetDays × its
// rate.
//
// The level is found by water filling: the receivers, taken from the worst
// off, are raised together to the level L at which their needs use up the
// donors' spare. Transfers are then matched best fit, the largest need
// first, from the donor whose spare fits it most tightly, so that a need is
// split over several donors only when no single donor can meet it. Every
// quantity is a whole number of millionths, rounded down, so no donor ever
// gives more than its spare; LevelDays is what the transfers give (at most
// the target), rounded to six decimals. Transfers are sorted by From,
// then To.
//
// It stays one function: the levelling and the matching share the donors'
// spare and its rounding; read top to bottom, the invariant holds in view.
func Pool(item string, rows []Row, targetDays float64) Proposal {
	type party struct {
		mission string
		s, r    float64
		units   int64 // spare of a donor, need of a receiver, in millionths
	}
	var donors, recv []party
	for _, row := range rows {
		if row.Item != item || !(row.DailyRate > 0) || math.IsInf(row.DailyRate, 0) || math.IsNaN(row.OnHand) || math.IsInf(row.OnHand, 0) {
			continue // a row that is not a finite stock and rate proposes nothing
		}
		p := party{mission: row.Mission, s: row.OnHand, r: row.DailyRate}
		if p.s > targetDays*p.r {
			p.units = toMicro(p.s - targetDays*p.r)
			donors = append(donors, p)
		} else {
			recv = append(recv, p)
		}
	}
	prop := Proposal{Item: item, LevelDays: targetDays, Transfers: []Transfer{}}
	if len(recv) == 0 {
		return prop
	}

	slices.SortFunc(donors, func(a, b party) int { return cmp.Compare(a.mission, b.mission) })
	var spare int64
	for _, d := range donors {
		spare = min(spare+d.units, maxSpare)
	}
	slices.SortFunc(recv, func(a, b party) int {
		if c := cmp.Compare(a.s/a.r, b.s/b.r); c != 0 {
			return c
		}
		return cmp.Compare(a.mission, b.mission)
	})
	level := targetDays
	var sumS, sumR float64
	for k := range recv {
		sumS += recv[k].s
		sumR += recv[k].r
		l := (float64(spare)/micro + sumS) / sumR
		if k+1 < len(recv) && l > recv[k+1].s/recv[k+1].r {
			continue // the next one is below the level too
		}
		level = min(l, targetDays)
		break
	}

	// Needs, rounded down, never exceed the spare: they sum to at most
	// (level·Σr − Σs) ≤ spare, give or take floating-point error, which
	// the last loop takes back from the largest needs.
	var needs int64
	for i := range recv {
		recv[i].units = max(0, toMicro(level*recv[i].r-recv[i].s))
		needs += recv[i].units
	}
	slices.SortFunc(recv, func(a, b party) int {
		if c := cmp.Compare(b.units, a.units); c != 0 {
			return c
		}
		return cmp.Compare(a.mission, b.mission)
	})
	for i := 0; needs > spare && i < len(recv); i++ {
		cut := min(recv[i].units, needs-spare)
		recv[i].units -= cut
		needs -= cut
	}

	give := func(d *party, to string, units int64) {
		d.units -= units
		prop.Transfers = append(prop.Transfers, Transfer{From: d.mission, To: to, Quantity: float64(units) / micro})
	}
	for _, rc := range recv {
		need := rc.units
		if need == 0 {
			break // sorted by need: the rest need nothing either
		}
		best := -1
		for i := range donors {
			if donors[i].units >= need && (best < 0 || donors[i].units < donors[best].units) {
				best = i
			}
		}
		if best >= 0 {
			give(&donors[best], rc.mission, need)
			continue
		}
		// No donor can meet it alone: take from the largest spares.
		for need > 0 {
			big := -1
			for i := range donors {
				if donors[i].units > 0 && (big < 0 || donors[i].units > donors[big].units) {
					big = i
				}
			}
			if big < 0 {
				break // cannot happen: needs ≤ spare
			}
			u := min(need, donors[big].units)
			give(&donors[big], rc.mission, u)
			need -= u
		}
	}
	slices.SortFunc(prop.Transfers, func(a, b Transfer) int {
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})

	// Report the level the transfers reach, not the one aimed at.
	after := make(map[string]float64, len(prop.Transfers))
	for _, t := range prop.Transfers {
		after[t.From] -= t.Quantity
		after[t.To] += t.Quantity
	}
	got := targetDays
	for _, set := range [][]party{donors, recv} {
		for _, p := range set {
			// A donor's units were spent above; its stock is s + after.
			got = min(got, (p.s+after[p.mission])/p.r)
		}
	}
	prop.LevelDays = round6(got)
	return prop
}

// toMicro counts x in whole millionths, rounded down. The small allowance
// keeps a value that is a whole number of millionths but computed a hair
// below it (12 as 11.9999999999998) from losing one.
//
// The result lies in [0, maxUnits]: a conversion of a value beyond int64
// (or of a NaN) is undefined in Go and gave negative transfers, so huge
// values saturate; a donor then offers less than its spare, never more.
func toMicro(x float64) int64 {
	u := math.Floor(x*micro + 1e-4)
	switch {
	case !(u > 0):
		return 0
	case u > maxUnits:
		return maxUnits
	}
	return int64(u)
}

// maxUnits bounds one party's spare or need, in millionths (7.2e10 in the
// item's unit: 72 receipts of the largest quantity allowed), and maxSpare
// their sum, so that int64 arithmetic on them cannot overflow.
const (
	maxUnits = 1 << 56
	maxSpare = 1 << 62
)
