package welfare

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// OpenRollCall is an open roll call as the dashboard shows it: its counts
// by mission, and the first of those who asked for help and who have not
// answered among the people whose answers the caller may read.
type OpenRollCall struct {
	outpost.RollCall
	ByMission []outpost.RollCallByMission
	// Shown says whose answers NeedHelp and NoResponse list: "all", one
	// mission's code, or "" for nobody's (counts only).
	Shown                string
	NeedHelp, NoResponse []outpost.ScopeEntry
}

// OpenRollCalls answers the open roll calls the caller may see, newest
// first, with their counts by mission and at most names people of each
// list (as RollCallStatus would show them), and when the newest roll
// call they may see started, open or closed (zero: there has been none),
// for the dashboard's "no roll call since …". The counts are made by the
// store: a roll call over a million people is not read into memory.
func (s *Service) OpenRollCalls(ctx context.Context, u outpost.User, names int) ([]OpenRollCall, time.Time, error) {
	if !u.CanSome(ReadRollCalls) {
		return nil, time.Time{}, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not read roll calls", u.Role)
	}
	mission := ""
	if u.Role.MissionBound() {
		mission = u.Mission
	}
	rcs, last, err := s.store.OpenRollCalls(ctx, mission)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("dashboard: %w", err)
	}
	// Whose answers the caller reads, as rollCallView decides it.
	shown, filter, n := "", "", 0
	switch {
	case u.Role == outpost.RoleAdmin:
		shown, n = "all", names
	case u.Role.MissionBound() && u.Can(ReadAnswers, u.Mission):
		shown, filter, n = u.Mission, u.Mission, names
	}
	out := []OpenRollCall{}
	for _, rc := range rcs {
		if !CanSee(u, rc) {
			continue
		}
		exp, known := s.expected.get(rc.ID)
		t, err := s.store.RollCallTally(ctx, rc.ID, filter, n, !known)
		if err != nil {
			return nil, last, fmt.Errorf("count roll call %d: %w", rc.ID, err)
		}
		if !known {
			exp = t.Expected
			s.expected.put(rc.ID, exp)
		}
		for _, n := range exp {
			rc.Expected += n
		}
		out = append(out, OpenRollCall{RollCall: rc, ByMission: byMission(exp, t.Answered), Shown: shown,
			NeedHelp: t.NeedHelp, NoResponse: t.NoResponse})
	}
	return out, last, nil
}

// byMission puts together the people expected and the answers by
// mission, in the order of the missions' codes.
func byMission(expected map[string]int, answered []outpost.RollCallByMission) []outpost.RollCallByMission {
	by := make(map[string]outpost.RollCallByMission, len(expected))
	for m, n := range expected {
		by[m] = outpost.RollCallByMission{Mission: m, Expected: n}
	}
	for _, a := range answered {
		m := by[a.Mission]
		m.Mission, m.Safe, m.NeedHelp = a.Mission, a.Safe, a.NeedHelp
		by[a.Mission] = m
	}
	out := make([]outpost.RollCallByMission, 0, len(by))
	for _, m := range by {
		m.NoResponse = max(0, m.Expected-m.Safe-m.NeedHelp)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b outpost.RollCallByMission) int { return strings.Compare(a.Mission, b.Mission) })
	return out
}

// expectedCache keeps the people expected by mission of the last
// scopeCacheSize roll calls counted: a roll call's scope is fixed when it
// starts, so it is counted once, not on every view of the dashboard.
type expectedCache struct {
	mu    sync.Mutex
	by    map[int64]map[string]int
	order []int64
}

func (c *expectedCache) get(id int64) (map[string]int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.by[id]
	return m, ok
}

func (c *expectedCache) put(id int64, m map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[int64]map[string]int{}
	}
	if _, ok := c.by[id]; !ok {
		c.order = append(c.order, id)
	}
	c.by[id] = m
	if len(c.order) > scopeCacheSize {
		delete(c.by, c.order[0])
		c.order = c.order[1:]
	}
}
