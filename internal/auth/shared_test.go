package auth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/testkit"
	"pgregory.net/rapid"
)

// A Backoff sharing its counts through the database answers, for any
// sequence of attempts, forgiveness, resets and waits, exactly what one
// counting in memory answers: sharing changes where the counts are, not
// what they allow.
func TestSharedBackoffBehavesAsInMemory(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			run := 0
			rapid.Check(t, func(rt *rapid.T) {
				run++
				now := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
				clock := func() time.Time { return now }
				mem := auth.NewBackoff(2, time.Second, 8*time.Second, time.Minute, 1000)
				shared := auth.NewBackoff(2, time.Second, 8*time.Second, time.Minute, 1000)
				mem.Now, shared.Now = clock, clock
				shared.Share(db, fmt.Sprintf("run%d", run))
				keys := []string{"a", "b", "198.51.100.7"}
				for i := range rapid.IntRange(1, 40).Draw(rt, "steps") {
					key := rapid.SampledFrom(keys).Draw(rt, "key")
					switch op := rapid.IntRange(0, 5).Draw(rt, "op"); op {
					case 0, 1:
						okM, waitM := mem.Try(key)
						okS, waitS, err := shared.TryContext(ctx, key)
						if err != nil {
							rt.Fatal(err)
						}
						if okM != okS || waitM.Round(time.Millisecond) != waitS.Round(time.Millisecond) {
							rt.Fatalf("step %d, try %q: in memory %v %v, shared %v %v", i, key, okM, waitM, okS, waitS)
						}
					case 2:
						mem.Forgive(key)
						if err := shared.ForgiveContext(ctx, key); err != nil {
							rt.Fatal(err)
						}
					case 3:
						mem.Reset(key)
						if err := shared.ResetContext(ctx, key); err != nil {
							rt.Fatal(err)
						}
					default:
						now = now.Add(time.Duration(rapid.IntRange(0, 90_000).Draw(rt, "ms")) * time.Millisecond)
					}
				}
			})
		})
	}
}

// The shared store holds a bounded number of keys whatever an attacker
// cycles through: at most MaxKeys and MaxKeys/8 more per server between
// trims.
func TestSharedBackoffIsBounded(t *testing.T) {
	for name, open := range testkit.Stores(store.Open) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			b := auth.NewBackoff(5, time.Second, time.Minute, time.Hour, 16)
			b.Share(db, "addr")
			for i := range 200 {
				if ok, _, err := b.TryContext(ctx, fmt.Sprintf("203.0.113.%d", i)); !ok || err != nil {
					t.Fatalf("key %d: %v %v", i, ok, err)
				}
			}
			// Removing every key (none is older than the zero time,
			// all are beyond 0) counts them.
			n, err := db.ForgetAttempts(ctx, time.Time{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n > 16+16/8 || n == 0 {
				t.Errorf("%d keys stored after 200 distinct ones, want at most %d", n, 16+16/8)
			}
		})
	}
}
