// Package census is the census capability: who is in the country at a
// moment, the daily headcount, and the in-memory snapshot they are counted
// from. The Service owns the snapshot: it builds it, keeps it, and
// rebuilds it when the data changed; the API, the web UI, the command line
// and the other services ask it. The counting itself is the pure
// calculator internal/census, imported here as count.
package census

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
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

// ChangeStore is a Store that says what changed: with it the census
// applies the changes since its snapshot instead of reading everyone
// again. internal/store is one.
type ChangeStore interface {
	Store
	// AuditSince returns, in id order, at most limit audit entries above
	// after, preceded by at most limit of those within the ranges of ids
	// (lo and hi included) that exist (id, action, entity and entity id).
	AuditSince(ctx context.Context, after int64, ranges [][2]int64, limit int) ([]outpost.AuditEntry, error)
	// CommitHorizon tells which transactions may still commit audit
	// entries below visible ones: those of id xmin or more; xmax is the
	// next transaction id. ordered is true where entries commit in id
	// order (SQLite).
	CommitHorizon(ctx context.Context) (xmin, xmax int64, ordered bool, err error)
	// PresenceOf streams the presence history of the people named (as
	// Presence does); people not found are left out.
	PresenceOf(ctx context.Context, ids []string, fn func(outpost.Presence) error) error
}

// Watcher is a store that notifies changes made by any process:
// WatchCensus calls fn when one commits, until ctx is done or it fails;
// errors.ErrUnsupported says it never will (SQLite).
type Watcher interface {
	WatchCensus(ctx context.Context, fn func()) error
}

// Service keeps the census snapshot and answers census questions.
//
// It brings the snapshot up to date only when the newest audit id moved:
// every write leaves an audit entry, and reading the newest id is one
// indexed lookup, so a request pays microseconds when nothing changed.
// Then it reads the audit entries since the snapshot's version and
// applies what they name: a person's new history (read again, one
// indexed query) or the missions. Only a change it cannot apply one
// person at a time (an import of people, a new time zone, too many
// changes at once) makes it read everyone again, as it does at start.
//
// A full rebuild takes milliseconds for a post, seconds for a million
// people. While rebuilds are quick, a request after a write waits for one
// and sees the write; once a rebuild has taken longer than slowBuild,
// requests get the previous snapshot while the next one is built in the
// background, so that no page waits seconds.
type Service struct {
	store Store
	// Now is the clock.
	Now func() time.Time
	// Log receives the rebuilds and a failed background rebuild.
	Log *slog.Logger
	// Built, when set, is told of every full rebuild: how long it took
	// and how many people it holds (the server's metrics).
	Built func(d time.Duration, people int)
	// Applied, when set, is told of every snapshot made by applying
	// changes: how long it took and how many people changed.
	Applied func(d time.Duration, people int)
	// Poll is how often Follow looks for changes without a notification
	// (250 ms when zero).
	Poll time.Duration

	build    sync.Mutex // one update at a time; the others wait for it
	cur      atomic.Pointer[Snapshot]
	slow     atomic.Bool // the last full rebuild took longer than slowBuild
	building atomic.Bool // a background rebuild is running

	// marks are what updates saw, oldest first (PostgreSQL): they tell a
	// rebuild how far back a running transaction may hold audit ids.
	// Guarded by build.
	marks []mark
	// clock, when set, is the time gaps and marks are stamped with.
	clock func() time.Time
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
// committed before the call, or, when a full rebuild is needed and
// rebuilds are slow, the previous one while a new one is built. Any
// caller may have it: it is the means of the census, not an answer; the
// methods below say who may read what.
func (s *Service) Snapshot(ctx context.Context) (*Snapshot, error) {
	// The snapshot is loaded before the newest id is read, so that an id
	// below its version means the audit log went back (a database
	// restored under a running server), not a write in between.
	cur := s.cur.Load()
	v, err := s.store.LastAuditID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read last audit id: %w", err)
	}
	if cur != nil && v < cur.Version {
		return s.restored(ctx, cur)
	}
	if cur != nil && cur.Version >= v && len(cur.gaps) == 0 {
		return cur, nil
	}
	if cur != nil && s.building.Load() {
		return cur, nil
	}
	return s.update(ctx, v)
}

