package evacuation

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Comparison is two saved plans side by side, as one user may see them:
// the households that moved from one departure to another, those newly
// placed and those no longer placed (named where the user may read them,
// counted by mission otherwise), each departure's totals in both, and the
// difference in words.
type Comparison struct {
	A PlanBrief `json:"a"`
	B PlanBrief `json:"b"`
	// Moved, Placed and Dropped are the households the user may read:
	// on another departure in B, on a departure in B only, in A only.
	Moved   []HouseholdMove `json:"moved"`
	Placed  []HouseholdMove `json:"placed"`
	Dropped []HouseholdMove `json:"dropped"`
	// Others counts, by mission, the changes to households the user may
	// not read.
	Others []MissionChanges `json:"others"`
	// Departures are every departure either plan uses, by time.
	Departures []DepartureTotals `json:"departures"`
	// Words says the difference: "Plan 5 places 3 more people than plan
	// 3 and scores 120 more; …".
	Words string `json:"words"`
	// Named is as in PlanView: "all", "mission" or "none".
	Named   string `json:"named"`
	Mission string `json:"mission,omitempty"`
}

// PlanBrief is one side of a comparison.
type PlanBrief struct {
	Plan      int64     `json:"plan"`
	Start     string    `json:"start"`
	Score     int64     `json:"score"`
	Bound     int64     `json:"bound"`
	People    int       `json:"people"`
	CreatedAt time.Time `json:"created_at"`
}

// HouseholdMove is a household whose place changed: From is its
// departure in A, To in B ("" for none).
type HouseholdMove struct {
	Household string        `json:"household"`
	Mission   string        `json:"mission"`
	From      string        `json:"from,omitempty"`
	To        string        `json:"to,omitempty"`
	People    []PersonBrief `json:"people"`
}

// MissionChanges counts the changed households of one mission.
type MissionChanges struct {
	Mission string `json:"mission"`
	Moved   int    `json:"moved"`
	Placed  int    `json:"placed"`
	Dropped int    `json:"dropped"`
}

// DepartureTotals is one departure's people in each plan.
type DepartureTotals struct {
	Departure string    `json:"departure"`
	Departs   time.Time `json:"departs"`
	Seats     int       `json:"seats"`
	A         int       `json:"a"`
	B         int       `json:"b"`
}

// Change is B's people on the departure less A's.
func (d DepartureTotals) Change() int { return d.B - d.A }

// Same reports whether the plans place every household alike.
func (c Comparison) Same() bool {
	return len(c.Moved)+len(c.Placed)+len(c.Dropped)+len(c.Others) == 0
}

// CompareIDs reads the two plan ids of a comparison as a query gives
// them ("a", "b"): a missing or bad one is EINVALID naming it.
func CompareIDs(aText, bText string) (int64, int64, error) {
	var ids [2]int64
	for i, x := range []struct{ name, text, what string }{{"a", aText, "first"}, {"b", bText, "second"}} {
		id, err := PlanID(strings.TrimSpace(x.text))
		if err != nil {
			return 0, 0, outpost.Errorf(outpost.EINVALID, "%s: choose the %s plan to compare, a plan's number (got %q)", x.name, x.what, x.text)
		}
		ids[i] = id
	}
	return ids[0], ids[1], nil
}

// Compare compares the saved plans a and b for the caller, with the
// rights of reading a plan: a plan that is not there is NoPlan.
func (s *Service) Compare(ctx context.Context, caller outpost.User, a, b int64) (Comparison, error) {
	if err := MayRead(caller); err != nil {
		return Comparison{}, err
	}
	loc, err := s.zone(ctx)
	if err != nil {
		return Comparison{}, err
	}
	var docs [2]outpost.PlanDoc
	for i, id := range []int64{a, b} {
		if docs[i], err = s.savedPlan(ctx, id); err != nil {
			return Comparison{}, err
		}
	}
	deps, err := s.store.Departures(ctx)
	if err != nil {
		return Comparison{}, fmt.Errorf("read departures: %w", err)
	}
	people, err := s.store.People(ctx, outpost.PeopleFilter{})
	if err != nil {
		return Comparison{}, fmt.Errorf("read people: %w", err)
	}
	c := ComparePlans(docs[0], docs[1], deps, people, caller)
	for i := range c.Departures {
		c.Departures[i].Departs = c.Departures[i].Departs.In(loc)
	}
	return c, nil
}

