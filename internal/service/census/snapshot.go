package census

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"sync"
	"time"

	count "github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Snapshot is the registry as the server holds it in memory: everyone's
// presence history ready to be counted (a census of a million people takes
// milliseconds), the missions, the post's time zone and the daily
// headcount. The Service rebuilds it only when the data changed.
type Snapshot struct {
	// Version is the id of the newest audit entry it reflects.
	Version  int64
	Missions []outpost.Mission
	Pop      *count.Population
	Loc      *time.Location
	// Days is the headcount at the end of each day, from the day of the
	// first recorded event to the day of the last; empty when there is
	// none.
	Days []count.DayCount
	// LastEvent is the Unix time of the latest event: a census at any
	// later moment counts the same.
	LastEvent int64

	// days is what Days is made of, kept to apply changes to.
	days *dayCounter
	// gaps are audit ids below Version not seen yet: on PostgreSQL a
	// transaction may commit after one with a higher id.
	gaps []gap

	latestOnce sync.Once
	latest     count.Census
	mu         sync.Mutex
	byTime     map[int64]count.Census
}

// maxCachedMoments bounds the censuses of past moments a snapshot keeps.
const maxCachedMoments = 64

// Census returns the census at t. A census after the last event is the
// same whatever the moment, so it is counted once per snapshot; censuses
// of past moments are kept too, a few dozen at most. The result is
// shared: callers must not change it.
func (s *Snapshot) Census(t time.Time) count.Census {
	asOf := t.Format(time.RFC3339)
	if t.Unix() >= s.LastEvent {
		s.latestOnce.Do(func() { s.latest = s.Pop.Latest(t) })
		c := s.latest
		c.AsOf = asOf
		return c
	}
	s.mu.Lock()
	c, ok := s.byTime[t.Unix()]
	s.mu.Unlock()
	if !ok {
		c = s.Pop.At(t)
		s.mu.Lock()
		if s.byTime == nil || len(s.byTime) >= maxCachedMoments {
			s.byTime = map[int64]count.Census{}
		}
		s.byTime[t.Unix()] = c
		s.mu.Unlock()
	}
	c.AsOf = asOf
	return c
}