// Current returns the snapshot held, without asking the store whether it
// is still current; nil before the first.
func (s *Service) Current() *Snapshot { return s.cur.Load() }

// update brings the snapshot to at least version v: by applying the
// changes since the current one, or by a full rebuild.
func (s *Service) update(ctx context.Context, v int64) (*Snapshot, error) {
	s.build.Lock()
	defer s.build.Unlock()
	cur := s.cur.Load()
	if cur != nil && cur.Version >= v && len(cur.gaps) == 0 {
		return cur, nil
	}
	// The work outlives a client that gives up: the next one needs it.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
	defer cancel()
	if cur != nil {
		if cs, ok := s.store.(ChangeStore); ok {
			next, err := s.apply(bctx, cs, cur)
			if err != nil {
				return nil, fmt.Errorf("apply the changes to the census: %w", err)
			}
			if next != nil {
				s.cur.Store(next)
				return next, nil
			}
		}
		if s.slow.Load() {
			if s.building.CompareAndSwap(false, true) {
				go func() {
					defer s.building.Store(false)
					gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
					defer cancel()
					s.build.Lock() // once this call has returned
					defer s.build.Unlock()
					if _, err := s.rebuild(gctx, v); err != nil {
						s.Log.Error("rebuilding the census snapshot failed", "err", err.Error())
					}
				}()
			}
			return cur, nil
		}
	}
	return s.rebuild(bctx, v)
}

// restored rebuilds the snapshot when the audit log went back below the
// version of old: what it counted may not be in the database any more,
// and the changes since its version would never come.
func (s *Service) restored(ctx context.Context, old *Snapshot) (*Snapshot, error) {
	s.build.Lock()
	defer s.build.Unlock()
	if cur := s.cur.Load(); cur != old {
		return cur, nil // another call rebuilt it meanwhile
	}
	s.Log.WarnContext(ctx, "the audit log went back below the census snapshot: rebuilding it", "version", old.Version)
	s.marks = nil
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
	defer cancel()
	return s.rebuild(bctx, -1)
}

