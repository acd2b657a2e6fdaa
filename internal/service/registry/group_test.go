package registry

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// groupStore is a TrackMany that does what the test says: panic, or wait
// until released.
type groupStore struct {
	mu      sync.Mutex
	panics  int           // how many calls panic still
	hold    chan struct{} // when not nil, calls wait for it to close
	entered chan struct{} // told of each call
	written []outpost.Track
}

func (s *groupStore) TrackMany(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error) {
	s.mu.Lock()
	panics, hold := s.panics, s.hold
	if panics > 0 {
		s.panics--
	}
	s.mu.Unlock()
	if s.entered != nil {
		select {
		case s.entered <- struct{}{}:
		default:
		}
	}
	if panics > 0 {
		panic("the store failed")
	}
	if hold != nil {
		<-hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]outpost.TrackResult, len(ts))
	for i, t := range ts {
		s.written = append(s.written, t)
		out[i].Event = outpost.Event{Person: t.Person, Checkpoint: t.Checkpoint, At: t.At}
	}
	return out, nil
}

// within runs fn and fails t if it has not returned after a while (a
// hang guard, not a measure).
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: still waiting", what)
	}
}

var groupTrack = outpost.Track{Person: "RU-0001", Checkpoint: outpost.Assembled, At: testNow}

// TestGroupCommitSurvivesAPanic: a store that panics fails the requests
// of that group with an error, and the lane takes the next request.
func TestGroupCommitSurvivesAPanic(t *testing.T) {
	st := &groupStore{panics: 1}
	g := newGroupCommit(st, 1)
	ctx := context.Background()
	within(t, "the request whose store panicked", func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("the panic reached the request: %v", r)
			}
		}()
		if _, err := g.track(ctx, groupTrack); outpost.ErrorCode(err) != outpost.EINTERNAL {
			t.Errorf("error %v, want an internal error", err)
		}
	})
	within(t, "the next request", func() {
		if _, err := g.track(ctx, groupTrack); err != nil {
			t.Errorf("next track: %v", err)
		}
	})
	if len(st.written) != 1 {
		t.Fatalf("%d written, want 1", len(st.written))
	}
}

// TestGroupCommitWaiterGivesUp: a request waiting behind a slow write
// returns when its context ends, its checkpoint is not written, and the
// lane still works after.
func TestGroupCommitWaiterGivesUp(t *testing.T) {
	st := &groupStore{hold: make(chan struct{}), entered: make(chan struct{}, 1)}
	g := newGroupCommit(st, 1)
	ctx := context.Background()
	first := make(chan error, 1)
	go func() {
		_, err := g.track(ctx, groupTrack)
		first <- err
	}()
	<-st.entered // the first request is writing
	cctx, cancel := context.WithCancel(ctx)
	waiting := make(chan error, 1)
	second := groupTrack
	second.Person = "RU-0002"
	go func() {
		_, err := g.track(cctx, second)
		waiting <- err
	}()
	for g.queued() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	within(t, "the cancelled request", func() {
		if err := <-waiting; !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
	close(st.hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	st.hold = nil
	st.mu.Unlock()
	within(t, "a later request", func() {
		if _, err := g.track(ctx, groupTrack); err != nil {
			t.Errorf("later track: %v", err)
		}
	})
	for _, w := range st.written {
		if w.Person == second.Person {
			t.Fatal("the cancelled request's checkpoint was written")
		}
	}
}

// TestGroupCommitQueueIsBounded: past maxQueue waiting, a request is
// answered busy at once.
func TestGroupCommitQueueIsBounded(t *testing.T) {
	st := &groupStore{hold: make(chan struct{}), entered: make(chan struct{}, 1)}
	g := newGroupCommit(st, 1)
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Go(func() { g.track(ctx, groupTrack) })
	<-st.entered
	for range maxQueue {
		wg.Go(func() { g.track(ctx, groupTrack) })
	}
	for g.queued() < maxQueue {
		time.Sleep(time.Millisecond)
	}
	within(t, "the request past the queue's bound", func() {
		if _, err := g.track(ctx, groupTrack); outpost.ErrorCode(err) != outpost.EUNAVAILABLE {
			t.Errorf("error %v, want busy (unavailable)", err)
		}
	})
	close(st.hold)
	within(t, "the queued requests", wg.Wait)
}

// queued is how many requests wait on the lanes.
func (g *groupCommit) queued() int {
	n := 0
	for _, l := range g.lanes {
		l.mu.Lock()
		n += len(l.queue)
		l.mu.Unlock()
	}
	return n
}