// BuildSnapshot reads everyone's presence history from s once and builds
// the census population and the daily headcount from it. version is the
// audit id read before reading, so a write during the build makes the
// next check rebuild again.
func BuildSnapshot(ctx context.Context, s Store, version int64) (*Snapshot, error) {
	loc, err := Location(ctx, s)
	if err != nil {
		return nil, err
	}
	ms, err := s.Missions(ctx)
	if err != nil {
		return nil, fmt.Errorf("read missions: %w", err)
	}
	days := newDayCounter(loc)
	pop, err := count.Build(ms, func(fn func(outpost.Presence) error) error {
		return s.Presence(ctx, func(p outpost.Presence) error {
			days.add(p, 1)
			return fn(p)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("count the census: %w", err)
	}
	if pop, err = withMissionHistory(ctx, s, pop); err != nil {
		return nil, err
	}
	return &Snapshot{Version: version, Missions: ms, Pop: pop, Loc: loc, Days: days.series(), LastEvent: pop.LastEvent(), days: days}, nil
}

// dayCounter accumulates, per local calendar day, how the number of people
// in the country and of heads of mission present changes, so that the
// daily headcount takes one pass over the events instead of a census per
// day. A person counts at the end of day d with the status of their latest
// event on or before d, as in census.Population.At.
//
// A person's changes can be taken away again (add with sign -1) when the
// person changes: the count of changes on each day says when a day has
// none left, as if it had been counted afresh.
type dayCounter struct {
	loc   *time.Location
	delta map[int64][3]int32 // local day number → change of (in country, heads), number of changes
	// names are the dates of the days from namesFrom on, as series
	// wrote them last (never changed once written: clones share them).
	names     []string
	namesFrom int64
}

func newDayCounter(loc *time.Location) *dayCounter {
	return &dayCounter{loc: loc, delta: map[int64][3]int32{}}
}

func (d *dayCounter) clone() *dayCounter {
	return &dayCounter{loc: d.loc, delta: maps.Clone(d.delta), names: d.names, namesFrom: d.namesFrom}
}

// dayOf returns the number of the local calendar day of a Unix time,
// within the domain's date window: an event stored before the window
// existed (dated 0001 or 9999) counts on its first or last day, so that
// the series stays at most the window long however such events lie.
func (d *dayCounter) dayOf(at int64) int64 {
	_, off := time.Unix(at, 0).In(d.loc).Zone()
	s := at + int64(off)
	var k int64
	if s < 0 {
		k = (s - 86399) / 86400
	} else {
		k = s / 86400
	}
	return min(max(k, firstUnixDay), lastUnixDay)
}

// firstUnixDay and lastUnixDay are the days of outpost.FirstDate and
// outpost.LastDate counted from 1970-01-01.
var (
	firstUnixDay = int64(outpost.FirstDate.Start(time.UTC).Unix() / 86400)
	lastUnixDay  = int64(outpost.LastDate.Start(time.UTC).Unix() / 86400)
)

// add counts (sign 1) or takes away (sign -1) the changes of p.
func (d *dayCounter) add(p outpost.Presence, sign int32) {
	head := int32(0)
	if p.Category == outpost.HeadOfMission {
		head = 1
	}
	in := false
	for _, e := range p.History {
		now := e.Status == outpost.InCountry
		if now == in {
			continue
		}
		step := sign
		if !now {
			step = -sign
		}
		k := d.dayOf(e.At)
		c := d.delta[k]
		c[0] += step
		c[1] += step * head
		c[2] += sign
		if c[2] == 0 {
			delete(d.delta, k)
		} else {
			d.delta[k] = c
		}
		in = now
	}
}

func (d *dayCounter) series() []count.DayCount {
	if len(d.delta) == 0 {
		return nil
	}
	keys := make([]int64, 0, len(d.delta))
	for k := range d.delta {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	first, last := keys[0], keys[len(keys)-1]
	out := make([]count.DayCount, 0, last-first+1)
	names := make([]string, 0, last-first+1)
	var in, heads int32
	for k := first; k <= last; k++ {
		c := d.delta[k]
		in += c[0]
		heads += c[1]
		// The names of the days of the last series are kept: a change
		// recounts years of days, and formatting them would cost most of
		// the change.
		var date string
		if i := k - d.namesFrom; i >= 0 && i < int64(len(d.names)) {
			date = d.names[i]
		} else {
			date = time.Unix(k*86400, 0).UTC().Format(time.DateOnly)
		}
		names = append(names, date)
		out = append(out, count.DayCount{Date: date, InCountry: int(in), HeadsOfMission: int(heads)})
	}
	d.names, d.namesFrom = names, first
	return out
}

// Headcount returns the daily headcount from first to last (inclusive),
// clipped to the days the snapshot knows: days before the first event
// count nobody and days after the last one repeat it. A range of more than
// outpost.MaxRangeDays, or of dates that are not dates, gives nothing.
func (s *Snapshot) Headcount(first, last outpost.Date) []count.DayCount {
	lo, hi := first.Day(), last.Day()
	if len(s.Days) == 0 || lo == 0 || hi == 0 || lo > hi || hi-lo > outpost.MaxRangeDays {
		return nil
	}
	out := make([]count.DayCount, 0, hi-lo+1)
	d0 := outpost.Date(s.Days[0].Date).Day()
	for n := lo; n <= hi; n++ {
		d := outpost.DateOfDay(n)
		i := n - d0
		var c count.DayCount
		switch {
		case i < 0:
		case i >= len(s.Days):
			c = s.Days[len(s.Days)-1]
		default:
			c = s.Days[i]
		}
		c.Date = string(d)
		out = append(out, c)
	}
	return out
}

// historyStore is a Store that keeps the missions' status histories:
// with it a census of a past moment shows the missions as they were then;
// without it, as they are.
type historyStore interface {
	MissionHistory(ctx context.Context, code string) ([]outpost.MissionStatusChange, error)
}

// withMissionHistory gives pop the missions' status histories that s
// keeps, if it keeps them.
func withMissionHistory(ctx context.Context, s any, pop *count.Population) (*count.Population, error) {
	hs, ok := s.(historyStore)
	if !ok {
		return pop, nil
	}
	h, err := hs.MissionHistory(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read the missions' history: %w", err)
	}
	return pop.WithMissionHistory(h), nil
}
