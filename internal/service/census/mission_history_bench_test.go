package census

import (
	"runtime"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// BenchmarkCensusAfterMissionStatus measures what a change of a
// mission's status costs the census: applying it to the snapshot (the
// missions and their histories read again, the people kept) against the
// full rebuild that an audit entity the census does not know forces,
// over 20,000 people (or OUTPOST_BENCH_DB, as BenchmarkCensusAfterWrite).
//
//	go test ./internal/service/census -run - -bench CensusAfterMissionStatus -benchtime 50x
func BenchmarkCensusAfterMissionStatus(b *testing.B) {
	ctx, db, _ := benchDB(b)
	ms, err := db.Missions(ctx)
	if err != nil || len(ms) == 0 {
		b.Fatalf("missions: %v", err)
	}
	statuses := []outpost.MissionStatus{outpost.MissionOpen, outpost.MissionReduced}
	k := 0
	write := func() {
		// Alternate statuses on ever later days: each change changes.
		k++
		if _, err := db.SetMissionStatus(ctx, outpost.MissionStatusChange{Mission: ms[0].Code, Status: statuses[k%2],
			Since: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(k) * time.Hour)}); err != nil {
			b.Fatal(err)
		}
	}
	s := New(db, nil, nil)
	if _, err := s.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	b.Run("apply", func(b *testing.B) {
		applied := 0
		s.Applied = func(time.Duration, int) { applied++ }
		measureAfter(b, write, func() error { _, err := s.Snapshot(ctx); return err })
		if applied == 0 {
			b.Fatal("no change was applied")
		}
	})
	b.Run("rebuild", func(b *testing.B) { measureAfter(b, write, rebuild(ctx, db)) })
}
