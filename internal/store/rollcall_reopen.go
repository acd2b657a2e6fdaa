package store

import (
	"context"

	"github.com/outpost-org/outpost/internal/outpost"
)

// ReopenRollCall opens a closed roll call again: it takes answers again,
// its links work again, and the answers given before it closed stay.
// Its escalation is left as it was: one already sent is not sent twice,
// one not yet sent goes when it is due.
func (db *DB) ReopenRollCall(ctx context.Context, id int64) (outpost.RollCall, error) {
	err := db.update(ctx, func(t *tx) error {
		rc, err := txRollCall(ctx, t, id)
		if err != nil {
			return err
		}
		if rc.Status != outpost.RollCallClosed {
			return outpost.Errorf(outpost.ECONFLICT, "roll call %d is open: only a closed roll call is reopened", id)
		}
		if _, err := t.exec(ctx, `UPDATE rollcalls SET status = 'open', closed_at = NULL WHERE id = ? AND status = 'closed'`, id); err != nil {
			return err
		}
		before := map[string]string{"status": "closed"}
		if rc.ClosedAt != nil {
			before["closed_at"] = rc.ClosedAt.Format("2006-01-02T15:04:05Z")
		}
		return t.audit(ctx, "reopen", "rollcall", itoa(id), rc.Mission, before, map[string]string{"status": "open"})
	})
	if err != nil {
		return outpost.RollCall{}, err
	}
	return db.RollCall(ctx, id)
}
