// Package census counts who is in the country at a moment from everyone's
// presence history. It is pure: it takes plain values and returns plain
// values, and holds the whole population in compact arrays so that a
// census of a million people takes milliseconds.
package census

import (
	"bytes"
	"maps"
	"math"
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
// moment. Build it with New and Add (or Build); it is not safe for
// concurrent Add, but any number of goroutines may call At once it is
// built. Apply derives a changed population without changing this one:
// people are kept in blocks of chunkSize, and the result shares every
// block it did not have to change, so a change of one person costs one
// block's copy whatever the population's size, and readers of the old
// population never see a half-applied change.
type Population struct {
	missions   []outpost.Mission
	missionIdx map[string]int32
	listed     []bool  // the mission came from the missions table
	members    []int32 // people per mission
	nats       []string
	natIdx     map[string]int32
	cats       []string
	catIdx     map[string]int32

	chunks []*chunk
	n      int // slots: people ever added, removed ones included
	live   int // people

	// order is the slots sorted by person id (Seal); extra finds the
	// people added by Apply since.
	order []int32
	extra map[string]int32

	// tally is what each person's latest event counts, kept up to date by
	// Add and Apply: the census after the last event needs no pass over
	// everyone.
	tally tally
	// last is the Unix time of the latest event, lastN how many events
	// are at that time (a change that removes the last of them looks for
	// the next latest).
	last  int64
	lastN int

	// hist is the missions' status histories by code, in time order
	// (WithMissionHistory); a mission without one has its Status at
	// every moment. histLast is the latest change's Unix time, 0 when
	// none.
	hist     map[string][]statusSince
	histLast int64
}

// statusSince is a mission's status from the Unix time at on; the
// status a mission had from the beginning is at math.MinInt64.
type statusSince struct {
	at int64
	st outpost.MissionStatus
}

// chunkSize is the number of people in one block of arrays.
const chunkSize = 1024

// chunk is the arrays of up to chunkSize people.
type chunk struct {
	// ids holds the people's ids end to end, person i's at
	// ids[idOff[i]:idOff[i+1]]: no pointer per person for the collector
	// to follow, and no string header.
	ids     []byte
	idOff   []int32
	mission []int32
	nat     []int32
	cat     []int32
	head    []bool
	gone    []bool
	evOff   []int32 // person i's events are evAt[evOff[i]:evOff[i+1]]
	evAt    []int64
	evSt    []uint8
}

func (c *chunk) clone() *chunk {
	return &chunk{
		ids: slices.Clone(c.ids), idOff: slices.Clone(c.idOff), mission: slices.Clone(c.mission), nat: slices.Clone(c.nat),
		cat: slices.Clone(c.cat), head: slices.Clone(c.head), gone: slices.Clone(c.gone),
		evOff: slices.Clone(c.evOff), evAt: slices.Clone(c.evAt), evSt: slices.Clone(c.evSt),
	}
}

// tally is the count of everyone by their latest status.
type tally struct {
	byM   [][4]int // per mission, by status code
	headM []int    // heads of mission in the country, per mission
	byNat []int    // in the country, per nationality
	byCat []int    // in the country, per category
	heads int
}

func (t tally) clone() tally {
	return tally{byM: slices.Clone(t.byM), headM: slices.Clone(t.headM),
		byNat: slices.Clone(t.byNat), byCat: slices.Clone(t.byCat), heads: t.heads}
}

// grow makes room for the missions, nationalities and categories known.
func (t *tally) grow(p *Population) {
	for len(t.byM) < len(p.missions) {
		t.byM = append(t.byM, [4]int{})
		t.headM = append(t.headM, 0)
	}
	for len(t.byNat) < len(p.nats) {
		t.byNat = append(t.byNat, 0)
	}
	for len(t.byCat) < len(p.cats) {
		t.byCat = append(t.byCat, 0)
	}
}

// New returns an empty population over the given missions.
func New(missions []outpost.Mission) *Population {
	p := &Population{
		missionIdx: map[string]int32{},
		natIdx:     map[string]int32{},
		catIdx:     map[string]int32{},
	}
	for _, m := range missions {
		i := p.missionID(m.Code)
		p.missions[i] = m
		p.listed[i] = true
	}
	p.tally.grow(p)
	return p
}

// missionID returns the index of the mission code, adding it (unlisted,
// with the code alone) when new.
func (p *Population) missionID(code string) int32 {
	if i, ok := p.missionIdx[code]; ok {
		return i
	}
	i := int32(len(p.missions))
	p.missions = append(p.missions, outpost.Mission{Code: code})
	p.listed = append(p.listed, false)
	p.members = append(p.members, 0)
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
	m := p.missionID(pr.Mission)
	nat := intern(&p.nats, p.natIdx, pr.Nationality)
	cat := intern(&p.cats, p.catIdx, string(pr.Category))
	if len(p.chunks) == 0 || len(p.chunks[len(p.chunks)-1].mission) == chunkSize {
		p.chunks = append(p.chunks, &chunk{evOff: []int32{0}, idOff: []int32{0}})
	}
	c := p.chunks[len(p.chunks)-1]
	c.addID(pr.Person)
	c.mission = append(c.mission, m)
	c.nat = append(c.nat, nat)
	c.cat = append(c.cat, cat)
	c.head = append(c.head, pr.Category == outpost.HeadOfMission)
	c.gone = append(c.gone, false)
	for _, e := range pr.History {
		c.evAt = append(c.evAt, e.At)
		c.evSt = append(c.evSt, statusCode(e.Status))
		p.noteEvent(e.At, 1)
	}
	c.evOff = append(c.evOff, int32(len(c.evAt)))
	p.members[m]++
	p.n++
	p.live++
	p.tally.grow(p)
	p.count(c, len(c.mission)-1, 1)
	if p.order != nil {
		if p.extra == nil {
			p.extra = map[string]int32{}
		}
		p.extra[pr.Person] = int32(p.n - 1)
	}
}

// noteEvent keeps last and lastN as an event at at is added (d = 1) or
// removed (d = -1).
func (p *Population) noteEvent(at int64, d int) {
	switch {
	case d > 0 && (p.lastN == 0 || at > p.last):
		p.last, p.lastN = at, 1
	case at == p.last:
		p.lastN += d
	}
}

// count adds (d = 1) or takes away (d = -1) what person i of c counts by
// their latest event.
func (p *Population) count(c *chunk, i int, d int) {
	lo, hi := c.evOff[i], c.evOff[i+1]
	if lo == hi || c.gone[i] {
		return
	}
	st := c.evSt[hi-1]
	if st == stNone {
		return
	}
	m := c.mission[i]
	t := &p.tally
	t.byM[m][st] += d
	if st == stInCountry {
		t.byNat[c.nat[i]] += d
		t.byCat[c.cat[i]] += d
		if c.head[i] {
			t.headM[m] += d
			t.heads += d
		}
	}
}

// Seal indexes the people by id, so that Apply can find them; Build
// calls it.
func (p *Population) Seal() {
	order := make([]int32, p.n)
	for i := range order {
		order[i] = int32(i)
	}
	// A store streams people ordered by id, but its collation may not be
	// Go's byte order.
	if !slices.IsSortedFunc(order, func(a, b int32) int { return bytes.Compare(p.id(a), p.id(b)) }) {
		slices.SortFunc(order, func(a, b int32) int { return bytes.Compare(p.id(a), p.id(b)) })
	}
	p.order, p.extra = order, nil
}

func (p *Population) id(slot int32) []byte {
	c, i := p.chunks[slot/chunkSize], slot%chunkSize
	return c.ids[c.idOff[i]:c.idOff[i+1]]
}

func (c *chunk) addID(id string) {
	c.ids = append(c.ids, id...)
	c.idOff = append(c.idOff, int32(len(c.ids)))
}

// slot finds the person id.
func (p *Population) slot(id string) (int32, bool) {
	if s, ok := p.extra[id]; ok {
		return s, true
	}
	b := []byte(id)
	i := sort.Search(len(p.order), func(i int) bool { return bytes.Compare(p.id(p.order[i]), b) >= 0 })
	if i < len(p.order) && bytes.Equal(p.id(p.order[i]), b) {
		return p.order[i], true
	}
	return 0, false
}

// Len returns the number of people.
func (p *Population) Len() int { return p.live }

// LastEvent returns the Unix time of the latest event (a person's, or a
// change of a mission's status), 0 when there is none: a census at any
// later moment counts the same.
func (p *Population) LastEvent() int64 {
	last := p.histLast
	if p.lastN > 0 && (last == 0 || p.last > last) {
		last = p.last
	}
	return last
}

// WithMissionHistory returns the population with the missions' status
// histories h (ordered by mission and Since, as a store's MissionHistory
// gives them): a census at t shows each mission with the status of its
// latest change at or before t. p is not changed.
func (p *Population) WithMissionHistory(h []outpost.MissionStatusChange) *Population {
	q := *p
	q.hist, q.histLast = make(map[string][]statusSince), 0
	for _, c := range h {
		at := int64(math.MinInt64)
		if !c.Since.IsZero() {
			at = c.Since.Unix()
			if q.histLast == 0 || at > q.histLast {
				q.histLast = at
			}
		}
		q.hist[c.Mission] = append(q.hist[c.Mission], statusSince{at: at, st: c.Status})
	}
	return &q
}

// missionStatus is the status of mission m at the Unix time at.
func (p *Population) missionStatus(m outpost.Mission, at int64) outpost.MissionStatus {
	h := p.hist[m.Code]
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].at <= at {
			return h[i].st
		}
	}
	if len(h) > 0 {
		// Before its first dated change, with no status from the
		// beginning: the mission was not there yet.
		return ""
	}
	return m.Status
}

