package census

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestExitDocumentsSaveDoesNotRebuild: exit documents count nobody in or
// out of the country, so saving them moves the snapshot on without a
// full rebuild (every save of the form once rebuilt the whole census).
func TestExitDocumentsSaveDoesNotRebuild(t *testing.T) {
	for engine, open := range testkit.Stores(store.Open) {
		t.Run(engine, func(t *testing.T) {
			db := open(t)
			storetest.Seed(t, db)
			ctx := context.Background()
			s := New(db, nil, nil)
			first, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rebuilt := 0
			s.Built = func(time.Duration, int) { rebuilt++ }
			d := outpost.ExitDocuments{Person: "RU-0001", PermitStatus: outpost.PermitRefused, Staying: true}
			if err := db.SetExitDocuments(outpost.WithActor(ctx, "consul"), d); err != nil {
				t.Fatal(err)
			}
			got, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rebuilt != 0 {
				t.Errorf("an exit-document save rebuilt the census %d times, want none", rebuilt)
			}
			if got.Version <= first.Version {
				t.Errorf("snapshot version %d after the save, want past %d", got.Version, first.Version)
			}
			if g, w := got.Pop.At(time.Now()), first.Pop.At(time.Now()); !reflect.DeepEqual(g, w) {
				t.Errorf("census after the save %+v, want as before %+v", g, w)
			}
		})
	}
}
