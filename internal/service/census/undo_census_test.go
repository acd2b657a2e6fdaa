package census

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestUndoAfterOutOfOrderTrackingKeepsCensus replays a sequence the
// property test TestAppliedSnapshotEqualsRebuilt found: a checkpoint
// tracked before an earlier-recorded assembled one, then the undo of a
// bulk action whose event had been voided already. The census the
// service follows must equal one rebuilt from the store after each write.
func TestUndoAfterOutOfOrderTrackingKeepsCensus(t *testing.T) {
	for engine, open := range testkit.Stores(store.Open) {
		t.Run(engine, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			seedRU(ctx, t, db, 1)
			s := New(db, nil, nil)
			check := func(what string) {
				t.Helper()
				got, err := s.Snapshot(ctx)
				if err != nil {
					t.Fatalf("%s: snapshot: %v", what, err)
				}
				sameSnapshot(ctx, &fatalf{t, what}, db, got)
			}
			check("start")
			track := func(c outpost.Checkpoint, at time.Time) {
				t.Helper()
				if _, err := db.Track(ctx, outpost.Track{Person: "P00", Checkpoint: c, At: at}); err != nil {
					t.Fatalf("track %s: %v", c, err)
				}
				check("track " + string(c))
			}
			a, _, err := db.TrackAction(ctx, outpost.TrackAction{Checkpoint: outpost.Assembled, What: "household"},
				[]outpost.Track{{Person: "P00", Checkpoint: outpost.Assembled, At: testBase.Add(3 * time.Hour)}})
			if err != nil {
				t.Fatal(err)
			}
			check("bulk action")
			h, err := db.History(ctx, "P00")
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(h.Events, func(e outpost.Event) bool { return e.Action == a.ID })
			if i < 0 {
				t.Fatalf("no event of action %d in %+v", a.ID, h.Events)
			}
			if _, err := db.VoidEvent(ctx, h.Events[i].ID, "wrong", nil); err != nil {
				t.Fatal(err)
			}
			check("void")
			// Assembled keeps the status before it (in the country); a
			// departure tracked afterwards at an earlier time comes before it.
			track(outpost.Assembled, testBase.Add(2*time.Hour))
			track(outpost.Departed, testBase.Add(time.Hour))
			if _, err := db.UndoAction(ctx, a.ID, nil); err != nil {
				t.Fatal(err)
			}
			check("undo")
		})
	}
}

// fatalf prefixes a test's failure with what was done last.
type fatalf struct {
	t    *testing.T
	what string
}

func (f *fatalf) Fatalf(format string, args ...any) {
	f.t.Helper()
	f.t.Fatalf(f.what+": "+format, args...)
}
