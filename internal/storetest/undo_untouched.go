package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// testUndoLeavesTheSkippedAlone: the undo of a bulk action changes the
// history of no one whose event it did not void. A person whose event of
// the action was voided before, and whose assembled checkpoint was
// tracked before an earlier departure, keeps the history they had: a
// change there would be a change of the census with no audit entry
// naming them, which the census, following the audit log, never sees.
func testUndoLeavesTheSkippedAlone(t *testing.T, open Opener) {
	s := open(t)
	Seed(t, s)
	ctx := Ctx()
	a, res, err := s.TrackAction(ctx, outpost.TrackAction{Checkpoint: outpost.Assembled, What: "household"},
		[]outpost.Track{{Person: "RU-0002", Checkpoint: outpost.Assembled, At: corrAt.Add(3 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoidEvent(ctx, res[0].Event.ID, "wrong", nil); err != nil {
		t.Fatal(err)
	}
	for _, tr := range []outpost.Track{
		{Person: "RU-0002", Checkpoint: outpost.Assembled, At: corrAt.Add(2 * time.Hour)},
		{Person: "RU-0002", Checkpoint: outpost.Departed, At: corrAt.Add(time.Hour)},
	} {
		if _, err := s.Track(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.History(ctx, "RU-0002")
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.LastAuditID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UndoAction(ctx, a.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Voided) != 0 || len(u.Skipped) != 1 {
		t.Fatalf("undo: voided %+v skipped %+v, want the one event skipped", u.Voided, u.Skipped)
	}
	after, err := s.History(ctx, "RU-0002")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.Events, before.Events) {
		t.Errorf("an undo that voided nothing of RU-0002 changed their history:\n got %+v\nwant %+v", after.Events, before.Events)
	}
	if now, err := s.LastAuditID(ctx); err != nil || now != last {
		t.Errorf("audit id %d after the undo (%v), want %d: it changed no one", now, err, last)
	}
}
