package registry

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"

	"github.com/outpost-org/outpost/internal/outpost"
)

// maxGroup is the most checkpoints one group commit writes.
const maxGroup = 256

// maxQueue is the most checkpoints waiting on one lane: past it a
// request is answered busy (503) at once rather than queued behind a
// database that does not keep up.
const maxQueue = 4 * maxGroup

// groupCommit writes the checkpoints that requests record at the same
// time in one transaction (outpost.RegistryStore.TrackMany), each exactly
// as Track would: at the gates, one commit (one fsync on SQLite) per
// request would cap the rate far below what the database can take.
//
// There is no writer goroutine: the first request to find its lane idle
// writes what is queued, its own checkpoint included, and hands the lane
// to the first request that queued meanwhile. Every request returns once
// its own checkpoint is committed (or refused), so an acknowledged
// checkpoint is never lost; a transaction that fails fails every request
// in it, none of which was acknowledged. A person's checkpoints always
// take the same lane, so that theirs are written in the order taken.
type groupCommit struct {
	store interface {
		TrackMany(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error)
	}
	lanes []*lane
}

type lane struct {
	mu      sync.Mutex
	queue   []*pendingTrack
	writing bool
}

type pendingTrack struct {
	ctx    context.Context
	t      outpost.Track
	ev     outpost.Event
	err    error
	done   chan struct{} // closed once written or refused
	closed bool          // done is closed (set by the writer)
	turn   chan struct{} // closed when this request is to write the lane's queue
}

func newGroupCommit(store interface {
	TrackMany(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error)
}, lanes int) *groupCommit {
	g := &groupCommit{store: store}
	for range max(lanes, 1) {
		g.lanes = append(g.lanes, &lane{})
	}
	return g
}

// track records t with the actor of ctx, together with whatever else is
// being recorded at the same time. A request whose ctx ends while it
// waits returns at once with ctx's error: its checkpoint is not
// acknowledged (taken out of the queue if not being written yet).
func (g *groupCommit) track(ctx context.Context, t outpost.Track) (outpost.Event, error) {
	if err := ctx.Err(); err != nil {
		return outpost.Event{}, fmt.Errorf("record checkpoint: %w", err)
	}
	p := &pendingTrack{ctx: ctx, t: t, done: make(chan struct{}), turn: make(chan struct{})}
	h := fnv.New32a()
	h.Write([]byte(t.Person))
	l := g.lanes[int(h.Sum32()%uint32(len(g.lanes)))]
	l.mu.Lock()
	if len(l.queue) >= maxQueue {
		l.mu.Unlock()
		return outpost.Event{}, outpost.Errorf(outpost.EUNAVAILABLE, "busy: %d checkpoints are waiting to be written; try again in a moment", maxQueue)
	}
	l.queue = append(l.queue, p)
	lead := !l.writing
	l.writing = true
	l.mu.Unlock()
	if !lead {
		select {
		case <-p.done:
			return p.ev, p.err
		case <-p.turn:
		case <-ctx.Done():
			g.leave(l, p)
			return outpost.Event{}, &outpost.Error{Code: outpost.EUNAVAILABLE, Err: ctx.Err(),
				Message: "the request ended before its checkpoint was acknowledged"}
		}
	}
	g.write(l)
	<-p.done
	return p.ev, p.err
}

// leave takes p out of l's queue when its request gave up, handing the
// lane on if it was p's turn. A p no longer queued is being written.
func (g *groupCommit) leave(l *lane, p *pendingTrack) {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := slices.Index(l.queue, p)
	if i < 0 {
		return
	}
	l.queue = slices.Delete(l.queue, i, i+1)
	select {
	case <-p.turn:
		l.handOn()
	default:
	}
}

// handOn gives the lane to the first request queued, or makes it idle;
// the caller holds l.mu.
func (l *lane) handOn() {
	if len(l.queue) > 0 {
		close(l.queue[0].turn)
	} else {
		l.writing = false
	}
}

// write takes the lane's queue (at most maxGroup), writes it, and hands
// the lane on, whatever happens.
func (g *groupCommit) write(l *lane) {
	defer func() {
		l.mu.Lock()
		l.handOn()
		l.mu.Unlock()
	}()
	l.mu.Lock()
	n := min(len(l.queue), maxGroup)
	batch := l.queue[:n:n]
	l.queue = l.queue[n:]
	l.mu.Unlock()

	// One transaction per actor, so that the audit log names who recorded
	// each checkpoint.
	for len(batch) > 0 {
		actor := outpost.ActorFrom(batch[0].ctx)
		var same, rest []*pendingTrack
		for _, p := range batch {
			if outpost.ActorFrom(p.ctx) == actor {
				same = append(same, p)
			} else {
				rest = append(rest, p)
			}
		}
		g.commit(same)
		batch = rest
	}
}

// commit writes the checkpoints of one actor in one transaction, in a
// context that no single request's end cancels. A panic in the store
// fails these requests (none acknowledged) instead of the lane.
func (g *groupCommit) commit(ps []*pendingTrack) {
	defer func() {
		if r := recover(); r != nil {
			err := outpost.Errorf(outpost.EINTERNAL, "record checkpoints: internal error: %v", r)
			for _, p := range ps {
				if !p.closed {
					p.err, p.closed = err, true
					close(p.done)
				}
			}
		}
	}()
	ts := make([]outpost.Track, len(ps))
	for i, p := range ps {
		ts[i] = p.t
	}
	ctx := context.WithoutCancel(ps[0].ctx)
	res, err := g.store.TrackMany(ctx, ts)
	if err == nil && len(res) != len(ps) {
		err = fmt.Errorf("record checkpoints: %d results for %d checkpoints", len(res), len(ps))
	}
	for i, p := range ps {
		switch {
		case err != nil:
			p.err = err
		default:
			p.ev, p.err = res[i].Event, res[i].Err()
		}
		p.closed = true
		close(p.done)
	}
}
