package census

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// lateStore is a ChangeStore in memory whose transactions commit when the
// test says: as on PostgreSQL, a transaction may hold audit ids below
// ones that others committed since, for as long as it runs.
type lateStore struct {
	mu      sync.Mutex
	people  map[string]outpost.Presence // what is committed
	audit   []outpost.AuditEntry        // committed, in id order
	lastID  int64                       // the last audit id taken
	nextXID int64
	running map[int64]func() // a transaction's id and what its commit does
	zone    string
}

func newLateStore(n int) *lateStore {
	f := &lateStore{people: map[string]outpost.Presence{}, nextXID: 1, running: map[int64]func(){}, zone: "UTC"}
	for i := range n {
		id := fmt.Sprintf("P%04d", i)
		f.people[id] = outpost.Presence{Person: id, Mission: "RU", Nationality: "RU", Category: outpost.Staff,
			History: []outpost.StatusAt{{At: testBase.Unix(), Status: outpost.InCountry}}}
	}
	return f
}

// begin starts a transaction that moves each of people out of the
// country at at, taking an audit id each now; commit makes it visible.
func (f *lateStore) begin(people []string, at time.Time) (commit func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	xid := f.nextXID
	f.nextXID++
	var entries []outpost.AuditEntry
	for _, p := range people {
		f.lastID++
		entries = append(entries, outpost.AuditEntry{ID: f.lastID, Action: "track", Entity: "person", EntityID: p})
	}
	f.running[xid] = func() {
		for _, p := range people {
			pr := f.people[p]
			pr.History = append(slices.Clone(pr.History), outpost.StatusAt{At: at.Unix(), Status: outpost.Left})
			f.people[p] = pr
		}
		f.audit = append(f.audit, entries...)
		slices.SortFunc(f.audit, func(a, b outpost.AuditEntry) int { return int(a.ID - b.ID) })
	}
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.running[xid]()
		delete(f.running, xid)
	}
}

func (f *lateStore) Config(ctx context.Context, key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if key == "timezone" {
		return f.zone, nil
	}
	return "", nil
}

// setZone commits a change of time zone: the census reads everyone again.
func (f *lateStore) setZone(zone string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextXID++
	f.lastID++
	f.zone = zone
	f.audit = append(f.audit, outpost.AuditEntry{ID: f.lastID, Action: "set", Entity: "config", EntityID: "timezone"})
}

func (f *lateStore) Missions(ctx context.Context) ([]outpost.Mission, error) {
	return []outpost.Mission{{Code: "RU", Name: "RU", Status: outpost.MissionOpen}}, nil
}

