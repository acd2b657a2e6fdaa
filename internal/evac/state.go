package evac

// state is a plan under construction: where each household is, how full
// each departure is and how much of each mission's leave budget is used.
// Every method keeps the plan valid; callers check fits and budgetOK first.
type state struct {
	m     *model
	at    []int32 // departure of each household, or -1
	load  []int32 // people on each departure
	used  []int32 // essential people leaving, per binding mission
	score int64
}

func newState(m *model) *state {
	s := &state{
		m:    m,
		at:   make([]int32, len(m.hh)),
		load: make([]int32, len(m.dep)),
		used: make([]int32, len(m.allow)),
	}
	for i := range s.at {
		s.at[i] = -1
	}
	return s
}

// reset empties the plan.
func (s *state) reset() {
	for i := range s.at {
		s.at[i] = -1
	}
	clear(s.load)
	clear(s.used)
	s.score = 0
}

// copyFrom makes s equal to o without allocating.
func (s *state) copyFrom(o *state) {
	copy(s.at, o.at)
	copy(s.load, o.load)
	copy(s.used, o.used)
	s.score = o.score
}

// value is what household h scores on departure j.
func (s *state) value(h, j int32) int64 {
	return s.m.hh[h].w * s.m.dep[j].c
}

// room is the number of free seats on departure j.
func (s *state) room(j int32) int32 {
	return s.m.dep[j].seats - s.load[j]
}

// budgetOK tells whether unassigned household h may leave without
// breaking a mission's minimum staff.
func (s *state) budgetOK(h int32) bool {
	for _, e := range s.m.hh[h].ess {
		if s.used[e.mission]+e.n > s.m.allow[e.mission] {
			return false
		}
	}
	return true
}

// assign puts unassigned household h on departure j.
func (s *state) assign(h, j int32) {
	hh := &s.m.hh[h]
	s.at[h] = j
	s.load[j] += hh.size
	for _, e := range hh.ess {
		s.used[e.mission] += e.n
	}
	s.score += s.value(h, j)
}

// unassign takes household h off its departure.
func (s *state) unassign(h int32) {
	j := s.at[h]
	hh := &s.m.hh[h]
	s.at[h] = -1
	s.load[j] -= hh.size
	for _, e := range hh.ess {
		s.used[e.mission] -= e.n
	}
	s.score -= s.value(h, j)
}

// move takes assigned household h from its departure to departure j.
func (s *state) move(h, j int32) {
	old := s.at[h]
	size := s.m.hh[h].size
	s.load[old] -= size
	s.load[j] += size
	s.score += s.value(h, j) - s.value(h, old)
	s.at[h] = j
}

// bestRoom returns the earliest departure household h can take now (with
// room; budget not checked), or -1. Earliest is best for the household.
func (s *state) bestRoom(h int32) int32 {
	hh := &s.m.hh[h]
	for _, j := range s.m.classes[hh.class].elig {
		if s.room(j) >= hh.size {
			return j
		}
	}
	return -1
}

// journal records changes so that a tentative move can be undone.
type journal struct {
	h    []int32
	prev []int32
}

func (jl *journal) reset() {
	jl.h = jl.h[:0]
	jl.prev = jl.prev[:0]
}

// set moves household h to departure j (-1 = off), recording the change.
func (s *state) set(jl *journal, h, j int32) {
	old := s.at[h]
	if old == j {
		return
	}
	jl.h = append(jl.h, h)
	jl.prev = append(jl.prev, old)
	switch {
	case old < 0:
		s.assign(h, j)
	case j < 0:
		s.unassign(h)
	default:
		s.move(h, j)
	}
}

// undo reverts every change recorded in jl, last first.
func (s *state) undo(jl *journal) {
	for k := len(jl.h) - 1; k >= 0; k-- {
		h, j := jl.h[k], jl.prev[k]
		old := s.at[h]
		switch {
		case old == j:
		case old < 0:
			s.assign(h, j)
		case j < 0:
			s.unassign(h)
		default:
			s.move(h, j)
		}
	}
	jl.reset()
}
