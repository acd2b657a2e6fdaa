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
// constraints gives the bound (see bound.go for the proof). Its seat
// prices come from an auction on the relaxation (auction.go), its mission
// prices from a fractional knapsack per mission, alternating. Plans are
// built from the auction's own (fractional) assignment rounded down, and
// greedily at the prices (households by reduced value per seat, each on
// the departure it prefers at the prices), then improved by local search:
// re-packing each departure's seats as a knapsack, moving households to
// make room, swapping pairs between days and trading essential people for
// the missions whose minimum staff binds.
func Solve(in Input, opts Options) (Plan, error) {
	m, err := newModel(&in)
	if err != nil {
		return Plan{}, err
	}
	gs, groupOf := buildGroups(m)
	rounds, epsRel := effort(m, opts)
	lam, mu, bound, auc := solveDual(m, gs, rounds, epsRel)

	// Candidates: the previous plan, the relaxation's own plan rounded,
	// and a greedy plan at the relaxation's prices; each is improved by
	// local search and the best wins (the first of equals).
	best := newState(m)
	warm(best, opts.Previous)
	im := newImprover(best)
	if len(opts.Previous) > 0 {
		im.run(passes(m))
	}
	builds := []func(*state){
		func(s *state) { fromAuction(s, auc, groupOf, im.byDensity); construct(s, lam, mu) },
		func(s *state) { construct(s, lam, mu) },
	}
	if !large(m) {
		// More starting points at scaled prices: cheap at this size, and
		// local search ends in different places from them.
		for _, f := range []float64{0, 0.5, 0.8, 1.25} {
			builds = append(builds, func(s *state) {
				l, u := slices.Clone(lam), slices.Clone(mu)
				for j := range l {
					l[j] *= f
				}
				for k := range u {
					u[k] *= f
				}
				construct(s, l, u)
			})
		}
	}
	for _, build := range builds {
		s := newState(m)
		build(s)
		im.s = s
		im.run(passes(m))
		if s.score > best.score {
			best = s
		}
	}
	return output(m, best, bound), nil
}

// effort chooses the relaxation's work by the instance's size: how many
// rounds of seat and mission prices, and the auction's relative ε (the
// bound is within about ε × people × the largest weight of the
// relaxation's optimum).
func effort(m *model, opts Options) (rounds int, epsRel float64) {
	people := 0
	for h := range m.hh {
		people += int(m.hh[h].size)
	}
	rounds, epsRel = 3, 2e-4
	if people*len(m.dep) > 2_000_000 {
		rounds, epsRel = 1, 1e-3
	}
	if opts.Iterations > 0 {
		rounds = opts.Iterations
	}
	return rounds, epsRel
}

// fromAuction rounds the auction's holdings to a plan: each group's
// households take the departures its people hold seats on, as many whole
// households as the seats held allow, densest groups first.
func fromAuction(s *state, a *auction, groupOf []int32, byDensity []int32) {
	m := s.m
	type hold struct{ j, n int32 }
	holds := make([][]hold, len(a.gs))
	for j := range a.held {
		for _, b := range a.held[j] {
			holds[b.g] = append(holds[b.g], hold{int32(j), b.n})
		}
	}
	for g := range holds {
		slices.SortFunc(holds[g], func(x, y hold) int { return int(x.j - y.j) })
	}
	acc := make([]int32, len(a.gs))
	next := make([]int32, len(a.gs)) // index into holds[g]
	for _, h := range byDensity {
		g := groupOf[h]
		size := m.hh[h].size
		for next[g] < int32(len(holds[g])) && acc[g] < size {
			acc[g] += holds[g][next[g]].n
			next[g]++
		}
		if acc[g] < size || s.at[h] >= 0 {
			continue
		}
		acc[g] -= size
		j := holds[g][next[g]-1].j
		if s.room(j) >= size && s.budgetOK(h) {
			s.assign(h, j)
		}
	}
}

// large tells whether the instance is too large for the quadratic moves
// and the extra starting plan.
func large(m *model) bool {
	return len(m.hh) > 4000
}

// passes is how many local-search passes the model gets.
func passes(m *model) int {
	if large(m) {
		return 2
	}
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
	unassigned := make(map[string]string, len(p.Unassigned))
	for _, u := range p.Unassigned {
		unassigned[u.Household] = u.Reason
	}
	staying := make(map[string]bool, len(p.Staying))
	for _, st := range p.Staying {
		staying[st.Person] = true
	}
	p.LeftBehind = leftBehind(m, unassigned, staying)
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
	case !c.docsOK:
		return ReasonExitDocuments
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
