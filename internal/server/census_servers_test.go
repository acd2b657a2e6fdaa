package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
)

// TestSecondServerCountsTheWrite runs two servers on one database, as two
// `outpost serve` behind a load balancer do: a tracking event written
// through one reaches the other's census by itself (notified on
// PostgreSQL, polled on SQLite), and the other's census API answers it.
func TestSecondServerCountsTheWrite(t *testing.T) {
	for engine, dsn := range testkit.DSNs() {
		t.Run(engine, func(t *testing.T) {
			addr := dsn(t)
			dbA := testkit.Open(t, store.Open, addr)
			dbB := testkit.Open(t, store.Open, addr)
			for _, db := range []*store.DB{dbA, dbB} {
				db.Now = func() time.Time { return testNow }
			}
			a := newFixture(t, dbA)
			b, err := New(Config{Store: dbB, Version: "test", Now: func() time.Time { return testNow }})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			// A hang guard, not a time limit: the figure is bench/freshness.sh's.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			b.census.Poll = 50 * time.Millisecond
			if engine == "postgres" {
				// Only the notification can bring the write in time.
				b.census.Poll = time.Hour
			}
			go b.census.Follow(ctx)
			first := waitSnapshot(ctx, t, b, func(c census.Census) bool { return true })
			if first.InTransit != 0 {
				t.Fatalf("before the write: %d in transit, want 0", first.InTransit)
			}
			if res := a.postJSON("/api/v1/people/RU-0002/track", "staff", `{"checkpoint":"departed","at":"2021-03-01"}`); res.status != 201 {
				t.Fatalf("track through the first server: %d %s", res.status, res.body)
			}
			// No request reaches the second server meanwhile: its census
			// follows the database by itself.
			waitSnapshot(ctx, t, b, func(c census.Census) bool { return c.InTransit == 1 })

			// Its API answers it too.
			bf := &fixture{t: t, store: dbB, srv: b, users: a.users}
			res := bf.get("/api/v1/census", "staff")
			var c census.Census
			if res.status != 200 || json.Unmarshal([]byte(res.body), &c) != nil || c.InTransit != 1 {
				t.Fatalf("census through the second server: %d %s", res.status, res.body)
			}
		})
	}
}

// waitSnapshot waits, without asking the store, until s holds a snapshot
// whose census now satisfies ok, and returns that census.
func waitSnapshot(ctx context.Context, t *testing.T, s *Server, ok func(census.Census) bool) census.Census {
	t.Helper()
	for {
		if snap := s.census.Current(); snap != nil {
			if c := snap.Census(testNow); ok(c) {
				return c
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("the second server's census never counted the write")
		case <-time.After(5 * time.Millisecond):
		}
	}
}