// Person returns a person's presence history as it was added, and false
// when the population does not hold them.
func (p *Population) Person(id string) (outpost.Presence, bool) {
	s, ok := p.slot(id)
	if !ok {
		return outpost.Presence{}, false
	}
	c, i := p.chunks[s/chunkSize], int(s%chunkSize)
	if c.gone[i] {
		return outpost.Presence{}, false
	}
	pr := outpost.Presence{Person: id, Mission: p.missions[c.mission[i]].Code, Nationality: p.nats[c.nat[i]],
		Category: outpost.Category(p.cats[c.cat[i]])}
	for k := c.evOff[i]; k < c.evOff[i+1]; k++ {
		pr.History = append(pr.History, outpost.StatusAt{At: c.evAt[k], Status: statusName(c.evSt[k])})
	}
	return pr, true
}

func statusName(st uint8) outpost.Status {
	switch st {
	case stInCountry:
		return outpost.InCountry
	case stInTransit:
		return outpost.InTransit
	case stLeft:
		return outpost.Left
	}
	return ""
}

// Apply returns the population with the histories of people replaced
// (added when new; History in time order), the people in gone removed
// and, when missions is not nil, the missions' names and statuses as
// given (new ones added). p is not changed: the result shares the blocks
// of people it did not change.
func (p *Population) Apply(missions []outpost.Mission, people []outpost.Presence, gone []string) *Population {
	q := *p
	e := &edit{q: &q, own: map[int]bool{}}
	q.chunks = slices.Clone(p.chunks)
	q.tally = p.tally.clone()
	q.members = slices.Clone(p.members)
	if q.order == nil {
		q.Seal()
	}
	if missions != nil {
		e.ownMissions()
		for _, m := range missions {
			i := e.mission(m.Code)
			q.missions[i] = m
			q.listed[i] = true
		}
	}
	for _, pr := range people {
		e.put(pr)
	}
	for _, id := range gone {
		e.remove(id)
	}
	if e.lostLast {
		q.findLast()
	}
	return &q
}

