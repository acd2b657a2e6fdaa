package welfare

import (
	"context"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
)

// ReopenRollCall opens again a closed roll call the caller may run: who
// may close a roll call may reopen it (the admin, or the manager of the
// roll call's own mission). Another mission's roll call is ENOTFOUND.
func (s *Service) ReopenRollCall(ctx context.Context, u outpost.User, id int64) (outpost.RollCall, error) {
	rc, err := s.RollCall(ctx, u, id)
	if err != nil {
		return rc, err
	}
	if !u.Can(RunRollCalls, rc.Mission) {
		return rc, outpost.Errorf(outpost.EFORBIDDEN, "only the admin, or the manager of the roll call's own mission, reopens it")
	}
	v, err := s.store.ReopenRollCall(outpost.WithActor(ctx, u.Name), rc.ID)
	if err != nil {
		return v, fmt.Errorf("reopen roll call %d: %w", rc.ID, err)
	}
	return v, nil
}