func (f *lateStore) Presence(ctx context.Context, fn func(outpost.Presence) error) error {
	f.mu.Lock()
	ps := slices.Collect(maps.Values(f.people))
	f.mu.Unlock()
	slices.SortFunc(ps, func(a, b outpost.Presence) int { return cmp.Compare(a.Person, b.Person) })
	for _, p := range ps {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (f *lateStore) PresenceOf(ctx context.Context, ids []string, fn func(outpost.Presence) error) error {
	f.mu.Lock()
	var ps []outpost.Presence
	for _, id := range ids {
		if p, ok := f.people[id]; ok {
			ps = append(ps, p)
		}
	}
	f.mu.Unlock()
	for _, p := range ps {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (f *lateStore) LastAuditID(ctx context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.audit) == 0 {
		return 0, nil
	}
	return f.audit[len(f.audit)-1].ID, nil
}

func (f *lateStore) AuditSince(ctx context.Context, after int64, ranges [][2]int64, limit int) ([]outpost.AuditEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []outpost.AuditEntry
	for _, e := range f.audit {
		if len(out) < limit && slices.ContainsFunc(ranges, func(r [2]int64) bool { return r[0] <= e.ID && e.ID <= r[1] }) {
			out = append(out, e)
		}
	}
	n := 0
	for _, e := range f.audit {
		if e.ID > after && n < limit {
			out = append(out, e)
			n++
		}
	}
	return out, nil
}

func (f *lateStore) CommitHorizon(ctx context.Context) (xmin, xmax int64, ordered bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	xmin = f.nextXID
	for x := range f.running {
		xmin = min(xmin, x)
	}
	return xmin, f.nextXID, false, nil
}

// sameAsBuilt fails t unless got counts what a snapshot built afresh
// from f counts.
func sameAsBuilt(t *testing.T, f *lateStore, got *Snapshot) {
	t.Helper()
	ctx := context.Background()
	v, _ := f.LastAuditID(ctx)
	want, err := BuildSnapshot(ctx, f, v)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != want.Version || !reflect.DeepEqual(got.Days, want.Days) {
		t.Fatalf("version %d, days %+v; want %d, %+v", got.Version, got.Days, want.Version, want.Days)
	}
	for _, at := range []time.Time{testBase, testBase.Add(time.Hour), testBase.Add(48 * time.Hour)} {
		if g, w := got.Census(at), want.Census(at); !reflect.DeepEqual(g, w) {
			t.Fatalf("census at %s:\n got %+v\nwant %+v", at, g, w)
		}
	}
}

// TestLateCommitAfterRebuildIsCounted: a long transaction took audit ids
// 2 to 11 and commits only after ids up to 1,500 are visible and a full
// rebuild happened. The rebuild must still look for its ids, and the
// census count its people once it commits.
func TestLateCommitAfterRebuildIsCounted(t *testing.T) {
	ctx := context.Background()
	f := newLateStore(1600)
	clock := testBase
	s := New(f, nil, nil)
	s.clock = func() time.Time { return clock }
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(3 * time.Second)
	f.begin([]string{"P1599"}, testBase.Add(time.Minute))()
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(3 * time.Second)
	var batch []string
	for i := range 10 {
		batch = append(batch, fmt.Sprintf("P%04d", i))
	}
	commitBatch := f.begin(batch, testBase.Add(time.Minute))
	for i := 10; i < 1498; i++ {
		f.begin([]string{fmt.Sprintf("P%04d", i)}, testBase.Add(time.Minute))()
		if i%100 == 0 {
			if _, err := s.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
			clock = clock.Add(time.Second)
		}
	}
	f.setZone("Asia/Kabul") // id 1,500: a full rebuild
	rebuilt := 0
	s.Built = func(time.Duration, int) { rebuilt++ }
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt != 1 {
		t.Fatalf("%d rebuilds, want 1", rebuilt)
	}
	if v, _ := f.LastAuditID(ctx); v != 1500 {
		t.Fatalf("last audit id %d, want 1500", v)
	}
	clock = clock.Add(time.Minute)
	commitBatch()
	got, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameAsBuilt(t, f, got)
	if len(got.gaps) != 0 {
		t.Fatalf("gaps %+v left after every transaction ended", got.gaps)
	}
}

// TestAuditLogGoingBackRebuilds: a database restored under a running
// server has an older audit log; the census must count what is there
// rather than keep its snapshot for ever.
func TestAuditLogGoingBackRebuilds(t *testing.T) {
	ctx := context.Background()
	f := newLateStore(20)
	s := New(f, nil, nil)
	for i := range 5 {
		f.begin([]string{fmt.Sprintf("P%04d", i)}, testBase.Add(time.Minute))()
	}
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	// The restore: an older copy, with other changes since.
	old := newLateStore(20)
	old.begin([]string{"P0010"}, testBase.Add(time.Hour))()
	f.mu.Lock()
	f.people, f.audit, f.lastID = old.people, old.audit, old.lastID
	f.mu.Unlock()
	got, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameAsBuilt(t, f, got)
}

// TestManyGapsAreKeptWithoutRebuilding: more runs of missing ids than a
// snapshot keeps (1,200 transactions each holding one id between
// committed ones) are merged into fewer runs, not a full rebuild per
// update; once they commit, the census counts them all.
func TestManyGapsAreKeptWithoutRebuilding(t *testing.T) {
	ctx := context.Background()
	f := newLateStore(2500)
	clock := testBase
	s := New(f, nil, nil)
	s.clock = func() time.Time { return clock }
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt := 0
	s.Built = func(time.Duration, int) { rebuilt++ }
	var commits []func()
	for i := range 1200 {
		commits = append(commits, f.begin([]string{fmt.Sprintf("P%04d", 2*i)}, testBase.Add(time.Minute)))
		f.begin([]string{fmt.Sprintf("P%04d", 2*i+1)}, testBase.Add(time.Minute))()
	}
	for range 3 {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.gaps) > maxGaps {
			t.Fatalf("%d gaps kept, at most %d", len(snap.gaps), maxGaps)
		}
		clock = clock.Add(time.Minute)
	}
	for _, c := range commits {
		c()
	}
	got, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameAsBuilt(t, f, got)
	if rebuilt != 0 {
		t.Fatalf("%d full rebuilds, want none", rebuilt)
	}
	if got, err = s.Snapshot(ctx); err != nil || len(got.gaps) != 0 {
		t.Fatalf("gaps %d left after every transaction ended (%v)", len(got.gaps), err)
	}
}