// edit is one Apply under way: which tables and blocks the new
// population already owns (copied from the old one).
type edit struct {
	q                *Population
	own              map[int]bool
	ownM, ownN, ownC bool
	ownExtra         bool
	// lostLast is set when the events at the latest time were removed:
	// the latest is looked for again at the end.
	lostLast bool
}

func (e *edit) ownMissions() {
	if !e.ownM {
		q := e.q
		q.missions, q.listed = slices.Clone(q.missions), slices.Clone(q.listed)
		q.missionIdx = maps.Clone(q.missionIdx)
		e.ownM = true
	}
}

func (e *edit) mission(code string) int32 {
	if i, ok := e.q.missionIdx[code]; ok {
		return i
	}
	e.ownMissions()
	i := e.q.missionID(code)
	e.q.tally.grow(e.q)
	return i
}

func (e *edit) nat(s string) int32 { return e.label(&e.q.nats, &e.q.natIdx, &e.ownN, s) }

func (e *edit) cat(s string) int32 { return e.label(&e.q.cats, &e.q.catIdx, &e.ownC, s) }

// label returns the index of s among the nationalities or categories
// (list and idx), adding it to a copy of them, made the first time, when
// the old population does not know it.
func (e *edit) label(list *[]string, idx *map[string]int32, owned *bool, s string) int32 {
	if i, ok := (*idx)[s]; ok {
		return i
	}
	if !*owned {
		*list, *idx, *owned = slices.Clip(*list), maps.Clone(*idx), true
	}
	i := intern(list, *idx, s)
	e.q.tally.grow(e.q)
	return i
}

