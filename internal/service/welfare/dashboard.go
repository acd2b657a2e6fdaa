package welfare

import (
	"context"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// OpenRollCalls answers the open roll calls the caller may see, newest
// first, each with its counts and the answers the caller may read (as
// RollCallStatus gives them), and when the newest roll call they may see
// started, open or closed (zero: there has been none), for the
// dashboard's "no roll call since …".
func (s *Service) OpenRollCalls(ctx context.Context, u outpost.User) ([]RollCallView, time.Time, error) {
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
	out := []RollCallView{}
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
		scope, err := s.store.RollCallScope(ctx, rc.ID)
		if err != nil {
			return nil, last, fmt.Errorf("read roll call scope %d: %w", rc.ID, err)
		}
		out = append(out, rollCallView(u, rc, scope, true))
	}
	return out, last, nil
}
