// Package census counts who is in the country at a moment from everyone's
// presence history. It is pure: it takes plain values and returns plain
// values, and holds the whole population in compact arrays so that a
// census of a million people takes milliseconds.
package census

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Census is the count of people by status at a moment, in the shape of
// INTERFACES.md.
type Census struct {
	AsOf                    string          `json:"as_of"`
	InCountry               int             `json:"in_country"`
	InTransit               int             `json:"in_transit"`
	Left                    int             `json:"left"`
	HeadsOfMissionInCountry int             `json:"heads_of_mission_in_country"`
	Missions                map[string]int  `json:"missions"`
	ByMission               []MissionCount  `json:"by_mission"`
	ByNationality           []NationalCount `json:"by_nationality"`
	ByCategory              []CategoryCount `json:"by_category"`
}

// MissionCount is one mission's line of the census.
type MissionCount struct {
	Code                   string `json:"code"`
	Name                   string `json:"name,omitempty"`
	Status                 string `json:"status"`
	InCountry              int    `json:"in_country"`
	InTransit              int    `json:"in_transit"`
	Left                   int    `json:"left"`
	HeadOfMissionInCountry bool   `json:"head_of_mission_in_country"`
}

// NationalCount is the number of people of one nationality in the country.
type NationalCount struct {
	Nationality string `json:"nationality"`
	InCountry   int    `json:"in_country"`
}

// CategoryCount is the number of people of one category in the country.
type CategoryCount struct {
	Category  string `json:"category"`
	InCountry int    `json:"in_country"`
}

const (
	stNone uint8 = iota
	stInCountry
	stInTransit
	stLeft
)

func statusCode(s outpost.Status) uint8 {
	switch s {
	case outpost.InCountry:
		return stInCountry
	case outpost.InTransit:
		return stInTransit
	case outpost.Left:
		return stLeft
	}
	return stNone
}

// Population is everyone's presence history, ready to be counted at any
// moment. Build it with New and Add; it is not safe for concurrent Add, but
// any number of goroutines may call At once it is built.
type Population struct {
	missions   []outpost.Mission
	missionIdx map[string]int32
	nats       []string
	natIdx     map[string]int32
	cats       []string
	catIdx     map[string]int32

	mission []int32
	nat     []int32
	cat     []int32
	head    []bool
	evOff   []int32 // person i's events are evAt[evOff[i]:evOff[i+1]]
	evAt    []int64
	evSt    []uint8
}

// New returns an empty population over the given missions.
func New(missions []outpost.Mission) *Population {
	p := &Population{
		missionIdx: map[string]int32{},
		natIdx:     map[string]int32{},
		catIdx:     map[string]int32{},
		evOff:      []int32{0},
	}
	for _, m := range missions {
		p.missionID(m.Code, m)
	}
	return p
}

func (p *Population) missionID(code string, m outpost.Mission) int32 {
	if i, ok := p.missionIdx[code]; ok {
		return i
	}
	if m.Code == "" {
		m = outpost.Mission{Code: code}
	}
	i := int32(len(p.missions))
	p.missions = append(p.missions, m)
	p.missionIdx[code] = i
	return i
}

func intern(list *[]string, idx map[string]int32, s string) int32 {
	if i, ok := idx[s]; ok {
		return i
	}
	i := int32(len(*list))
	*list = append(*list, s)
	idx[s] = i
	return i
}

// Add appends one person's history; History must be in time order.
func (p *Population) Add(pr outpost.Presence) {
	p.mission = append(p.mission, p.missionID(pr.Mission, outpost.Mission{}))
	p.nat = append(p.nat, intern(&p.nats, p.natIdx, pr.Nationality))
	p.cat = append(p.cat, intern(&p.cats, p.catIdx, string(pr.Category)))
	p.head = append(p.head, pr.Category == outpost.HeadOfMission)
	for _, e := range pr.History {
		p.evAt = append(p.evAt, e.At)
		p.evSt = append(p.evSt, statusCode(e.Status))
	}
	p.evOff = append(p.evOff, int32(len(p.evAt)))
}

// Len returns the number of people.
func (p *Population) Len() int { return len(p.mission) }

