package evac

import (
	"cmp"
	"slices"
)

// improver runs local search on a plan: re-packing one departure at a time
// (a knapsack over the households that could take its seats) and trading
// essential people between households for the missions whose minimum staff
// binds. Every accepted change raises the score, so the search ends.
type improver struct {
	s         *state
	byDensity []int32   // every household, densest first
	depHH     [][]int32 // households eligible for each departure (size fits)
	jl        journal
	cands     []item
	dp        []int64
	take      []bool
	chosen    []bool  // per household, set by knapsack
	marked    []int32 // households whose chosen flag is set
	pairs     bool    // run the quadratic moves (moderate sizes only)
}

// item is a candidate for a departure's seats in refill.
type item struct {
	h    int32
	v    int64 // score gained by putting h on the departure (or keeping it)
	size int32
}

func newImprover(s *state) *improver {
	m := s.m
	im := &improver{s: s, chosen: make([]bool, len(m.hh)), pairs: len(m.hh) <= 4000}
	im.byDensity = make([]int32, len(m.hh))
	for h := range im.byDensity {
		im.byDensity[h] = int32(h)
	}
	slices.SortFunc(im.byDensity, func(a, b int32) int { return densityOrder(m, a, b) })
	byClass := make([][]int32, len(m.classes))
	for _, h := range im.byDensity {
		k := m.hh[h].class
		byClass[k] = append(byClass[k], h)
	}
	im.depHH = make([][]int32, len(m.dep))
	for k, c := range m.classes {
		for _, j := range c.elig {
			for _, h := range byClass[k] {
				if m.hh[h].size <= m.dep[j].seats {
					im.depHH[j] = append(im.depHH[j], h)
				}
			}
		}
	}
	return im
}

// alt is the best score household h could get elsewhere than on j: on a
// departure with room now, or, when optimistic, on any later departure
// that is large enough (seats may be freed there by the move).
func (im *improver) alt(h, j int32, optimistic bool) int64 {
	s := im.s
	hh := &s.m.hh[h]
	cj := s.m.dep[j].c
	for _, k := range s.m.classes[hh.class].elig {
		if k == j {
			continue
		}
		if s.room(k) >= hh.size || (optimistic && s.m.dep[k].c <= cj && s.m.dep[k].seats >= hh.size) {
			return s.value(h, k)
		}
	}
	return 0
}

// refill re-chooses who takes departure j's seats: the households on it,
// unassigned ones and ones on later departures compete in a knapsack on
// the score each would add there. Households pushed off are put back where
// room allows. The change is kept only if the score rises.
//
// It stays whole: one move of the search, with its undo; split, the state
// that must be restored when the score does not rise would be scattered.
func (im *improver) refill(j int32, optimistic bool) bool {
	s := im.s
	m := s.m
	cj := m.dep[j].c
	im.cands = im.cands[:0]
	var old int64
	// Households on j first; when j is full, an outsider helps only if it
	// is worth more per seat than the least valuable of them.
	floor := 0.0
	if s.room(j) == 0 {
		floor = 1e300
	}
	for _, h := range im.depHH[j] {
		if s.at[h] != j {
			continue
		}
		hh := &m.hh[h]
		v := hh.w*cj - im.alt(h, j, optimistic)
		old += v
		if v > 0 {
			im.cands = append(im.cands, item{h, v, hh.size})
			floor = min(floor, float64(v)/float64(hh.size))
		} else {
			floor = 0
		}
	}
	for _, h := range im.depHH[j] {
		hh := &m.hh[h]
		var v int64
		switch at := s.at[h]; {
		case at == j:
			continue
		case at < 0:
			v = hh.w * cj
		case m.dep[at].c < cj:
			v = hh.w * (cj - m.dep[at].c)
		default:
			continue
		}
		if v > 0 && float64(v)/float64(hh.size) > floor && (s.at[h] >= 0 || s.budgetOK(h)) {
			im.cands = append(im.cands, item{h, v, hh.size})
		}
	}
	best := im.knapsack(m.dep[j].seats)
	chosen := im.chosen
	defer im.unmark()
	if best <= old {
		return false
	}
	before := s.score
	im.jl.reset()
	for _, h := range im.depHH[j] {
		if s.at[h] == j && !chosen[h] {
			s.set(&im.jl, h, -1)
		}
	}
	for _, it := range im.cands {
		if chosen[it.h] && s.at[it.h] != j {
			if s.at[it.h] < 0 && !s.budgetOK(it.h) {
				continue
			}
			s.set(&im.jl, it.h, j)
		}
	}
	// Put back the households pushed off, and fill the seats freed by the
	// ones that moved here.
	n := len(im.jl.h)
	for k := 0; k < n; k++ {
		h := im.jl.h[k]
		if s.at[h] < 0 && s.budgetOK(h) {
			if to := s.bestRoom(h); to >= 0 {
				s.set(&im.jl, h, to)
			}
		}
	}
	if s.score > before {
		return true
	}
	s.undo(&im.jl)
	return false
}

