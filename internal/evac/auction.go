package evac

import (
	"cmp"
	"math"
	"slices"
)

// auction solves the relaxation's seat part: for fixed mission multipliers
// μ it finds seat prices λ that (nearly) minimise L(λ,μ), by Bertsekas'
// auction algorithm for the transportation problem in which people, not
// households, are the units: a group's people bid for seats, a seat goes
// to the highest bidder, and prices rise by at least ε per bid. At the end
// every person holds a seat within ε of their best choice at the final
// prices (ε-complementary slackness), so L at those prices is within
// ε·(people) of the relaxation's optimum. Only the prices matter for the
// bound, which is then evaluated exactly (see exactBound); the holdings
// guide the first plan.
type auction struct {
	m    *model
	gs   []group
	pen  []float64 // per-person penalty of each group: Σ μ_k e_k / size
	base []float64 // price of each departure's free seats
	free []int32   // free seats
	held []blockHeap
	left []int32 // each group's people holding nothing
	stay []int32 // each group's people who prefer to stay
	eps  float64
	// epsRel sets ε relative to the largest profit per person.
	epsRel float64
	pr     []float64 // cheapest seat of each departure, kept current
	cf     []float64 // c_j as float64
	rho    []float64 // weight per person of each group
	// queue of groups with people left.
	queue  []int32
	queued []bool
	bids   int
	nb     []int32 // bids made by each group in this phase
}

// block is some of a group's people holding seats bought at one price.
type block struct {
	price float64
	g     int32
	n     int32
}

// blockHeap is a min-heap of blocks by price (then group).
type blockHeap []block

func (h blockHeap) less(i, j int) bool {
	if h[i].price != h[j].price {
		return h[i].price < h[j].price
	}
	return h[i].g < h[j].g
}

func (h *blockHeap) push(b block) {
	*h = append(*h, b)
	x := *h
	for i := len(x) - 1; i > 0; {
		p := (i - 1) / 2
		if !x.less(i, p) {
			break
		}
		x[i], x[p] = x[p], x[i]
		i = p
	}
}

func (h *blockHeap) pop() {
	x := *h
	n := len(x) - 1
	x[0] = x[n]
	x = x[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && x.less(r, l) {
			l = r
		}
		if !x.less(l, i) {
			break
		}
		x[i], x[l] = x[l], x[i]
		i = l
	}
	*h = x
}

func newAuction(m *model, gs []group, epsRel float64) *auction {
	return &auction{
		m: m, gs: gs, epsRel: epsRel,
		pen:    make([]float64, len(gs)),
		base:   make([]float64, len(m.dep)),
		free:   make([]int32, len(m.dep)),
		held:   make([]blockHeap, len(m.dep)),
		left:   make([]int32, len(gs)),
		stay:   make([]int32, len(gs)),
		queued: make([]bool, len(gs)),
		nb:     make([]int32, len(gs)),
		pr:     make([]float64, len(m.dep)),
		cf:     make([]float64, len(m.dep)),
		rho:    make([]float64, len(gs)),
	}
}

// price is the cheapest seat on departure j.
func (a *auction) price(j int32) float64 {
	if a.free[j] > 0 {
		return a.base[j]
	}
	if len(a.held[j]) > 0 {
		return a.held[j][0].price
	}
	return math.Inf(1)
}

// profit is what one person of group g is worth on departure j.
func (a *auction) profit(g int32, j int32) float64 {
	return a.rho[g]*a.cf[j] - a.pen[g]
}

// solve runs the auction for mission multipliers mu from zero prices.
func (a *auction) solve(mu []float64) {
	m := a.m
	units := 0.0
	maxA := 0.0
	for g := range a.gs {
		gr := &a.gs[g]
		p := 0.0
		for _, e := range gr.ess {
			p += mu[e.mission] * float64(e.n)
		}
		a.pen[g] = p / float64(gr.size)
		a.rho[g] = float64(gr.w) / float64(gr.size)
		units += float64(gr.count) * float64(gr.size)
		maxA = max(maxA, float64(gr.w)*float64(m.horizon)/float64(gr.size))
	}
	if units == 0 || len(m.dep) == 0 {
		return
	}
	for j := range m.dep {
		a.cf[j] = float64(m.dep[j].c)
	}
	// One phase at a small ε: ε-scaling would start later phases from
	// prices that a forward auction cannot lower where seats go unsold.
	a.eps = max(1e-9, a.epsRel*maxA)
	a.phase()
}

// lambda is departure j's price in the dual: its cheapest seat, 0 when
// some seat is still free at price 0.
func (a *auction) lambda(j int32) float64 {
	p := a.price(j)
	if math.IsInf(p, 1) {
		return 0
	}
	return p
}

// phase clears all holdings and runs the auction at the current ε.
func (a *auction) phase() {
	for j := range a.m.dep {
		a.free[j] = a.m.dep[j].seats
		a.held[j] = a.held[j][:0]
		a.pr[j] = a.price(int32(j))
	}
	a.queue = a.queue[:0]
	for g := range a.gs {
		a.left[g] = int32(a.gs[g].count) * a.gs[g].size
		a.stay[g] = 0
		a.nb[g] = 0
		a.queued[g] = true
		a.queue = append(a.queue, int32(g))
	}
	for len(a.queue) > 0 {
		g := a.queue[0]
		a.queue = a.queue[1:]
		a.queued[g] = false
		for a.left[g] > 0 {
			if !a.bid(g) {
				break
			}
		}
	}
}