// At counts the population at the instant t: each person has the status of
// their latest event at or before t, and a person with none is not counted.
func (p *Population) At(t time.Time) Census {
	at := t.Unix()
	nm := len(p.missions)
	byM := make([][4]int, nm)
	headM := make([]bool, nm)
	byNat := make([]int, len(p.nats))
	byCat := make([]int, len(p.cats))
	var c Census
	for i := range p.mission {
		st := stNone
		for k := p.evOff[i+1] - 1; k >= p.evOff[i]; k-- {
			if p.evAt[k] <= at {
				st = p.evSt[k]
				break
			}
		}
		if st == stNone {
			continue
		}
		m := p.mission[i]
		byM[m][st]++
		if st == stInCountry {
			byNat[p.nat[i]]++
			byCat[p.cat[i]]++
			if p.head[i] {
				headM[m] = true
				c.HeadsOfMissionInCountry++
			}
		}
	}
	c.AsOf = t.Format(time.RFC3339)
	c.Missions = map[string]int{}
	for _, s := range outpost.MissionStatuses {
		c.Missions[s] = 0
	}
	c.ByMission = make([]MissionCount, 0, nm)
	for i, m := range p.missions {
		if m.Status != "" {
			c.Missions[string(m.Status)]++
		}
		c.InCountry += byM[i][stInCountry]
		c.InTransit += byM[i][stInTransit]
		c.Left += byM[i][stLeft]
		c.ByMission = append(c.ByMission, MissionCount{
			Code: m.Code, Name: m.Name, Status: string(m.Status),
			InCountry: byM[i][stInCountry], InTransit: byM[i][stInTransit], Left: byM[i][stLeft],
			HeadOfMissionInCountry: headM[i],
		})
	}
	sort.Slice(c.ByMission, func(a, b int) bool { return c.ByMission[a].Code < c.ByMission[b].Code })
	c.ByNationality = []NationalCount{}
	for i, n := range p.nats {
		if byNat[i] > 0 {
			c.ByNationality = append(c.ByNationality, NationalCount{Nationality: n, InCountry: byNat[i]})
		}
	}
	slices.SortFunc(c.ByNationality, func(a, b NationalCount) int { return compare(a.Nationality, b.Nationality) })
	c.ByCategory = []CategoryCount{}
	for i, n := range p.cats {
		if byCat[i] > 0 {
			c.ByCategory = append(c.ByCategory, CategoryCount{Category: n, InCountry: byCat[i]})
		}
	}
	slices.SortFunc(c.ByCategory, func(a, b CategoryCount) int { return compare(a.Category, b.Category) })
	return c
}

func compare(a, b string) int { return strings.Compare(a, b) }

// Series returns the number of people in the country at the end of each
// day from first to last inclusive (dates in loc), for headcount charts. It
// sweeps every status change once, so a long series over a large
// population costs about as much as one census.
func (p *Population) Series(first, last outpost.Date, loc *time.Location) []DayCount {
	var ends []int64
	var days []outpost.Date
	// Day numbers, not the text: "10000-01-01" sorts before "9999-12-31",
	// and a range over the whole window stays bounded.
	lo, hi := first.Day(), last.Day()
	if lo == 0 || hi == 0 || hi-lo > outpost.LastDate.Day()-outpost.FirstDate.Day() {
		return nil
	}
	for n := lo; n <= hi; n++ {
		d := outpost.DateOfDay(n)
		ends = append(ends, d.End(loc).Unix())
		days = append(days, d)
	}
	in := make([]int, len(ends)+1)
	heads := make([]int, len(ends)+1)
	for i := range p.mission {
		prev := stNone
		for k := p.evOff[i]; k < p.evOff[i+1]; k++ {
			st := p.evSt[k]
			delta := 0
			if st == stInCountry {
				delta++
			}
			if prev == stInCountry {
				delta--
			}
			prev = st
			if delta == 0 {
				continue
			}
			// The change counts from the first day whose end is at or after it.
			b := sort.Search(len(ends), func(j int) bool { return ends[j] >= p.evAt[k] })
			in[b] += delta
			if p.head[i] {
				heads[b] += delta
			}
		}
	}
	out := make([]DayCount, len(days))
	n, h := 0, 0
	for j, d := range days {
		n += in[j]
		h += heads[j]
		out[j] = DayCount{Date: string(d), InCountry: n, HeadsOfMission: h}
	}
	return out
}

// DayCount is the headcount at the end of one day.
type DayCount struct {
	Date           string `json:"date"`
	InCountry      int    `json:"in_country"`
	HeadsOfMission int    `json:"heads_of_mission"`
}

// Build makes a population from missions and a stream of presence
// histories, such as a store's Presence method.
func Build(missions []outpost.Mission, stream func(func(outpost.Presence) error) error) (*Population, error) {
	p := New(missions)
	err := stream(func(pr outpost.Presence) error {
		p.Add(pr)
		return nil
	})
	return p, err
}

// StatusAt returns the status of the latest event at or before the Unix
// time at in a time-ordered history, and "" when there is none.
func StatusAt(history []outpost.StatusAt, at int64) outpost.Status {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].At <= at {
			return history[i].Status
		}
	}
	return ""
}
