package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-org/outpost/internal/api"
	"github.com/outpost-org/outpost/internal/outpost"
)

// snapshotCache keeps the census snapshot and rebuilds it only when the
// newest audit id moved: every write leaves an audit entry, and reading
// the newest id is one indexed lookup, so a request pays microseconds
// when nothing changed.
//
// A rebuild reads everyone's history: milliseconds for a post, seconds for
// a million people. While rebuilds are quick, a request after a write
// waits for one and sees the write; once a rebuild has taken longer than
// slowBuild, requests get the previous snapshot while the next one is
// built in the background, so that no page waits seconds.
type snapshotCache struct {
	store   outpost.Store
	metrics *metrics
	log     *slog.Logger

	build    sync.Mutex // one rebuild at a time; the others wait for it
	cur      atomic.Pointer[api.Snapshot]
	slow     atomic.Bool // the last rebuild took longer than slowBuild
	building atomic.Bool // a background rebuild is running
}

// slowBuild is the rebuild time past which readers stop waiting for it.
const slowBuild = 500 * time.Millisecond

// Snapshot returns the current snapshot: one that reflects every write
// committed before the call, or, when rebuilds are slow, the previous one
// while a new one is built.
func (c *snapshotCache) Snapshot(ctx context.Context) (*api.Snapshot, error) {
	v, err := c.store.LastAuditID(ctx)
	if err != nil {
		return nil, err
	}
	s := c.cur.Load()
	if s != nil && s.Version == v {
		return s, nil
	}
	if s != nil && c.slow.Load() {
		if c.building.CompareAndSwap(false, true) {
			go func() {
				defer c.building.Store(false)
				if _, err := c.rebuild(context.WithoutCancel(ctx), v); err != nil {
					c.log.Error("rebuilding the census snapshot failed", "err", err.Error())
				}
			}()
		}
		return s, nil
	}
	return c.rebuild(ctx, v)
}

// rebuild builds a snapshot of at least version v, unless another
// rebuild did meanwhile.
func (c *snapshotCache) rebuild(ctx context.Context, v int64) (*api.Snapshot, error) {
	c.build.Lock()
	defer c.build.Unlock()
	if s := c.cur.Load(); s != nil && s.Version >= v {
		return s, nil
	}
	// The build outlives a client that gives up: the next one needs it.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
	defer cancel()
	start := time.Now()
	s, err := api.BuildSnapshot(bctx, c.store, v)
	if err != nil {
		return nil, err
	}
	d := time.Since(start)
	c.slow.Store(d > slowBuild)
	c.metrics.built(d, s.Pop.Len())
	c.log.InfoContext(ctx, "census snapshot built", "people", s.Pop.Len(), "version", v, "duration_ms", d.Milliseconds())
	c.cur.Store(s)
	return s, nil
}
