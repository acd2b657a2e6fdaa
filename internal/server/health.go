package server

import (
	"context"
	"sync"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// probeTTL is how long /healthz reuses the result of its write probe.
// /healthz answers anyone, and each probe is a write transaction that
// holds SQLite's one writer: without reuse a client could keep the
// writer busy with health checks. A disk that fails is still reported
// within probeTTL.
const probeTTL = 5 * time.Second

// writeProbe runs the store's write probe at most once per probeTTL, one
// at a time, and remembers its answer.
type writeProbe struct {
	mu  sync.Mutex
	at  time.Time
	ran bool
	err error
}

// check answers the last probe's result while it is fresh, or probes.
func (p *writeProbe) check(ctx context.Context, store outpost.Store, now func() time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t := now(); p.ran && !t.Before(p.at) && t.Sub(p.at) < probeTTL {
		return p.err
	}
	err := store.PingWrite(ctx)
	if ctx.Err() != nil && err != nil {
		// The caller gave up (its own timeout): that says nothing of the
		// disk, so it is not remembered.
		return err
	}
	p.at, p.ran, p.err = now(), true, err
	return err
}
