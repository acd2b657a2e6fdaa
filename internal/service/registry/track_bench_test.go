package registry_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/storetest"
	"github.com/outpost-org/outpost/internal/testkit"
)

// BenchmarkTrackAtOnce records checkpoints from 16 requests at once: one
// commit each (the store's Track, as before the group commit) against the
// service's Track, which writes those that arrive together in one
// transaction; and scanner batches of 100. ns/op is per checkpoint.
//
//	go test ./internal/service/registry -run - -bench TrackAtOnce -benchtime 5000x
func BenchmarkTrackAtOnce(b *testing.B) {
	for name, open := range testkit.Stores(store.Open) {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			var ids []string
			for k := range 20000 {
				ids = append(ids, fmt.Sprintf("RU-%05d", k))
			}
			testkit.SeedPeople(b, db, ids, nil)
			svc := registry.New(db, nil, time.Now)
			ctx := storetest.Ctx()
			admin := outpost.Operator("bench")
			var next atomic.Int64
			person := func() string { return ids[int(next.Add(1))%len(ids)] }
			at := time.Now().UTC().Truncate(time.Second)
			b.Run("one commit each", func(b *testing.B) {
				b.SetParallelism(8)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := db.Track(ctx, outpost.Track{Person: person(), Checkpoint: outpost.Departed, At: at}); err != nil {
							b.Fatal(err)
						}
					}
				})
			})
			b.Run("group commit", func(b *testing.B) {
				b.SetParallelism(8)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := svc.Track(ctx, admin, person(), registry.TrackRequest{Checkpoint: "departed", At: at.Format(time.RFC3339)}); err != nil {
							b.Fatal(err)
						}
					}
				})
			})
			b.Run("batches of 100", func(b *testing.B) {
				for i := 0; i < b.N; i += 100 {
					var scans []registry.Scan
					for range min(100, b.N-i) {
						// A second apart from the other sub-benchmarks' checkpoints.
						scans = append(scans, registry.Scan{Person: person(), Checkpoint: "departed", At: at.Add(time.Second).Format(time.RFC3339)})
					}
					if _, err := svc.TrackScans(ctx, admin, registry.ScanBatch{Scans: scans}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
