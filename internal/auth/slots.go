package auth

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// hashSlots bounds how many argon2id hashes run at once in the process:
// each takes params.Memory (19 MiB), and sign-in is open to anyone, so
// without a bound 60 concurrent wrong passwords cost over a gigabyte. One
// slot per CPU keeps the CPUs busy; more would only queue in the
// scheduler while holding their memory.
var hashSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))

// hashWait is how long a password check waits for a slot before the
// server answers that it is busy.
var hashWait = 3 * time.Second

// hashHook, when set by a test, runs inside each slot with how many
// slots are taken.
var (
	hashHook  func(running int64)
	hashCount atomic.Int64
)

// errBusy is the answer when every hashing slot stays taken.
func errBusy() error {
	return outpost.Errorf(outpost.EUNAVAILABLE, "the server is busy, try again in a moment")
}

// withHashSlot runs f once a hashing slot is free, waiting at most
// hashWait or until ctx ends.
func withHashSlot(ctx context.Context, f func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-t.C:
		return errBusy()
	case <-ctx.Done():
		return errBusy()
	}
	defer func() { <-hashSlots }()
	n := hashCount.Add(1)
	defer hashCount.Add(-1)
	if hashHook != nil {
		hashHook(n)
	}
	f()
	return nil
}