// bid lets group g's people without seats bid for their best departure.
// It reports whether they may bid again.
func (a *auction) bid(g int32) bool {
	a.bids++
	gr := &a.gs[g]
	// Best and second best of ρ·c_j − price_j; the penalty is common.
	pen, rho := a.pen[g], a.rho[g]
	v1, v2, j1 := math.Inf(-1), pen, int32(-1)
	dep, pr, cf := a.m.dep, a.pr, a.cf
	for _, j := range a.m.classes[gr.class].elig {
		v := rho*cf[j] - pr[j]
		if v <= v2 || dep[j].seats < gr.size {
			continue
		}
		if v > v1 {
			v1, v2, j1 = v, max(v1, v2), j
		} else {
			v2 = v
		}
	}
	v1 -= pen
	v2 -= pen
	if j1 < 0 || v1 <= 0 {
		a.stay[g] += a.left[g]
		a.left[g] = 0
		return false
	}
	// A group that keeps bidding raises its increment (ε doubles every 64
	// bids) so that price wars between near-equal groups end quickly; it
	// costs at most that group's ε in the bound's gap.
	a.nb[g]++
	b := a.profit(g, j1) - v2 + a.eps*float64(int64(1)<<min(a.nb[g]/64, 30))
	want := a.left[g]
	got := int32(0)
	if f := min(a.free[j1], want); f > 0 && a.base[j1] < b {
		a.free[j1] -= f
		got += f
	}
	h := &a.held[j1]
	for got < want && len(*h) > 0 && (*h)[0].price < b {
		top := &(*h)[0]
		k := min(top.n, want-got)
		got += k
		a.evict(top.g, k)
		top.n -= k
		if top.n == 0 {
			h.pop()
		}
	}
	if got > 0 {
		h.push(block{price: b, g: g, n: got})
		a.left[g] -= got
	}
	a.pr[j1] = a.price(j1)
	return got > 0
}

// evict returns k of group g's people to the bidding.
func (a *auction) evict(g int32, k int32) {
	a.left[g] += k
	if !a.queued[g] {
		a.queued[g] = true
		a.queue = append(a.queue, g)
	}
}

// prices returns the dual seat prices λ.
func (a *auction) prices() []float64 {
	lam := make([]float64, len(a.m.dep))
	for j := range lam {
		lam[j] = a.lambda(int32(j))
	}
	return lam
}

// missionPrices returns the mission multipliers μ that minimise L(λ,μ)
// for fixed λ. For fixed λ the relaxation is, per household, "leave with
// reduced value r_h or stay", and each mission's constraint a fractional
// knapsack: μ_k is the value per essential person of the household at
// which mission k's budget runs out. Households with essential people of
// several missions couple the knapsacks; two Gauss–Seidel sweeps over the
// missions handle them (exactly so when no household has two).
func missionPrices(m *model, gs []group, lam, mu []float64) []float64 {
	mu = append([]float64(nil), mu...)
	if len(mu) == 0 {
		return mu
	}
	r := make([]float64, len(gs))
	byMission := make([][]int32, len(mu))
	for g := range gs {
		gr := &gs[g]
		if len(gr.ess) == 0 {
			continue
		}
		best := 0.0
		for _, j := range m.classes[gr.class].elig {
			if m.dep[j].seats >= gr.size {
				best = max(best, float64(gr.w)*float64(m.dep[j].c)-lam[j]*float64(gr.size))
			}
		}
		r[g] = best
		for _, e := range gr.ess {
			byMission[e.mission] = append(byMission[e.mission], int32(g))
		}
	}
	type it struct {
		ratio float64
		e     float64 // essential people in all the group's households
	}
	var items []it
	for sweep := 0; sweep < 2; sweep++ {
		for k := range mu {
			items = items[:0]
			for _, g := range byMission[k] {
				gr := &gs[g]
				v, ek := r[g], 0.0
				for _, e := range gr.ess {
					if int(e.mission) == k {
						ek = float64(e.n)
					} else {
						v -= mu[e.mission] * float64(e.n)
					}
				}
				if v > 0 {
					items = append(items, it{v / ek, ek * float64(gr.count)})
				}
			}
			slices.SortFunc(items, func(a, b it) int { return cmp.Compare(b.ratio, a.ratio) })
			capLeft := float64(m.allow[k])
			mu[k] = 0
			for _, x := range items {
				if x.e > capLeft {
					mu[k] = x.ratio
					break
				}
				capLeft -= x.e
			}
		}
	}
	return mu
}

// solveDual alternates the auction (seat prices for fixed μ) and
// missionPrices (μ for fixed seat prices) and returns the multipliers with
// the lowest exact bound, that bound, and the last auction.
func solveDual(m *model, gs []group, rounds int, epsRel float64) (lam, mu []float64, bound int64, a *auction) {
	cur := make([]float64, len(m.allow))
	lam = make([]float64, len(m.dep))
	mu = append([]float64(nil), cur...)
	bound = exactBound(m, gs, lam, mu)
	a = newAuction(m, gs, epsRel)
	for r := 0; r < rounds; r++ {
		a.solve(cur)
		l := a.prices()
		if b := exactBound(m, gs, l, cur); b < bound {
			bound, lam, mu = b, l, append([]float64(nil), cur...)
		}
		if len(cur) == 0 {
			break
		}
		next := missionPrices(m, gs, l, cur)
		if b := exactBound(m, gs, l, next); b < bound {
			bound, lam, mu = b, l, append([]float64(nil), next...)
		}
		if slices.Equal(next, cur) || r == rounds-1 {
			break
		}
		cur = next
	}
	return lam, mu, bound, a
}