// ComparePlans compares plan a with plan b for u over the registry's
// departures and people.
func ComparePlans(a, b outpost.PlanDoc, deps []outpost.Departure, people []outpost.Person, u outpost.User) Comparison {
	c := Comparison{A: brief(a), B: brief(b), Moved: []HouseholdMove{}, Placed: []HouseholdMove{}, Dropped: []HouseholdMove{},
		Others: []MissionChanges{}, Departures: []DepartureTotals{}}
	c.Named, c.Mission = namedFor(u)
	r := newReader(people, u, outpost.Date(b.Start))
	inA, inB := placement(a), placement(b)
	others := map[string]*MissionChanges{}
	note := func(hh string, x outpost.PlanAssignment, from, to string, list *[]HouseholdMove, count func(*MissionChanges)) {
		m := HouseholdMove{Household: hh, From: from, To: to, People: []PersonBrief{}}
		for _, id := range x.People {
			p, named := r.brief(id)
			if m.Mission == "" {
				m.Mission = p.Mission
			}
			if named {
				m.People = append(m.People, p)
			}
		}
		if len(m.People) > 0 {
			*list = append(*list, m)
			return
		}
		o := others[m.Mission]
		if o == nil {
			o = &MissionChanges{Mission: m.Mission}
			others[m.Mission] = o
		}
		count(o)
	}
	for _, hh := range households(inA, inB) {
		xa, okA := inA[hh]
		xb, okB := inB[hh]
		switch {
		case okA && okB && xa.Departure != xb.Departure:
			note(hh, xb, xa.Departure, xb.Departure, &c.Moved, func(o *MissionChanges) { o.Moved++ })
		case okB && !okA:
			note(hh, xb, "", xb.Departure, &c.Placed, func(o *MissionChanges) { o.Placed++ })
		case okA && !okB:
			note(hh, xa, xa.Departure, "", &c.Dropped, func(o *MissionChanges) { o.Dropped++ })
		}
	}
	for _, o := range others {
		c.Others = append(c.Others, *o)
	}
	sort.Slice(c.Others, func(i, j int) bool { return c.Others[i].Mission < c.Others[j].Mission })
	c.Departures = totals(a, b, deps)
	c.Words = compareWords(c.A, c.B)
	return c
}

func brief(d outpost.PlanDoc) PlanBrief {
	b := PlanBrief{Plan: d.Plan, Start: d.Start, Score: d.Score, Bound: d.Bound, CreatedAt: d.CreatedAt}
	for _, x := range d.Assignments {
		b.People += len(x.People)
	}
	return b
}

// placement maps each household of a plan to its assignment.
func placement(d outpost.PlanDoc) map[string]outpost.PlanAssignment {
	out := make(map[string]outpost.PlanAssignment, len(d.Assignments))
	for _, x := range d.Assignments {
		out[x.Household] = x
	}
	return out
}

// households lists the households of either plan, in order.
func households(a, b map[string]outpost.PlanAssignment) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, m := range []map[string]outpost.PlanAssignment{a, b} {
		for hh := range m {
			if !seen[hh] {
				seen[hh] = true
				out = append(out, hh)
			}
		}
	}
	sort.Strings(out)
	return out
}

// totals counts each departure's people in a and b, by time.
func totals(a, b outpost.PlanDoc, deps []outpost.Departure) []DepartureTotals {
	byID := map[string]outpost.Departure{}
	for _, d := range deps {
		byID[d.ID] = d
	}
	index := map[string]int{}
	var out []DepartureTotals
	add := func(doc outpost.PlanDoc, inB bool) {
		for _, x := range doc.Assignments {
			i, ok := index[x.Departure]
			if !ok {
				d := byID[x.Departure]
				i = len(out)
				index[x.Departure] = i
				out = append(out, DepartureTotals{Departure: x.Departure, Departs: d.Departs, Seats: d.Seats})
			}
			if inB {
				out[i].B += len(x.People)
			} else {
				out[i].A += len(x.People)
			}
		}
	}
	add(a, false)
	add(b, true)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Departs.Equal(out[j].Departs) {
			return out[i].Departs.Before(out[j].Departs)
		}
		return out[i].Departure < out[j].Departure
	})
	if out == nil {
		out = []DepartureTotals{}
	}
	return out
}

// compareWords says how plan b differs from plan a: people placed, score,
// and how close each is to the best possible.
func compareWords(a, b PlanBrief) string {
	pa, pb := fmt.Sprintf("plan %d", a.Plan), fmt.Sprintf("Plan %d", b.Plan)
	var s string
	switch d := b.People - a.People; {
	case d > 0:
		s = fmt.Sprintf("%s places %s more than %s (%s against %s)", pb, People(d), pa, outpost.Thousands(b.People), outpost.Thousands(a.People))
	case d < 0:
		s = fmt.Sprintf("%s places %s fewer than %s (%s against %s)", pb, People(-d), pa, outpost.Thousands(b.People), outpost.Thousands(a.People))
	default:
		s = fmt.Sprintf("%s places as many people as %s (%s)", pb, pa, outpost.Thousands(b.People))
	}
	switch d := b.Score - a.Score; {
	case d > 0:
		s += fmt.Sprintf(" and scores %s more (%s against %s)", outpost.Thousands(int(d)), outpost.Thousands(int(b.Score)), outpost.Thousands(int(a.Score)))
	case d < 0:
		s += fmt.Sprintf(" and scores %s less (%s against %s)", outpost.Thousands(int(-d)), outpost.Thousands(int(b.Score)), outpost.Thousands(int(a.Score)))
	default:
		s += fmt.Sprintf(" and scores the same (%s)", outpost.Thousands(int(b.Score)))
	}
	if a.Start != b.Start {
		s += fmt.Sprintf("; they start on different days (%s and %s), so their scores weigh days differently", a.Start, b.Start)
	}
	return s + "; " + closeness(fmt.Sprintf("plan %d", b.Plan), b) + ", " + closeness(pa, a) + "."
}

// closeness says how close a plan is to the best possible.
func closeness(name string, p PlanBrief) string {
	if gap, best := Gap(p.Score, p.Bound); !best {
		return name + " is within " + gap + " of the best possible"
	}
	return name + " is the best possible"
}
