package welfare

import (
	"context"
	"fmt"
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
	rcs, err := s.store.RollCalls(ctx, mission)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("read roll calls: %w", err)
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
	var last time.Time
	for _, rc := range rcs {
		if !CanSee(u, rc) {
			continue
		}
		if rc.StartedAt.After(last) {
			last = rc.StartedAt
		}
		if rc.Status != outpost.RollCallOpen {
			continue
		}
		t, err := s.store.RollCallTally(ctx, rc.ID, filter, n)
		if err != nil {
			return nil, last, fmt.Errorf("count roll call %d: %w", rc.ID, err)
		}
		out = append(out, OpenRollCall{RollCall: rc, ByMission: t.ByMission, Shown: shown, NeedHelp: t.NeedHelp, NoResponse: t.NoResponse})
	}
	return out, last, nil
}
