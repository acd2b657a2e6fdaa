package census

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
)

// BenchmarkCensusAfterWrite measures what the census costs per tracking
// event: bringing the snapshot up to date by applying the change (apply)
// against building it afresh (rebuild, what every write cost before), over
// the database OUTPOST_BENCH_DB (people P1…PN of bench/peoplegen, such as
// bench/out/freshness/run.db after bench/freshness.sh; PostgreSQL too), or
// over 20,000 people of its own. cpu-ms/op is the process's CPU time (on
// SQLite that includes the database's work). The writes themselves are
// not counted. It writes tracking events into the database.
//
//	OUTPOST_BENCH_DB=$PWD/bench/out/freshness/run.db go test ./internal/service/census -run - -bench CensusAfterWrite/apply -benchtime 200x
//	OUTPOST_BENCH_DB=$PWD/bench/out/freshness/run.db go test ./internal/service/census -run - -bench CensusAfterWrite/rebuild -benchtime 5x
func BenchmarkCensusAfterWrite(b *testing.B) {
	ctx, db, n := benchDB(b)
	rng := rand.New(rand.NewPCG(3, 4))
	write := func() {
		cp := outpost.Departed
		if rng.IntN(2) == 0 {
			cp = outpost.Returned
		}
		if _, err := db.Track(ctx, outpost.Track{Person: fmt.Sprintf("P%d", 1+rng.IntN(n)), Checkpoint: cp, At: time.Now()}); err != nil {
			b.Fatal(err)
		}
	}
	s := New(db, nil, nil)
	start := time.Now()
	if _, err := s.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d people; snapshot built in %v", n, time.Since(start))
	// The build's garbage is collected before, not during, the first
	// measures.
	runtime.GC()
	b.Run("apply", func(b *testing.B) {
		measureAfter(b, write, func() error { _, err := s.Snapshot(ctx); return err })
	})
	b.Run("rebuild", func(b *testing.B) { measureAfter(b, write, rebuild(ctx, db)) })
}

// benchDB opens the database OUTPOST_BENCH_DB, or a new one of 20,000
// people P1…P20000 of its own, closed at the benchmark's end, and counts
// its people.
func benchDB(b *testing.B) (context.Context, *store.DB, int) {
	ctx := outpost.WithActor(context.Background(), "bench")
	dsn := os.Getenv("OUTPOST_BENCH_DB")
	n := 20_000
	if dsn == "" {
		dsn = b.TempDir() + "/o.db"
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if os.Getenv("OUTPOST_BENCH_DB") == "" {
		seed(ctx, b, db, n)
	} else if c, err := db.CountPeople(ctx, outpost.PeopleFilter{}); err != nil {
		b.Fatal(err)
	} else {
		n = c
	}
	return ctx, db, n
}

// measureAfter measures update after each write (the writes not
// counted), reporting the process's CPU time per update as cpu-ms/op.
func measureAfter(b *testing.B, write func(), update func() error) {
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		write()
		b.StartTimer()
		c0 := cpuTime()
		if err := update(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// rebuild builds the snapshot afresh, at the database's last audit entry.
func rebuild(ctx context.Context, db *store.DB) func() error {
	return func() error {
		v, err := db.LastAuditID(ctx)
		if err == nil {
			_, err = BuildSnapshot(ctx, db, v)
		}
		return err
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// seed imports n people P1…Pn into db.
func seed(ctx context.Context, b *testing.B, db *store.DB, n int) {
	ms := []outpost.Mission{{Code: "M1", Name: "M1", Status: outpost.MissionOpen}, {Code: "M2", Name: "M2", Status: outpost.MissionOpen}}
	if _, err := db.ImportMissions(ctx, outpost.Batch[outpost.Mission]{Rows: slices.Values(ms), Err: func() error { return nil }}); err != nil {
		b.Fatal(err)
	}
	rows := func(yield func(outpost.PersonRecord) bool) {
		for i := 1; i <= n; i++ {
			if !yield(outpost.PersonRecord{Person: outpost.Person{ID: fmt.Sprintf("P%d", i), GivenName: "A", FamilyName: "B",
				Mission: ms[i%2].Code, Nationality: "FR", Category: outpost.Staff, Status: outpost.InCountry,
				Since: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}, SinceGiven: true}) {
				return
			}
		}
	}
	if _, err := db.ImportPeople(ctx, outpost.Batch[outpost.PersonRecord]{Rows: rows, Err: func() error { return nil }}); err != nil {
		b.Fatal(err)
	}
}
