// Package census is the census capability: who is in the country at a
// moment, the daily headcount, and the in-memory snapshot they are counted
// from. The Service owns the snapshot: it builds it, keeps it, and
// rebuilds it when the data changed; the API, the web UI, the command line
// and the other services ask it. The counting itself is the pure
// calculator internal/census, imported here as count.
package census

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	count "github.com/outpost-org/outpost/internal/census"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Store is what the census reads: the settings (the post's time zone),
// the missions, everyone's presence history, and the newest audit id
// that says whether anything changed.
type Store interface {
	Config(ctx context.Context, key string) (string, error)
	Missions(ctx context.Context) ([]outpost.Mission, error)
	Presence(ctx context.Context, fn func(outpost.Presence) error) error
	LastAuditID(ctx context.Context) (int64, error)
}

// Service keeps the census snapshot and answers census questions.
//
// It rebuilds the snapshot only when the newest audit id moved: every
// write leaves an audit entry, and reading the newest id is one indexed
// lookup, so a request pays microseconds when nothing changed.
//
// A rebuild reads everyone's history: milliseconds for a post, seconds for
// a million people. While rebuilds are quick, a request after a write
// waits for one and sees the write; once a rebuild has taken longer than
// slowBuild, requests get the previous snapshot while the next one is
// built in the background, so that no page waits seconds.
type Service struct {
	store Store
	// Now is the clock.
	Now func() time.Time
	// Log receives the rebuilds and a failed background rebuild.
	Log *slog.Logger
	// Built, when set, is told of every rebuild: how long it took and
	// how many people it holds (the server's metrics).
	Built func(d time.Duration, people int)

	build    sync.Mutex // one rebuild at a time; the others wait for it
	cur      atomic.Pointer[Snapshot]
	slow     atomic.Bool // the last rebuild took longer than slowBuild
	building atomic.Bool // a background rebuild is running
}

// New returns the census service over store.
func New(store Store, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, Now: now, Log: log}
}

// slowBuild is the rebuild time past which readers stop waiting for it.
const slowBuild = 500 * time.Millisecond

// Snapshot returns the current snapshot: one that reflects every write
// committed before the call, or, when rebuilds are slow, the previous one
// while a new one is built. Any caller may have it: it is the means of
// the census, not an answer; the methods below say who may read what.
func (s *Service) Snapshot(ctx context.Context) (*Snapshot, error) {
	v, err := s.store.LastAuditID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read last audit id: %w", err)
	}
	cur := s.cur.Load()
	if cur != nil && cur.Version == v {
		return cur, nil
	}
	if cur != nil && s.slow.Load() {
		if s.building.CompareAndSwap(false, true) {
			go func() {
				defer s.building.Store(false)
				if _, err := s.rebuild(context.WithoutCancel(ctx), v); err != nil {
					s.Log.Error("rebuilding the census snapshot failed", "err", err.Error())
				}
			}()
		}
		return cur, nil
	}
	return s.rebuild(ctx, v)
}

// rebuild builds a snapshot of at least version v, unless another
// rebuild did meanwhile.
func (s *Service) rebuild(ctx context.Context, v int64) (*Snapshot, error) {
	s.build.Lock()
	defer s.build.Unlock()
	if cur := s.cur.Load(); cur != nil && cur.Version >= v {
		return cur, nil
	}
	// The build outlives a client that gives up: the next one needs it.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
	defer cancel()
	start := time.Now()
	snap, err := BuildSnapshot(bctx, s.store, v)
	if err != nil {
		return nil, fmt.Errorf("build the census snapshot: %w", err)
	}
	d := time.Since(start)
	s.slow.Store(d > slowBuild)
	if s.Built != nil {
		s.Built(d, snap.Pop.Len())
	}
	s.Log.InfoContext(ctx, "census snapshot built", "people", snap.Pop.Len(), "version", v, "duration_ms", d.Milliseconds())
	s.cur.Store(snap)
	return snap, nil
}

// MayRead refuses a caller who may not read the census.
func MayRead(caller outpost.User) error {
	if !caller.Can(outpost.ReadCensus, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "you may not read the census")
	}
	return nil
}

// Read returns the snapshot for a caller who may read the census: the
// census at any moment (Snapshot.Census) and the missions in it.
func (s *Service) Read(ctx context.Context, caller outpost.User) (*Snapshot, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	return s.Snapshot(ctx)
}

// Headcount returns the number of people in the country at the end of
// each day from from to to, dates as the caller gave them (checked here,
// after the caller's rights).
func (s *Service) Headcount(ctx context.Context, caller outpost.User, from, to outpost.Date) ([]count.DayCount, error) {
	if err := MayRead(caller); err != nil {
		return nil, err
	}
	first, err := outpost.ParseDate(string(from))
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "from %q: %v", string(from), err)
	}
	last, err := outpost.ParseDate(string(to))
	if err != nil {
		return nil, outpost.Errorf(outpost.EINVALID, "to %q: %v", string(to), err)
	}
	from, to = first, last
	if msg := outpost.CheckDateRange(from, to); msg != "" {
		return nil, outpost.Errorf(outpost.EINVALID, "from %s to %s: %s", from, to, msg)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.Headcount(from, to), nil
}

// Location returns the post's time zone as the store's settings say
// (UTC when unset or unknown).
func (s *Service) Location(ctx context.Context) (*time.Location, error) {
	return Location(ctx, s.store)
}

// Location reads the post's time zone from the store's settings (UTC when
// unset or unknown).
func Location(ctx context.Context, s interface {
	Config(ctx context.Context, key string) (string, error)
}) (*time.Location, error) {
	tz, err := s.Config(ctx, "timezone")
	if err != nil {
		return time.UTC, fmt.Errorf("read the time zone: %w", err)
	}
	if tz == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC, nil
	}
	return loc, nil
}

// Moment resolves the moment a caller asked for in the post's time zone,
// which only the snapshot knows: an HTTP as_of, a command-line --at.
type Moment func(loc *time.Location) (time.Time, error)

// At is the fixed moment t.
func At(t time.Time) Moment { return func(*time.Location) (time.Time, error) { return t, nil } }