func (im *improver) mark(h int32) {
	im.chosen[h] = true
	im.marked = append(im.marked, h)
}

func (im *improver) unmark() {
	for _, h := range im.marked {
		im.chosen[h] = false
	}
	im.marked = im.marked[:0]
}

// knapsack chooses among im.cands a set of total size at most capacity
// with the largest total v, marks it in im.chosen and returns its value.
// The densest items that surely fit are taken outright; a dynamic
// programme settles the rest among the next ones.
func (im *improver) knapsack(capacity int32) int64 {
	const slack, core = 96, 320
	cs := im.cands
	slices.SortFunc(cs, func(a, b item) int {
		if c := cmp.Compare(b.v*int64(a.size), a.v*int64(b.size)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.v, a.v); c != 0 {
			return c
		}
		return cmp.Compare(a.h, b.h)
	})
	var total int64
	used := int32(0)
	i := 0
	for ; i < len(cs) && used+cs[i].size <= capacity-slack; i++ {
		im.mark(cs[i].h)
		total += cs[i].v
		used += cs[i].size
	}
	rest := cs[i:min(len(cs), i+core)]
	c := int(capacity - used)
	if len(rest) == 0 || c <= 0 {
		return total
	}
	w := c + 1
	im.dp = slices.Grow(im.dp[:0], w)[:w]
	clear(im.dp)
	im.take = slices.Grow(im.take[:0], len(rest)*w)[:len(rest)*w]
	clear(im.take)
	for k, it := range rest {
		row := im.take[k*w : (k+1)*w]
		for x := c; x >= int(it.size); x-- {
			if v := im.dp[x-int(it.size)] + it.v; v > im.dp[x] {
				im.dp[x] = v
				row[x] = true
			}
		}
	}
	x := c
	total += im.dp[c]
	for k := len(rest) - 1; k >= 0; k-- {
		if im.take[k*w+x] {
			im.mark(rest[k].h)
			x -= int(rest[k].size)
		}
	}
	return total
}

