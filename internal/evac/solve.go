package evac

import (
	"slices"
	"strings"
)

// Solve plans the input: it returns a valid plan, its score and a proven
// upper bound on the score of every valid plan. The same input (and
// options) always gives the same plan.
//
// The method: a Lagrangian relaxation of the seat and minimum-staff
// constraints, its multipliers improved by subgradient steps, gives the
// bound (see bound.go for the proof) and seat prices. Plans are built
// greedily at those prices (households by reduced value per seat, each on
// the departure it prefers at the prices) and improved by local search:
// re-packing each departure's seats as a knapsack and trading essential
// people for the missions whose minimum staff binds.
func Solve(in Input, opts Options) (Plan, error) {
	m, err := newModel(&in)
	if err != nil {
		return Plan{}, err
	}
	gs, _ := buildGroups(m)

	best := newState(m)
	warm(best, opts.Previous)
	im := newImprover(best)
	im.run(passes(m))

	// A first plan at zero prices, so the subgradient has a target.
	cur := newState(m)
	zl, zm := make([]float64, len(m.dep)), make([]float64, len(m.allow))
	construct(cur, zl, zm)
	fill(cur, im.byDensity)
	if cur.score > best.score {
		best.copyFrom(cur)
	}

	ds := newDualSearch(m, gs)
	iters := opts.Iterations
	if iters <= 0 {
		iters = 400
	}
	trial := newState(m)
	ds.run(iters, func() int64 { return best.score }, func(lam, mu []float64) {
		trial.reset()
		construct(trial, lam, mu)
		fill(trial, im.byDensity)
		if trial.score > best.score {
			best.copyFrom(trial)
		}
	})

	// Improve the best plan and a fresh one at the best prices.
	cur = newState(m)
	construct(cur, ds.bestL, ds.bestM)
	im.s = cur
	im.run(passes(m))
	im.s = best
	im.run(passes(m))
	if cur.score > best.score {
		best = cur
	}
	return output(m, best, ds.best), nil
}

// passes is how many local-search passes the model gets.
func passes(m *model) int {
	return 20
}

// warm puts the previous plan's assignments that are still valid into s,
// earliest departure first, skipping any that would overfill a departure
// or break a mission's minimum staff.
func warm(s *state, prev []Assignment) {
	if len(prev) == 0 {
		return
	}
	m := s.m
	hIdx := make(map[string]int32, len(m.hh))
	for h := range m.hh {
		hIdx[m.hh[h].id] = int32(h)
	}
	dIdx := make(map[string]int32, len(m.dep))
	for j := range m.dep {
		dIdx[m.dep[j].id] = int32(j)
	}
	type pair struct{ h, j int32 }
	var ps []pair
	for _, a := range prev {
		h, okH := hIdx[a.Household]
		j, okD := dIdx[a.Departure]
		if !okH || !okD || !sameMembers(m, h, a.People) {
			continue
		}
		ps = append(ps, pair{h, j})
	}
	slices.SortFunc(ps, func(a, b pair) int {
		if a.j != b.j {
			return int(a.j - b.j)
		}
		return strings.Compare(m.hh[a.h].id, m.hh[b.h].id)
	})
	for _, p := range ps {
		hh := &m.hh[p.h]
		if s.at[p.h] >= 0 || !slices.Contains(m.classes[hh.class].elig, p.j) ||
			s.room(p.j) < hh.size || !s.budgetOK(p.h) {
			continue
		}
		s.assign(p.h, p.j)
	}
}

// sameMembers tells whether ids are exactly household h's members.
func sameMembers(m *model, h int32, ids []string) bool {
	mem := m.hh[h].members
	if len(ids) != len(mem) {
		return false
	}
	got := slices.Clone(ids)
	slices.Sort(got)
	for k, pi := range mem {
		if m.in.People[pi].ID != got[k] {
			return false
		}
	}
	return true
}

// output turns a state into a Plan with reasons, sorted.
func output(m *model, s *state, bound int64) Plan {
	p := Plan{Score: s.score, Bound: bound, Horizon: int(m.horizon)}
	for h := range m.hh {
		hh := &m.hh[h]
		if j := s.at[h]; j >= 0 {
			a := Assignment{Departure: m.dep[j].id, Household: hh.id}
			for _, pi := range hh.members {
				a.People = append(a.People, m.in.People[pi].ID)
			}
			p.Assignments = append(p.Assignments, a)
			continue
		}
		reason := unassignedReason(m, s, int32(h))
		p.Unassigned = append(p.Unassigned, Unassigned{Household: hh.id, Reason: reason})
		if reason != ReasonMinStaff {
			continue
		}
		for _, pi := range hh.members {
			per := &m.in.People[pi]
			if per.Essential && blocks(m, s, hh, per.Mission) {
				p.Staying = append(p.Staying, Staying{Person: per.ID, Reason: StayingMinStaff})
			}
		}
	}
	slices.SortFunc(p.Assignments, func(a, b Assignment) int {
		if c := strings.Compare(a.Departure, b.Departure); c != 0 {
			return c
		}
		return strings.Compare(a.Household, b.Household)
	})
	slices.SortFunc(p.Staying, func(a, b Staying) int { return strings.Compare(a.Person, b.Person) })
	// Households and members are already in id order.
	return p
}

// unassignedReason says why household h is left out: the first filter
// that leaves it no departure (nationality, ready date, size), else the
// minimum staff of one of its missions, else the seats.
func unassignedReason(m *model, s *state, h int32) string {
	hh := &m.hh[h]
	c := &m.classes[hh.class]
	switch {
	case !c.natOK:
		return ReasonNoEligibleSeat
	case !c.readyOK:
		return ReasonNotReady
	}
	fits := false
	for _, j := range c.elig {
		if m.dep[j].seats >= hh.size {
			fits = true
			break
		}
	}
	if !fits {
		return ReasonTooLarge
	}
	if !s.budgetOK(h) {
		return ReasonMinStaff
	}
	return ReasonSeatsTaken
}

// blocks tells whether the minimum staff of mission code keeps household hh.
func blocks(m *model, s *state, hh *household, code string) bool {
	for _, e := range hh.ess {
		if m.misCode[e.mission] == code {
			return s.used[e.mission]+e.n > m.allow[e.mission]
		}
	}
	return false
}
