package census

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// fakeStore is a registry of one person whose history a test extends;
// every change moves the audit id, as a store's write does.
type fakeStore struct {
	mu      sync.Mutex
	version int64
	history []outpost.StatusAt
}

func (f *fakeStore) Config(context.Context, string) (string, error) { return "", nil }

func (f *fakeStore) Missions(context.Context) ([]outpost.Mission, error) {
	return []outpost.Mission{{Code: "RU", Name: "Embassy of Russia", Status: outpost.MissionOpen}}, nil
}

func (f *fakeStore) Presence(_ context.Context, fn func(outpost.Presence) error) error {
	f.mu.Lock()
	h := append([]outpost.StatusAt(nil), f.history...)
	f.mu.Unlock()
	return fn(outpost.Presence{Person: "RU-0002", Mission: "RU", Nationality: "RU", Category: outpost.Staff, History: h})
}

func (f *fakeStore) LastAuditID(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version, nil
}

func (f *fakeStore) record(at time.Time, st outpost.Status) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.history = append(f.history, outpost.StatusAt{At: at.Unix(), Status: st})
	f.version++
}

var testNow = time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)

func TestSnapshotRebuildsOnlyAfterChanges(t *testing.T) {
	st := &fakeStore{}
	st.record(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), outpost.InCountry)
	builds := 0
	s := New(st, func() time.Time { return testNow }, nil)
	s.Built = func(time.Duration, int) { builds++ }
	ctx := context.Background()
	s1, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s2, _ := s.Snapshot(ctx); s1 != s2 || builds != 1 {
		t.Errorf("the snapshot was rebuilt without a change (%d builds)", builds)
	}
	st.record(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), outpost.InTransit)
	s3, _ := s.Snapshot(ctx)
	if s3 == s1 || s3.Version <= s1.Version || builds != 2 {
		t.Errorf("after a change: got version %d, want a new snapshot past %d", s3.Version, s1.Version)
	}
	if got := s3.Pop.At(testNow).InTransit; got != 1 {
		t.Errorf("the new snapshot: got %d in transit, want 1", got)
	}
}

func TestSlowRebuildsServeThePreviousSnapshot(t *testing.T) {
	st := &fakeStore{}
	st.record(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), outpost.InCountry)
	s := New(st, func() time.Time { return testNow }, nil)
	ctx := context.Background()
	old, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.slow.Store(true) // as if the last rebuild had taken seconds
	st.record(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), outpost.InTransit)
	if got, _ := s.Snapshot(ctx); got != old {
		t.Error("a slow rebuild made the reader wait")
	}
	for s.building.Load() {
		runtime.Gosched()
	}
	got, _ := s.Snapshot(ctx)
	if got == old || got.Pop.At(testNow).InTransit != 1 {
		t.Errorf("after the background rebuild: got version %d, want the change counted", got.Version)
	}
}

func TestCensusIsForThoseWhoMayReadIt(t *testing.T) {
	st := &fakeStore{}
	s := New(st, nil, nil)
	ctx := context.Background()
	for _, u := range []outpost.User{outpost.Operator("cli"), {Name: "c", Role: outpost.RoleCoordinator}} {
		if _, err := s.Read(ctx, u); err != nil {
			t.Errorf("%s: %v", u.Role, err)
		}
	}
	if _, err := s.Headcount(ctx, outpost.User{Name: "x", Role: "nobody"}, "bad", "bad"); outpost.ErrorCode(err) != outpost.EFORBIDDEN {
		t.Errorf("an unknown role, bad dates: got %v, want forbidden before the dates are read", err)
	}
	if _, err := s.Headcount(ctx, outpost.Operator("cli"), "2021-01-01", "bad"); outpost.ErrorMessage(err) != `to "bad": not a date, want YYYY-MM-DD` {
		t.Errorf("bad to: got %v", err)
	}
}
