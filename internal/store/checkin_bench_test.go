package store

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

// BenchmarkCheckInBatch writes batches of answers of a roll call over
// the database OUTPOST_BENCH_DB (made by bench/checkin.sh), one batch
// per iteration, as the check-in batcher does: the cost of a transaction
// of n answers, without HTTP. Both ways are measured on PostgreSQL: the
// set-based one (few statements per batch) and one statement per answer.
//
//	OUTPOST_BENCH_DB='postgres:///…' go test ./internal/store -run - -bench CheckInBatch
func BenchmarkCheckInBatch(b *testing.B) {
	dsn := os.Getenv("OUTPOST_BENCH_DB")
	if dsn == "" {
		b.Skip("set OUTPOST_BENCH_DB to a database made by bench/checkin.sh")
	}
	ctx := outpost.WithActor(context.Background(), "bench")
	db, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rc, err := db.StartRollCall(ctx, outpost.RollCall{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	scope, err := db.RollCallScope(ctx, rc.ID)
	if err != nil || len(scope) < 512 {
		b.Fatalf("roll call over %d people: %v", len(scope), err)
	}
	ways := map[string]func(*tx, []outpost.Checkin, []error) error{
		"rows": func(t *tx, a []outpost.Checkin, e []error) error { return t.checkInRows(ctx, a, e) },
	}
	if db.dialect == Postgres {
		ways["set"] = func(t *tx, a []outpost.Checkin, e []error) error { return t.checkInSet(ctx, a, e) }
	}
	for _, n := range []int{1, 8, 64, 512} {
		for name, way := range ways {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				next := 0
				for b.Loop() {
					answers := make([]outpost.Checkin, n)
					for i := range answers {
						answers[i] = outpost.Checkin{RollCall: rc.ID, Person: scope[next%len(scope)].Person, Status: outpost.Safe, Via: "bench"}
						next++
					}
					errs := make([]error, n)
					if err := db.update(ctx, func(t *tx) error { return way(t, answers, errs) }); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "answers/s")
			})
		}
	}
}
