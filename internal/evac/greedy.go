package evac

import (
	"cmp"
	"math"
	"slices"
)

// priced returns the departure with room that household h prefers at seat
// prices lam (w·c_j − λ_j·s, ties to the earliest), or -1.
func (s *state) priced(h int32, lam []float64) int32 {
	hh := &s.m.hh[h]
	best, bj := math.Inf(-1), int32(-1)
	wf, sf := float64(hh.w), float64(hh.size)
	for _, j := range s.m.classes[hh.class].elig {
		if s.room(j) < hh.size {
			continue
		}
		if v := wf*float64(s.m.dep[j].c) - lam[j]*sf; v > best {
			best, bj = v, j
		}
	}
	return bj
}

// construct adds unassigned households to s greedily. Households come in
// the order of their reduced value per seat at prices lam and mu (the
// relaxation's view of who is worth most per seat), and each takes the
// departure with room it prefers at those prices. It returns the number
// of households placed.
func construct(s *state, lam, mu []float64) int {
	m := s.m
	type cand struct {
		h   int32
		key float64
	}
	var cs []cand
	for h := range m.hh {
		hh := &m.hh[h]
		if s.at[h] >= 0 || len(m.classes[hh.class].elig) == 0 {
			continue
		}
		best := math.Inf(-1)
		wf, sf := float64(hh.w), float64(hh.size)
		for _, j := range m.classes[hh.class].elig {
			if m.dep[j].seats >= hh.size {
				best = max(best, wf*float64(m.dep[j].c)-lam[j]*sf)
			}
		}
		if math.IsInf(best, -1) {
			continue
		}
		for _, e := range hh.ess {
			best -= mu[e.mission] * float64(e.n)
		}
		cs = append(cs, cand{int32(h), best / sf})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(b.key, a.key); c != 0 {
			return c
		}
		return densityOrder(m, a.h, b.h)
	})
	placed := 0
	for _, c := range cs {
		if !s.budgetOK(c.h) {
			continue
		}
		if j := s.priced(c.h, lam); j >= 0 {
			s.assign(c.h, j)
			placed++
		}
	}
	return placed
}

// densityOrder orders households by weight per seat, highest first, then
// by weight, then by index.
func densityOrder(m *model, a, b int32) int {
	ha, hb := &m.hh[a], &m.hh[b]
	if c := cmp.Compare(hb.w*int64(ha.size), ha.w*int64(hb.size)); c != 0 {
		return c
	}
	if c := cmp.Compare(hb.w, ha.w); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// fill puts every unassigned household that can go (room and minimum staff
// allowing) on its earliest departure with room, densest first, and moves
// assigned households to an earlier departure with room. It reports
// whether the plan changed.
func fill(s *state, byDensity []int32) bool {
	changed := false
	for _, h := range byDensity {
		if s.at[h] >= 0 {
			if j := s.bestRoom(h); j >= 0 && s.m.dep[j].c > s.m.dep[s.at[h]].c {
				s.move(h, j)
				changed = true
			}
			continue
		}
		if !s.budgetOK(h) {
			continue
		}
		if j := s.bestRoom(h); j >= 0 {
			s.assign(h, j)
			changed = true
		}
	}
	return changed
}
