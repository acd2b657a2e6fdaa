package evac

import (
	"fmt"
	"math"
	"strings"
)

// The bound is the Lagrangian dual of the plan's integer programme.
//
// With x[h][j] ∈ {0,1} for household h on eligible departure j (size s_h,
// weight w_h, e_hk essential members of binding mission k), the programme is
//
//	max  Σ_hj w_h c_j x_hj
//	s.t. Σ_j x_hj ≤ 1                 for every household h
//	     Σ_h s_h x_hj ≤ S_j           for every departure j (seats)
//	     Σ_hj e_hk x_hj ≤ A_k         for every mission k (may leave)
//
// where c_j = H − d_j. For any multipliers λ_j ≥ 0 and μ_k ≥ 0 let
//
//	L(λ,μ) = Σ_j λ_j S_j + Σ_k μ_k A_k
//	         + Σ_h max(0, max_j (w_h c_j − λ_j s_h − Σ_k μ_k e_hk)).
//
// Proof that L(λ,μ) ≥ score(x) for every valid plan x: since x satisfies
// the seat and mission constraints and the multipliers are ≥ 0,
//
//	score(x) ≤ score(x) + Σ_j λ_j (S_j − Σ_h s_h x_hj) + Σ_k μ_k (A_k − Σ_hj e_hk x_hj)
//	         = Σ_j λ_j S_j + Σ_k μ_k A_k + Σ_h Σ_j x_hj (w_h c_j − λ_j s_h − Σ_k μ_k e_hk),
//
// and since each household has Σ_j x_hj ≤ 1 with x_hj ∈ {0,1}, its inner
// sum is either 0 or one of the terms, so at most the max over j of them
// and 0. Hence the optimum is ≤ L(λ,μ) for every λ, μ ≥ 0, and being an
// integer it is ≤ ⌊L(λ,μ)⌋.
//
// To keep the proof free of rounding, the bound is evaluated at multipliers
// that are whole multiples of 1/boundScale, in int64 arithmetic scaled by
// boundScale: every term is then computed exactly. The float64 search
// (auction.go) only chooses the multipliers.
const boundScale = 1 << 16

// group is a set of households that the relaxation cannot tell apart:
// same eligible departures, size, weight and essential members.
type group struct {
	class int32
	size  int32
	w     int64
	ess   []essCount
	count int64
}

// buildGroups groups the households; it returns the groups and each
// household's group.
func buildGroups(m *model) ([]group, []int32) {
	var gs []group
	of := make([]int32, len(m.hh))
	idx := map[string]int32{}
	var key strings.Builder
	for h := range m.hh {
		hh := &m.hh[h]
		key.Reset()
		fmt.Fprintf(&key, "%d/%d/%d", hh.class, hh.size, hh.w)
		for _, e := range hh.ess {
			fmt.Fprintf(&key, "/%d:%d", e.mission, e.n)
		}
		g, ok := idx[key.String()]
		if !ok {
			g = int32(len(gs))
			idx[key.String()] = g
			gs = append(gs, group{class: hh.class, size: hh.size, w: hh.w, ess: hh.ess})
		}
		gs[g].count++
		of[h] = g
	}
	return gs, of
}

// exactBound returns ⌊L(λ,μ)⌋ for the multipliers lam and mu rounded to
// multiples of 1/boundScale (negative ones taken as 0), computed exactly.
func exactBound(m *model, gs []group, lam, mu []float64) int64 {
	q := func(x float64) int64 {
		if !(x > 0) {
			return 0
		}
		return int64(math.Round(x * boundScale))
	}
	lq := make([]int64, len(lam))
	var total int64
	for j, x := range lam {
		lq[j] = q(x)
		total += lq[j] * int64(m.dep[j].seats)
	}
	mq := make([]int64, len(mu))
	for k, x := range mu {
		mq[k] = q(x)
		total += mq[k] * int64(m.allow[k])
	}
	for g := range gs {
		gr := &gs[g]
		best := int64(math.MinInt64)
		for _, j := range m.classes[gr.class].elig {
			if m.dep[j].seats < gr.size {
				continue
			}
			v := gr.w*m.dep[j].c*boundScale - lq[j]*int64(gr.size)
			best = max(best, v)
		}
		if best == math.MinInt64 {
			continue
		}
		for _, e := range gr.ess {
			best -= mq[e.mission] * int64(e.n)
		}
		if best > 0 {
			total += best * gr.count
		}
	}
	return total / boundScale // total ≥ 0, so this is the floor
}