// trade tries, for each mission whose leave budget is used up, to let a
// household that is held back leave in place of one that is leaving, when
// that raises the score.
func (im *improver) trade() bool {
	s := im.s
	m := s.m
	if len(m.allow) == 0 {
		return false
	}
	const tries = 12
	changed := false
	leaving := make([][]int32, len(m.allow))
	held := make([][]int32, len(m.allow))
	for _, h := range im.byDensity {
		for _, e := range m.hh[h].ess {
			if s.at[h] >= 0 {
				leaving[e.mission] = append(leaving[e.mission], h)
			} else if len(m.classes[m.hh[h].class].elig) > 0 {
				held[e.mission] = append(held[e.mission], h)
			}
		}
	}
	for k := range m.allow {
		ls := leaving[k]
		// Least valuable leavers first.
		slices.SortFunc(ls, func(a, b int32) int {
			if c := cmp.Compare(s.value(a, s.at[a]), s.value(b, s.at[b])); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		nh := 0
		for _, b := range held[k] {
			if s.at[b] >= 0 || nh >= tries {
				continue
			}
			nh++
			for t, l := range ls {
				if t >= tries {
					break
				}
				if s.at[l] >= 0 && im.exchange(l, b) {
					changed = true
					break
				}
			}
		}
	}
	return changed
}

// exchange takes household l off, puts household b on its best departure
// with room, and refills what l freed; it keeps the change if the score
// rises.
func (im *improver) exchange(l, b int32) bool {
	s := im.s
	before := s.score
	im.jl.reset()
	freed := s.at[l]
	s.set(&im.jl, l, -1)
	if !s.budgetOK(b) {
		s.undo(&im.jl)
		return false
	}
	to := s.bestRoom(b)
	if to < 0 {
		s.undo(&im.jl)
		return false
	}
	s.set(&im.jl, b, to)
	// Fill what is left of the freed seats with the densest household that fits.
	for _, h := range im.depHH[freed] {
		if s.room(freed) == 0 {
			break
		}
		if s.at[h] < 0 && h != l && s.room(freed) >= s.m.hh[h].size && s.budgetOK(h) {
			s.set(&im.jl, h, freed)
		}
	}
	if s.score > before {
		return true
	}
	s.undo(&im.jl)
	return false
}

// run improves the plan until a full pass changes nothing or maxPasses
// passes are done.
func (im *improver) run(maxPasses int) {
	s := im.s
	fill(s, im.byDensity)
	for pass := 0; pass < maxPasses; pass++ {
		before := s.score
		for j := range s.m.dep {
			if !im.refill(int32(j), false) && im.pairs {
				im.refill(int32(j), true)
			}
		}
		if im.pairs {
			im.relocate()
			im.swaps()
		}
		fill(s, im.byDensity)
		im.trade()
		fill(s, im.byDensity)
		if s.score == before {
			break
		}
	}
}

// relocate tries to seat each unassigned household (densest first) on a
// departure that lacks room for it, by moving households off that
// departure to other departures with room, when the household gains more
// than the moved ones lose.
func (im *improver) relocate() bool {
	s := im.s
	m := s.m
	changed := false
	type mv struct {
		h, to int32
		loss  int64
	}
	var mvs []mv
	for _, h := range im.byDensity {
		if s.at[h] >= 0 || !s.budgetOK(h) {
			continue
		}
		hh := &m.hh[h]
		for _, j := range m.classes[hh.class].elig {
			need := hh.size - s.room(j)
			if need <= 0 || m.dep[j].seats < hh.size {
				continue
			}
			gain := s.value(h, j)
			// Households on j that could move elsewhere, cheapest loss per seat first.
			mvs = mvs[:0]
			for _, o := range im.depHH[j] {
				if s.at[o] != j {
					continue
				}
				if k := im.altDep(o, j); k >= 0 {
					mvs = append(mvs, mv{o, k, s.value(o, j) - s.value(o, k)})
				}
			}
			slices.SortFunc(mvs, func(a, b mv) int {
				if c := cmp.Compare(a.loss*int64(m.hh[b.h].size), b.loss*int64(m.hh[a.h].size)); c != 0 {
					return c
				}
				return cmp.Compare(a.h, b.h)
			})
			before := s.score
			im.jl.reset()
			for _, x := range mvs {
				if s.room(j) >= hh.size {
					break
				}
				if x.loss >= gain || s.room(x.to) < m.hh[x.h].size {
					continue
				}
				s.set(&im.jl, x.h, x.to)
			}
			if s.room(j) >= hh.size {
				s.set(&im.jl, h, j)
			}
			if s.score > before {
				changed = true
				break
			}
			s.undo(&im.jl)
		}
	}
	return changed
}

// altDep is the best departure other than j with room for household h, or -1.
func (im *improver) altDep(h, j int32) int32 {
	s := im.s
	hh := &s.m.hh[h]
	for _, k := range s.m.classes[hh.class].elig {
		if k != j && s.room(k) >= hh.size {
			return k
		}
	}
	return -1
}

// swaps exchanges two households on different departures when the heavier
// one then leaves earlier and both departures keep within their seats.
// It looks at every pair of assigned households on departures of
// different days, so it runs only on instances of moderate size.
func (im *improver) swaps() bool {
	s := im.s
	m := s.m
	on := make([][]int32, len(m.dep))
	for _, h := range im.byDensity {
		if j := s.at[h]; j >= 0 {
			on[j] = append(on[j], h)
		}
	}
	changed := false
	for a := range m.dep {
		ja := int32(a)
		for b := a + 1; b < len(m.dep); b++ {
			jb := int32(b)
			ca, cb := m.dep[ja].c, m.dep[jb].c
			if ca == cb {
				continue
			}
			// h on the later departure jb moves to ja; o on ja moves to jb.
			for _, h := range on[jb] {
				if s.at[h] != jb || !im.eligible(h, ja) {
					continue
				}
				for _, o := range on[ja] {
					if s.at[o] != ja || m.hh[o].w >= m.hh[h].w || !im.eligible(o, jb) {
						continue
					}
					sh, so := m.hh[h].size, m.hh[o].size
					if s.room(ja)+so < sh || s.room(jb)+sh < so {
						continue
					}
					s.move(o, jb)
					s.move(h, ja)
					changed = true
					break
				}
			}
		}
	}
	return changed
}

// eligible tells whether household h may take departure j.
func (im *improver) eligible(h, j int32) bool {
	hh := &im.s.m.hh[h]
	return im.s.m.dep[j].seats >= hh.size && slices.Contains(im.s.m.classes[hh.class].elig, j)
}