// chunk returns block ci, copied from the old population the first time.
func (e *edit) chunk(ci int) *chunk {
	if !e.own[ci] {
		e.q.chunks[ci] = e.q.chunks[ci].clone()
		e.own[ci] = true
	}
	return e.q.chunks[ci]
}

// uncount takes person i of block ci out of every count.
func (e *edit) uncount(c *chunk, i int) {
	q := e.q
	if c.gone[i] {
		return
	}
	q.count(c, i, -1)
	q.members[c.mission[i]]--
	q.live--
	for k := c.evOff[i]; k < c.evOff[i+1]; k++ {
		q.noteEvent(c.evAt[k], -1)
	}
	if q.lastN == 0 {
		e.lostLast = true
	}
}

// setEvents replaces the events of person i of c.
func setEvents(c *chunk, i int, at []int64, st []uint8) {
	lo, hi := c.evOff[i], c.evOff[i+1]
	c.evAt = slices.Replace(c.evAt, int(lo), int(hi), at...)
	c.evSt = slices.Replace(c.evSt, int(lo), int(hi), st...)
	d := int32(len(at)) - (hi - lo)
	for k := i + 1; k < len(c.evOff); k++ {
		c.evOff[k] += d
	}
}

func (e *edit) put(pr outpost.Presence) {
	q := e.q
	m, nat, cat := e.mission(pr.Mission), e.nat(pr.Nationality), e.cat(string(pr.Category))
	s, ok := q.slot(pr.Person)
	var c *chunk
	var i int
	if ok {
		c, i = e.chunk(int(s/chunkSize)), int(s%chunkSize)
		e.uncount(c, i)
	} else {
		if len(q.chunks) == 0 || len(q.chunks[len(q.chunks)-1].mission) == chunkSize {
			q.chunks = append(q.chunks, &chunk{evOff: []int32{0}, idOff: []int32{0}})
			e.own[len(q.chunks)-1] = true
		}
		ci := len(q.chunks) - 1
		c = e.chunk(ci)
		c.addID(pr.Person)
		c.mission, c.nat, c.cat = append(c.mission, 0), append(c.nat, 0), append(c.cat, 0)
		c.head, c.gone = append(c.head, false), append(c.gone, true)
		c.evOff = append(c.evOff, c.evOff[len(c.evOff)-1])
		i = len(c.mission) - 1
		s = int32(ci*chunkSize + i)
		q.n++
		if !e.ownExtra {
			q.extra, e.ownExtra = maps.Clone(q.extra), true
			if q.extra == nil {
				q.extra = map[string]int32{}
			}
		}
		q.extra[pr.Person] = s
	}
	at := make([]int64, len(pr.History))
	st := make([]uint8, len(pr.History))
	for k, ev := range pr.History {
		at[k], st[k] = ev.At, statusCode(ev.Status)
		q.noteEvent(ev.At, 1)
	}
	setEvents(c, i, at, st)
	c.mission[i], c.nat[i], c.cat[i] = m, nat, cat
	c.head[i], c.gone[i] = pr.Category == outpost.HeadOfMission, false
	q.members[m]++
	q.live++
	q.count(c, i, 1)
}

