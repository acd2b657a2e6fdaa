package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// BenchmarkScanBatchLongHistory records a scanner's batch of 100 scans
// of one person whose history holds 20,000 checkpoints: each scan is
// checked against the history (duplicate, journey order) while the batch
// holds the write lock.
func BenchmarkScanBatchLongHistory(b *testing.B) {
	const history, scans = 20_000, 100
	for name, open := range engines() {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			ctx := storetest.Ctx()
			if _, err := db.ImportMissions(ctx, storetest.Batch(storetest.Missions()...)); err != nil {
				b.Fatal(err)
			}
			if _, err := db.ImportPeople(ctx, storetest.Batch(storetest.Person("RU-L1", "RU-H1", "RU"))); err != nil {
				b.Fatal(err)
			}
			base := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
			cps := []outpost.Checkpoint{outpost.Assembled, outpost.Departed, outpost.Crossed, outpost.Arrived, outpost.Returned}
			tx, err := db.write.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := range history {
				if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO status_events (person_id, at, status, checkpoint, source, note) VALUES (?, ?, 'in_country', ?, 'track', '')`),
					"RU-L1", base.Add(time.Duration(i)*time.Minute).Unix(), string(cps[i%len(cps)])); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			next := base.Add(history * time.Minute)
			b.ResetTimer()
			for range b.N {
				ts := make([]outpost.Track, scans)
				for i := range ts {
					ts[i] = outpost.Track{Person: "RU-L1", Checkpoint: outpost.Assembled, At: next}
					next = next.Add(time.Minute)
				}
				res, err := db.TrackBatch(ctx, ts)
				if err != nil {
					b.Fatal(err)
				}
				if res[0].Kind != "" {
					b.Fatal(fmt.Sprint(res[0]))
				}
			}
		})
	}
}
