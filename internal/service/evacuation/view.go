package evacuation

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// PlanView is a saved plan as one user may see it, grouped by departure.
// Everyone who may read plans gets every count; names appear only for
// the people whose records the user may read (their own mission's, or
// everyone's for the admin). A plan covers every mission, so a mission's
// user sees their own households by name and the others as counts.
type PlanView struct {
	Plan      int64     `json:"plan"`
	Start     string    `json:"start"`
	Score     int64     `json:"score"`
	Bound     int64     `json:"bound"`
	CreatedAt time.Time `json:"created_at"`
	// People and Households count everyone the plan puts on a departure.
	People     int `json:"people"`
	Households int `json:"households"`
	// Named says whose people are named: "all", "mission" (Mission's
	// only) or "none" (counts only).
	Named   string `json:"named"`
	Mission string `json:"mission,omitempty"`
	// Departures are the departures the plan uses, by time.
	Departures []DepartureView `json:"departures"`
	// Unassigned are the households left out that the user may read, with
	// the reason; UnassignedCounts counts every one by reason.
	Unassigned       []HouseholdView `json:"unassigned"`
	UnassignedCounts []ReasonCount   `json:"unassigned_counts"`
	// Staying are the essential people kept for their mission's minimum
	// staff that the user may read; StayingByMission counts every one.
	Staying          []PersonBrief  `json:"staying"`
	StayingByMission []MissionCount `json:"staying_by_mission"`
	// ExcludedDepartures are the departures a border closure took out.
	ExcludedDepartures []outpost.PlanExcluded `json:"excluded_departures"`
	// Summary is the plan in plain words.
	Summary Summary `json:"summary"`
	// LeftBehind are the people left in the country that the user may
	// read, with the reason (leftbehind.go); LeftBehindCounts counts
	// every one by reason.
	LeftBehind       []LeftBehindView `json:"left_behind"`
	LeftBehindCounts []PeopleCount    `json:"left_behind_counts"`
}

// DepartureView is one departure of a plan: the counts of everyone on it
// and the households the user may read.
type DepartureView struct {
	Departure  string          `json:"departure"`
	Route      string          `json:"route"`
	Departs    time.Time       `json:"departs"`
	Seats      int             `json:"seats"`
	Crossing   string          `json:"crossing,omitempty"`
	People     int             `json:"people"`
	Households int             `json:"households"`
	ByMission  []MissionCount  `json:"by_mission"`
	Named      []HouseholdView `json:"named_households"`
	// Hidden counts the people on the departure not named for the user.
	Hidden int `json:"hidden_people"`
}

// MissionCount counts one mission's people and households.
type MissionCount struct {
	Mission    string `json:"mission"`
	People     int    `json:"people"`
	Households int    `json:"households"`
}

// ReasonCount counts the households left out for one reason.
type ReasonCount struct {
	Reason     string `json:"reason"`
	Households int    `json:"households"`
}

// HouseholdView is a household with the members the user may read.
type HouseholdView struct {
	Household string        `json:"household"`
	Mission   string        `json:"mission"`
	Reason    string        `json:"reason,omitempty"`
	People    []PersonBrief `json:"people"`
}