func (e *edit) remove(id string) {
	q := e.q
	s, ok := q.slot(id)
	if !ok {
		return
	}
	c, i := e.chunk(int(s/chunkSize)), int(s%chunkSize)
	e.uncount(c, i)
	c.gone[i] = true
	setEvents(c, i, nil, nil)
}

// findLast looks for the latest event among everyone's.
func (p *Population) findLast() {
	p.last, p.lastN = 0, 0
	for _, c := range p.chunks {
		for _, at := range c.evAt {
			p.noteEvent(at, 1)
		}
	}
}

// At counts the population at the instant t: each person has the status of
// their latest event at or before t, and a person with none is not counted.
func (p *Population) At(t time.Time) Census {
	at := t.Unix()
	if p.lastN > 0 && at >= p.last {
		return p.Latest(t)
	}
	nm := len(p.missions)
	tl := tally{byM: make([][4]int, nm), headM: make([]int, nm), byNat: make([]int, len(p.nats)), byCat: make([]int, len(p.cats))}
	for _, c := range p.chunks {
		for i := range c.mission {
			st := stNone
			for k := c.evOff[i+1] - 1; k >= c.evOff[i]; k-- {
				if c.evAt[k] <= at {
					st = c.evSt[k]
					break
				}
			}
			if st == stNone {
				continue
			}
			m := c.mission[i]
			tl.byM[m][st]++
			if st == stInCountry {
				tl.byNat[c.nat[i]]++
				tl.byCat[c.cat[i]]++
				if c.head[i] {
					tl.headM[m]++
					tl.heads++
				}
			}
		}
	}
	return p.census(t, &tl)
}

// Latest is the census at t by everyone's latest event: At(t) for any t
// at or after LastEvent, counted from the tally without a pass over
// everyone.
func (p *Population) Latest(t time.Time) Census {
	return p.census(t, &p.tally)
}

func (p *Population) census(t time.Time, tl *tally) Census {
	var c Census
	at := t.Unix()
	c.HeadsOfMissionInCountry = tl.heads
	c.AsOf = t.Format(time.RFC3339)
	c.Missions = map[string]int{}
	for _, s := range outpost.MissionStatuses {
		c.Missions[s] = 0
	}
	c.ByMission = make([]MissionCount, 0, len(p.missions))
	for i, m := range p.missions {
		if !p.listed[i] && p.members[i] == 0 {
			// A mission no one belongs to any more that the missions
			// table does not list: a census built afresh would not have it.
			continue
		}
		st := p.missionStatus(m, at)
		if st != "" {
			c.Missions[string(st)]++
		}
		b := tl.byM[i]
		c.InCountry += b[stInCountry]
		c.InTransit += b[stInTransit]
		c.Left += b[stLeft]
		c.ByMission = append(c.ByMission, MissionCount{
			Code: m.Code, Name: m.Name, Status: string(st),
			InCountry: b[stInCountry], InTransit: b[stInTransit], Left: b[stLeft],
			HeadOfMissionInCountry: tl.headM[i] > 0,
		})
	}
	sort.Slice(c.ByMission, func(a, b int) bool { return c.ByMission[a].Code < c.ByMission[b].Code })
	c.ByNationality = []NationalCount{}
	for i, n := range p.nats {
		if tl.byNat[i] > 0 {
			c.ByNationality = append(c.ByNationality, NationalCount{Nationality: n, InCountry: tl.byNat[i]})
		}
	}
	slices.SortFunc(c.ByNationality, func(a, b NationalCount) int { return compare(a.Nationality, b.Nationality) })
	c.ByCategory = []CategoryCount{}
	for i, n := range p.cats {
		if tl.byCat[i] > 0 {
			c.ByCategory = append(c.ByCategory, CategoryCount{Category: n, InCountry: tl.byCat[i]})
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
	for _, ch := range p.chunks {
		for i := range ch.mission {
			prev := stNone
			for k := ch.evOff[i]; k < ch.evOff[i+1]; k++ {
				st := ch.evSt[k]
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
				at := ch.evAt[k]
				b := sort.Search(len(ends), func(j int) bool { return ends[j] >= at })
				in[b] += delta
				if ch.head[i] {
					heads[b] += delta
				}
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
	p.Seal()
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
