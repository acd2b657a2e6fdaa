package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// testBulkActionUndoPerMission: an action covering two missions' people
// is undone per mission. Each mission's undo voids its own people's
// events, shows nothing of the other's (only a count), and leaves the
// other's part undoable; the action is undone when none of its events
// stands.
func testBulkActionUndoPerMission(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	var ts []outpost.Track
	for _, p := range []string{"RU-0001", "RU-0002", "SE-0001"} {
		ts = append(ts, outpost.Track{Person: p, Checkpoint: outpost.Departed, At: corrAt})
	}
	a, _, err := s.TrackAction(ctx, outpost.TrackAction{Checkpoint: outpost.Departed, What: "departure BUS-1"}, ts)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UndoAction(ctx, a.ID, []string{"RU"})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Voided) != 2 || len(u.Skipped) != 0 || u.Others != 1 {
		t.Fatalf("RU's undo: voided %d skipped %+v others %d, want 2 voided, nothing of SE listed, 1 other", len(u.Voided), u.Skipped, u.Others)
	}
	for _, e := range u.Voided {
		if !strings.HasPrefix(e.Person, "RU-") {
			t.Errorf("RU's undo voided %s", e.Person)
		}
	}
	if u.Action.UndoneAt != nil {
		t.Errorf("action marked undone while SE-0001's event stands: %+v", u.Action)
	}
	if st := statusAt(t, s, "SE-0001", corrAt); st != outpost.InTransit {
		t.Errorf("SE-0001 after RU's undo: %s, want in_transit", st)
	}
	_, err = s.UndoAction(ctx, a.ID, []string{"RU"})
	if outpost.ErrorCode(err) != outpost.ECONFLICT || strings.Contains(err.Error(), "SE-") {
		t.Errorf("RU undoes twice: %v, want a conflict naming no SE person", err)
	}
	// SE can still undo its part, and sees nothing of RU's.
	u, err = s.UndoAction(ctx, a.ID, []string{"SE"})
	if err != nil {
		t.Fatalf("SE's undo after RU's: %v", err)
	}
	if len(u.Voided) != 1 || u.Voided[0].Person != "SE-0001" || len(u.Skipped) != 0 || u.Others != 0 {
		t.Fatalf("SE's undo: %+v, want SE-0001 voided only", u)
	}
	if u.Action.UndoneAt == nil {
		t.Errorf("action not undone once none of its events stands: %+v", u.Action)
	}
	if st := statusAt(t, s, "SE-0001", corrAt.Add(time.Hour)); st != outpost.InCountry {
		t.Errorf("SE-0001 after SE's undo: %s, want in_country", st)
	}
	if _, err := s.UndoAction(ctx, a.ID, nil); outpost.ErrorCode(err) != outpost.ECONFLICT {
		t.Errorf("undo of an undone action: %v, want conflict", err)
	}
	// Another mission's event corrected since is not counted as left
	// for them: the action is undone with the caller's part.
	for i := range ts {
		ts[i].At = corrAt.Add(3 * time.Hour)
	}
	a, res, err := s.TrackAction(ctx, outpost.TrackAction{Checkpoint: outpost.Departed, What: "departure BUS-2"}, ts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidEvent(ctx, res[2].Event.ID, "wrong person", nil); err != nil {
		t.Fatal(err)
	}
	u, err = s.UndoAction(ctx, a.ID, []string{"RU"})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Voided) != 2 || len(u.Skipped) != 0 || u.Others != 0 || u.Action.UndoneAt == nil {
		t.Errorf("RU's undo with SE's part voided: %+v, want 2 voided, none left, the action undone", u)
	}
}