// PersonBrief is what a plan shows of a person.
type PersonBrief struct {
	ID         string `json:"id"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Mission    string `json:"mission"`
	// Medical is the planner's level: the imported one or an open case's.
	Medical int `json:"medical"`
	// Minor is true for someone under 18 on the plan's start date.
	Minor bool `json:"minor"`
}

// view loads what a plan view needs from the store and builds it for u,
// with its summary written in loc.
func view(ctx context.Context, s Store, doc outpost.PlanDoc, u outpost.User, loc *time.Location) (PlanView, error) {
	deps, err := s.Departures(ctx)
	if err != nil {
		return PlanView{}, fmt.Errorf("read departures: %w", err)
	}
	people, err := s.People(ctx, outpost.PeopleFilter{})
	if err != nil {
		return PlanView{}, fmt.Errorf("read people: %w", err)
	}
	levels, err := s.MedicalLevels(ctx)
	if err != nil {
		return PlanView{}, fmt.Errorf("read medical levels: %w", err)
	}
	for i := range people {
		people[i].Medical = max(people[i].Medical, levels[people[i].ID])
	}
	present, err := presentAt(ctx, s, outpost.Date(doc.Start), loc)
	if err != nil {
		return PlanView{}, err
	}
	return pageView(doc, deps, people, present, u, loc), nil
}

// presentAt says who was in the country at the start of day in loc, as
// the planner counted them: the people a plan leaves behind.
func presentAt(ctx context.Context, s Store, day outpost.Date, loc *time.Location) (map[string]bool, error) {
	before := day.Start(loc).Unix() - 1
	present := map[string]bool{}
	if err := s.Presence(ctx, func(p outpost.Presence) error {
		if census.StatusAt(p.History, before) == outpost.InCountry {
			present[p.Person] = true
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read presence: %w", err)
	}
	return present, nil
}

// NewView builds the view of a plan for u from the departures and the
// people of the registry (with their planner's medical level).
func NewView(doc outpost.PlanDoc, deps []outpost.Departure, people []outpost.Person, u outpost.User) PlanView {
	return newView(doc, deps, newReader(people, u, outpost.Date(doc.Start)))
}

// pageView is the view of a plan with its summary, as the plan page shows
// it: present says who was in the country at the plan's start, loc is the
// post's zone. Both read the people through one reader.
func pageView(doc outpost.PlanDoc, deps []outpost.Departure, people []outpost.Person, present map[string]bool, u outpost.User, loc *time.Location) PlanView {
	r := newReader(people, u, outpost.Date(doc.Start))
	v := newView(doc, deps, r)
	v.Summary = summaryOf(doc, deps, r, present, loc)
	return v
}

func newView(doc outpost.PlanDoc, deps []outpost.Departure, r reader) PlanView {
	u := r.u
	v := PlanView{Plan: doc.Plan, Start: doc.Start, Score: doc.Score, Bound: doc.Bound, CreatedAt: doc.CreatedAt,
		Departures: []DepartureView{}, Unassigned: []HouseholdView{}, UnassignedCounts: []ReasonCount{},
		Staying: []PersonBrief{}, StayingByMission: []MissionCount{}, ExcludedDepartures: doc.ExcludedDepartures}
	if v.ExcludedDepartures == nil {
		v.ExcludedDepartures = []outpost.PlanExcluded{}
	}
	v.Named, v.Mission = namedFor(u)
	v.addDepartures(doc.Assignments, deps, r)
	v.addUnassigned(doc.Unassigned, r)
	v.addLeftBehind(doc.LeftBehind, r)
	for _, x := range doc.Staying {
		b, named := r.brief(x.Person)
		v.StayingByMission = addCount(v.StayingByMission, b.Mission, false)
		if named {
			v.Staying = append(v.Staying, b)
		}
	}
	sortCounts(v.StayingByMission)
	return v
}

// reader is what u may read of the registry's people, as of a plan's
// start date.
type reader struct {
	u       outpost.User
	start   outpost.Date
	byID    map[string]outpost.Person
	members map[string][]string // household → person ids
}

func newReader(people []outpost.Person, u outpost.User, start outpost.Date) reader {
	r := reader{u: u, start: start, byID: make(map[string]outpost.Person, len(people)), members: map[string][]string{}}
	for _, p := range people {
		r.byID[p.ID] = p
		r.members[p.Household] = append(r.members[p.Household], p.ID)
	}
	return r
}

// brief is what a plan shows of a person, and false when u may not read
// their record (then only the id and mission).
func (r reader) brief(id string) (PersonBrief, bool) {
	p, ok := r.byID[id]
	if !ok {
		return PersonBrief{ID: id}, false
	}
	b := PersonBrief{ID: id, Mission: p.Mission}
	if !r.u.Can(outpost.ReadPeople, p.Mission) {
		return b, false
	}
	b.GivenName, b.FamilyName, b.Medical = p.GivenName, p.FamilyName, p.Medical
	b.Minor = minor(p.BirthDate, r.start)
	return b, true
}

// addDepartures groups the plan's households by departure, by time, with
// the counts of everyone and the households r may read.
func (v *PlanView) addDepartures(assignments []outpost.PlanAssignment, deps []outpost.Departure, r reader) {
	depByID := map[string]outpost.Departure{}
	for _, d := range deps {
		depByID[d.ID] = d
	}
	index := map[string]int{}
	for _, a := range assignments {
		i, ok := index[a.Departure]
		if !ok {
			d := depByID[a.Departure]
			i = len(v.Departures)
			index[a.Departure] = i
			v.Departures = append(v.Departures, DepartureView{Departure: a.Departure, Route: d.Route, Departs: d.Departs,
				Seats: d.Seats, Crossing: d.Crossing, ByMission: []MissionCount{}, Named: []HouseholdView{}})
		}
		dv := &v.Departures[i]
		dv.Households++
		dv.People += len(a.People)
		v.Households++
		v.People += len(a.People)
		hv := HouseholdView{Household: a.Household, People: []PersonBrief{}}
		counted := map[string]bool{}
		for _, id := range a.People {
			b, named := r.brief(id)
			if hv.Mission == "" {
				hv.Mission = b.Mission
			}
			dv.ByMission = addCount(dv.ByMission, b.Mission, !counted[b.Mission])
			counted[b.Mission] = true
			if named {
				hv.People = append(hv.People, b)
			} else {
				dv.Hidden++
			}
		}
		if len(hv.People) > 0 {
			dv.Named = append(dv.Named, hv)
		}
	}
	sort.SliceStable(v.Departures, func(i, j int) bool {
		if !v.Departures[i].Departs.Equal(v.Departures[j].Departs) {
			return v.Departures[i].Departs.Before(v.Departures[j].Departs)
		}
		return v.Departures[i].Departure < v.Departures[j].Departure
	})
	for i := range v.Departures {
		sortCounts(v.Departures[i].ByMission)
	}
}

// addUnassigned counts the households left out by reason and lists those
// r may read.
func (v *PlanView) addUnassigned(unassigned []outpost.PlanUnassigned, r reader) {
	reasons := map[string]int{}
	for _, x := range unassigned {
		reasons[x.Reason]++
		hv := HouseholdView{Household: x.Household, Reason: x.Reason, People: []PersonBrief{}}
		for _, id := range r.members[x.Household] {
			if b, named := r.brief(id); named {
				hv.People = append(hv.People, b)
				hv.Mission = b.Mission
			}
		}
		if len(hv.People) > 0 {
			v.Unassigned = append(v.Unassigned, hv)
		}
	}
	for reason, n := range reasons {
		v.UnassignedCounts = append(v.UnassignedCounts, ReasonCount{Reason: reason, Households: n})
	}
	sort.Slice(v.UnassignedCounts, func(i, j int) bool { return v.UnassignedCounts[i].Reason < v.UnassignedCounts[j].Reason })
}

// minor reports whether someone born on birth is under 18 on day, as the
// planner's score counts children.
func minor(birth, day outpost.Date) bool {
	if len(birth) != len("2006-01-02") {
		return false
	}
	y, err := strconv.Atoi(string(birth[:4]))
	if err != nil {
		return false
	}
	return string(day) < fmt.Sprintf("%04d%s", y+18, birth[4:])
}

// addCount adds one person (and, if newHousehold, one household) to a
// mission's line.
func addCount(list []MissionCount, mission string, newHousehold bool) []MissionCount {
	for i := range list {
		if list[i].Mission == mission {
			list[i].People++
			if newHousehold {
				list[i].Households++
			}
			return list
		}
	}
	mc := MissionCount{Mission: mission, People: 1}
	if newHousehold {
		mc.Households = 1
	}
	return append(list, mc)
}

func sortCounts(list []MissionCount) {
	sort.Slice(list, func(i, j int) bool { return list[i].Mission < list[j].Mission })
}

// Departure returns the view of one departure of the plan, and false when
// the plan puts nobody on it.
func (v PlanView) Departure(id string) (DepartureView, bool) {
	for _, d := range v.Departures {
		if d.Departure == id {
			return d, true
		}
	}
	return DepartureView{}, false
}

// namedFor says whose people u sees by name: "all", "mission" (and which)
// or "none".
func namedFor(u outpost.User) (string, string) {
	switch {
	case u.Role == outpost.RoleAdmin:
		return "all", ""
	case u.Role.MissionBound() && u.Can(outpost.ReadPeople, u.Mission):
		return "mission", u.Mission
	}
	return "none", ""
}