// rebuild builds a snapshot of at least version v from everyone's
// history (whatever the current one when v is -1); the caller holds
// s.build.
func (s *Service) rebuild(ctx context.Context, v int64) (*Snapshot, error) {
	if cur := s.cur.Load(); v >= 0 && cur != nil && cur.Version >= v && len(cur.gaps) == 0 {
		return cur, nil
	}
	start := time.Now()
	// The version is read before everyone: a write during the build makes
	// the next update apply it (again: applying is idempotent).
	v, err := s.store.LastAuditID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read last audit id: %w", err)
	}
	snap, err := BuildSnapshot(ctx, s.store, v)
	if err != nil {
		return nil, fmt.Errorf("build the census snapshot: %w", err)
	}
	if cs, ok := s.store.(ChangeStore); ok {
		// Entries below v that had not committed when it was read are
		// looked for until they must have: those above the newest id
		// seen before the oldest running transaction began.
		if snap.gaps, err = s.recentGaps(ctx, cs, v); err != nil {
			return nil, err
		}
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

// gap is a run of audit ids, lo to hi, below a snapshot's version that
// were not there when the snapshot read past them: a transaction that
// had not committed yet, or one rolled back. Runs keep the count of gaps
// small however many ids a long transaction holds.
type gap struct {
	lo, hi int64
	// xmax is the next transaction id when the gap was seen: once every
	// transaction before it is finished (the horizon's xmin reached it),
	// the entries are there or never will be.
	xmax int64
	seen time.Time
}

// gapGrace is how long a gap is looked for at least: a transaction takes
// its id (xmax) a moment after its audit id, when its first write is the
// audit entry.
const gapGrace = 2 * time.Second

// mark is what the service saw at one moment: the newest audit id v read
// before the next transaction id xmax. A transaction with an id of xmax
// or more took its audit ids after then, so above v.
type mark struct {
	v, xmax int64
	at      time.Time
}

// maxMarks bounds the marks kept; past it every other one is dropped, so
// that the marks reach back in time however busy the database.
const maxMarks = 4096

// fallbackWindow is how many of the latest audit ids a full rebuild
// checks for entries not committed yet when the oldest running
// transaction is older than every mark (it began before this process
// looked); maxWindow bounds the window however old that transaction.
const (
	fallbackWindow = 10_000
	maxWindow      = 1_000_000
)

// addMark remembers what an update saw; the caller holds s.build.
func (s *Service) addMark(v, xmax int64, at time.Time) {
	if n := len(s.marks); n > 0 && s.marks[n-1].v == v && s.marks[n-1].xmax == xmax {
		return
	}
	if len(s.marks) >= maxMarks {
		kept := s.marks[:0]
		for i, m := range s.marks {
			if i%2 == 0 || i == len(s.marks)-1 {
				kept = append(kept, m)
			}
		}
		s.marks = kept
	}
	s.marks = append(s.marks, mark{v: v, xmax: xmax, at: at})
}

// low is an audit id below which no running transaction holds one, when
// the oldest running transaction has the id xmin: the newest audit id
// seen before it began (and before gapGrace more, for a transaction whose
// first write is its audit entry). ok is false when no mark is that old.
func (s *Service) low(xmin int64) (v int64, ok bool) {
	i := -1
	for j, m := range s.marks {
		if m.xmax <= xmin {
			i = j
		}
	}
	if i < 0 {
		return 0, false
	}
	for j := i; j >= 0; j-- {
		if !s.marks[j].at.After(s.marks[i].at.Add(-gapGrace)) {
			return s.marks[j].v, true
		}
	}
	return 0, false
}

func (s *Service) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

// recentGaps finds the audit ids up to v that a rebuild of version v did
// not see and that a running transaction may still commit: those above
// the newest id seen before the oldest running transaction began.
func (s *Service) recentGaps(ctx context.Context, cs ChangeStore, v int64) ([]gap, error) {
	xmin, xmax, ordered, err := cs.CommitHorizon(ctx)
	if err != nil || ordered {
		return nil, err
	}
	lo, ok := s.low(xmin)
	if !ok {
		lo = v - fallbackWindow
	}
	lo = max(lo, v-maxWindow, 0)
	var entries []outpost.AuditEntry
	for after := lo; after < v; {
		page, err := cs.AuditSince(ctx, after, nil, auditPage)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if e.ID <= v {
				entries = append(entries, e)
			}
			after = e.ID
		}
		if len(page) < auditPage {
			break
		}
	}
	// The horizon is read after the entries: every transaction that may
	// still commit one of the missing ids is running, or is about to take
	// its id, now.
	if _, xmax, _, err = cs.CommitHorizon(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	s.addMark(v, xmax, now)
	return coarsen(missingRuns(lo, v, entries, xmax, now)), nil
}

// missingRuns returns as gaps the runs of ids in (lo, hi] that are not
// among entries (in id order).
func missingRuns(lo, hi int64, entries []outpost.AuditEntry, xmax int64, seen time.Time) []gap {
	var out []gap
	next := lo + 1
	for _, e := range entries {
		if e.ID < next || e.ID > hi {
			continue
		}
		if e.ID > next {
			out = append(out, gap{lo: next, hi: e.ID - 1, xmax: xmax, seen: seen})
		}
		next = e.ID + 1
	}
	if next <= hi {
		out = append(out, gap{lo: next, hi: hi, xmax: xmax, seen: seen})
	}
	return out
}

// maxGaps bounds the runs of missing ids a snapshot keeps; past it the
// closest runs are merged into one, whose ids already seen are read
// again (applying them again changes nothing).
const maxGaps = 1000

// coarsen merges the closest of gaps (in id order) until at most maxGaps
// remain.
func coarsen(gaps []gap) []gap {
	for len(gaps) > maxGaps {
		// Merge each pair whose distance is at most the median distance
		// (at least halving the excess each round).
		d := make([]int64, len(gaps)-1)
		for i := range d {
			d[i] = gaps[i+1].lo - gaps[i].hi
		}
		sorted := slices.Clone(d)
		slices.Sort(sorted)
		limit := sorted[min(len(gaps)-1-maxGaps, len(sorted)-1)]
		out := gaps[:1]
		for i := 1; i < len(gaps); i++ {
			if len(out)+len(gaps)-i > maxGaps && d[i-1] <= limit {
				last := &out[len(out)-1]
				last.hi = gaps[i].hi
				last.xmax = max(last.xmax, gaps[i].xmax)
				if gaps[i].seen.After(last.seen) {
					last.seen = gaps[i].seen
				}
				continue
			}
			out = append(out, gaps[i])
		}
		gaps = out
	}
	return gaps
}

// auditPage is how many audit entries one read of the changes takes;
// maxChangedPeople is how many people one update applies at most (past
// it, a full rebuild is as quick).
const (
	auditPage        = 10_000
	maxChangedPeople = 20_000
)

// effect is what an audit entry does to the census.
type effect int

const (
	noEffect      effect = iota
	personChanged        // the person named by the entity id
	missionsChanged
	everything // read everyone again
)

// effectOf says what an audit entry changes in the census. Entities it
// does not know may have changed anything: a full rebuild is the safe
// answer.
func effectOf(e outpost.AuditEntry) effect {
	switch e.Entity {
	case "person":
		if e.EntityID != "" {
			return personChanged
		}
		return everything
	case "missions", "mission_status":
		// A change of a mission's status (its history) is read again with
		// the missions: a few rows, no one's presence.
		return missionsChanged
	case "config":
		if e.EntityID == "timezone" {
			return everything
		}
		return noEffect
	case "user", "token", "restrictions", "departures", "plan", "medical_case", "statement",
		"items", "receipt", "issue", "transfer", "stock", "usage", "rollcall",
		// Exit documents decide who may board, not who is in the country.
		"exit_documents":
		return noEffect
	}
	return everything
}

// apply makes the next snapshot from cur and the changes since it, or
// answers nil when they need a full rebuild. The snapshot it makes shares
// with cur what did not change; cur is not changed.
func (s *Service) apply(ctx context.Context, cs ChangeStore, cur *Snapshot) (*Snapshot, error) {
	start := time.Now()
	// The horizon is read before the entries: the gaps whose transactions
	// had all ended by then are found now or never.
	var xmin int64
	var err error
	if len(cur.gaps) > 0 {
		if xmin, _, _, err = cs.CommitHorizon(ctx); err != nil {
			return nil, err
		}
	}
	ranges := make([][2]int64, len(cur.gaps))
	for i, g := range cur.gaps {
		ranges[i] = [2]int64{g.lo, g.hi}
	}
	people := map[string]bool{}
	missions := false
	var inGaps, above []outpost.AuditEntry
	version := cur.Version
	for after, rs := cur.Version, ranges; ; rs = nil {
		entries, err := cs.AuditSince(ctx, after, rs, auditPage)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, e := range entries {
			if e.ID > after {
				after, n = e.ID, n+1
				above = append(above, e)
			} else {
				inGaps = append(inGaps, e)
			}
			switch effectOf(e) {
			case personChanged:
				people[e.EntityID] = true
			case missionsChanged:
				missions = true
			case everything:
				return nil, nil
			}
		}
		if len(people) > maxChangedPeople || len(inGaps) >= auditPage {
			return nil, nil
		}
		version = after
		if n < auditPage {
			break
		}
	}
	// The gaps still missing are kept until no transaction can commit
	// them any more; the ids skipped now are new gaps.
	slices.SortFunc(inGaps, func(a, b outpost.AuditEntry) int { return cmp.Compare(a.ID, b.ID) })
	var gaps []gap
	now := s.now()
	for _, g := range cur.gaps {
		if xmin >= g.xmax && now.Sub(g.seen) >= gapGrace {
			continue
		}
		gaps = append(gaps, missingRuns(g.lo-1, g.hi, inGaps, g.xmax, g.seen)...)
	}
	if _, xmax, ordered, err := cs.CommitHorizon(ctx); err != nil {
		return nil, err
	} else if !ordered {
		// Read after the entries: every transaction that may still commit
		// one of the ids skipped is running, or about to take its id, now.
		gaps = append(gaps, missingRuns(cur.Version, version, above, xmax, now)...)
		s.addMark(version, xmax, now)
	}
	next := &Snapshot{Version: version, Missions: cur.Missions, Pop: cur.Pop, Loc: cur.Loc, Days: cur.Days,
		LastEvent: cur.LastEvent, days: cur.days, gaps: coarsen(gaps)}
	if !missions && len(people) == 0 {
		return next, nil
	}
	var ms []outpost.Mission
	if missions {
		if ms, err = cs.Missions(ctx); err != nil {
			return nil, fmt.Errorf("read missions: %w", err)
		}
		next.Missions = ms
	}
	ids := slices.Sorted(maps.Keys(people))
	var put []outpost.Presence
	for chunk := range slices.Chunk(ids, 1000) {
		if err := cs.PresenceOf(ctx, chunk, func(p outpost.Presence) error {
			put = append(put, p)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("read presence: %w", err)
		}
	}
	found := make(map[string]bool, len(put))
	days := cur.days.clone()
	for _, p := range put {
		found[p.Person] = true
		if old, ok := cur.Pop.Person(p.Person); ok {
			days.add(old, -1)
		}
		days.add(p, 1)
	}
	var gone []string
	for _, id := range ids {
		if !found[id] {
			if old, ok := cur.Pop.Person(id); ok {
				days.add(old, -1)
				gone = append(gone, id)
			}
		}
	}
	next.Pop = cur.Pop.Apply(ms, put, gone)
	if missions {
		if next.Pop, err = withMissionHistory(ctx, cs, next.Pop); err != nil {
			return nil, err
		}
	}
	next.days, next.Days, next.LastEvent = days, days.series(), next.Pop.LastEvent()
	if s.Applied != nil {
		s.Applied(time.Since(start), len(ids))
	}
	return next, nil
}

// Follow keeps the snapshot current until ctx is done, so that writes
// made through another server on the same database reach this one's
// census without waiting for a request: it updates at once when the
// store notifies a change (PostgreSQL LISTEN/NOTIFY) and, whatever the
// store, every Poll (one indexed read of the newest audit id when nothing
// changed). It builds the first snapshot at once.
func (s *Service) Follow(ctx context.Context) {
	poke := make(chan struct{}, 1)
	if w, ok := s.store.(Watcher); ok {
		go s.watch(ctx, w, poke)
	}
	every := s.Poll
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var logged time.Time
	for {
		// A database that is down fails every poll: one line a minute
		// says so.
		if _, err := s.Snapshot(ctx); err != nil && ctx.Err() == nil && time.Since(logged) > time.Minute {
			s.Log.Error("updating the census snapshot failed", "err", err.Error())
			logged = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-poke:
		case <-t.C:
		}
	}
}

// watch listens for the store's notifications and pokes Follow, listening
// again after a failure (the polling covers the time in between).
func (s *Service) watch(ctx context.Context, w Watcher, poke chan<- struct{}) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := w.WatchCensus(ctx, func() {
			select {
			case poke <- struct{}{}:
			default:
			}
		})
		if errors.Is(err, errors.ErrUnsupported) || ctx.Err() != nil {
			return
		}
		s.Log.Warn("listening for census changes failed; polling meanwhile", "err", err.Error())
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
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
	if loc, ok := zones.Load(tz); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	zones.Store(tz, loc)
	return loc, nil
}

// Today is the day pages show by default: the server's page day when ctx
// has one (the demo's 1 April 2021), else the day of now in the post's
// zone loc.
func Today(ctx context.Context, now time.Time, loc *time.Location) outpost.Date {
	if d, ok := outpost.PageDayFrom(ctx); ok {
		return d
	}
	return outpost.DateOf(now.In(loc))
}

// zones keeps each time zone Location has loaded, by name: a zone is read
// from the system's database once, not on every request.
var zones sync.Map

// Moment resolves the moment a caller asked for in the post's time zone,
// which only the snapshot knows: an HTTP as_of, a command-line --at.
type Moment func(loc *time.Location) (time.Time, error)

// At is the fixed moment t.
func At(t time.Time) Moment { return func(*time.Location) (time.Time, error) { return t, nil } }
