package registry

import (
	"context"
	"hash/fnv"
	"sync"

	"github.com/outpost-org/outpost/internal/outpost"
)

// maxGroup is the most checkpoints one group commit writes.
const maxGroup = 256

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
	ctx  context.Context
	t    outpost.Track
	ev   outpost.Event
	err  error
	done chan struct{} // closed once written or refused
	turn chan struct{} // closed when this request is to write the lane's queue
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
// being recorded at the same time.
func (g *groupCommit) track(ctx context.Context, t outpost.Track) (outpost.Event, error) {
	p := &pendingTrack{ctx: ctx, t: t, done: make(chan struct{}), turn: make(chan struct{})}
	h := fnv.New32a()
	h.Write([]byte(t.Person))
	l := g.lanes[int(h.Sum32()%uint32(len(g.lanes)))]
	l.mu.Lock()
	l.queue = append(l.queue, p)
	lead := !l.writing
	l.writing = true
	l.mu.Unlock()
	if !lead {
		select {
		case <-p.done:
			return p.ev, p.err
		case <-p.turn:
		}
	}
	g.write(l)
	<-p.done
	return p.ev, p.err
}

// write takes the lane's queue (at most maxGroup), writes it, and hands
// the lane on.
func (g *groupCommit) write(l *lane) {
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

	l.mu.Lock()
	if len(l.queue) > 0 {
		close(l.queue[0].turn)
	} else {
		l.writing = false
	}
	l.mu.Unlock()
}

// commit writes the checkpoints of one actor in one transaction, in a
// context that no single request's end cancels.
func (g *groupCommit) commit(ps []*pendingTrack) {
	ts := make([]outpost.Track, len(ps))
	for i, p := range ps {
		ts[i] = p.t
	}
	ctx := context.WithoutCancel(ps[0].ctx)
	res, err := g.store.TrackMany(ctx, ts)
	for i, p := range ps {
		switch {
		case err != nil:
			p.err = err
		case res[i].Kind == outpost.RefusedPerson:
			p.err = outpost.Errorf(outpost.ENOTFOUND, "%s", res[i].Reason)
		case res[i].Kind != "":
			p.err = outpost.Errorf(outpost.EINVALID, "%s", res[i].Reason)
		default:
			p.ev = res[i].Event
		}
		close(p.done)
	}
}
