package welfare

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Recorder writes answers in one transaction; outpost.WelfareStore's
// CheckIn is one.
type Recorder interface {
	CheckIn(ctx context.Context, answers []outpost.Checkin) ([]error, error)
}

// Batcher gathers answers that arrive at the same time into one
// transaction. Each caller waits until its own answer is committed (or
// refused), so an acknowledged answer is never lost; while one batch
// commits, the next one fills.
//
// Answers are written in the order the batcher takes them, and an answer
// without a time gets the moment it was taken, later than every answer
// taken before it: of several answers of one person, the one kept is the
// one with the latest time, however many clients sent them at once.
//
// A batcher with several lanes writes that many transactions at once
// (for PostgreSQL, where each answer costs round trips); the answers of
// one person always take the same lane, so they stay in order.
type Batcher struct {
	// Now is the clock that times answers (default time.Now); set it
	// before the first Record.
	Now func() time.Time

	rec   Recorder
	lanes []chan request
	max   int
	done  sync.WaitGroup

	mu   sync.Mutex
	last time.Time // the time of the last answer taken

	transactions, answers atomic.Int64
}

// BatchStats counts what a Batcher wrote: answers sent to the store and
// the transactions they took.
type BatchStats struct {
	Transactions int64
	Answers      int64
}

// Stats returns the counts so far.
func (b *Batcher) Stats() BatchStats {
	return BatchStats{Transactions: b.transactions.Load(), Answers: b.answers.Load()}
}

type request struct {
	ctx context.Context
	c   outpost.Checkin
	res chan result
}

type result struct {
	c   outpost.Checkin
	err error
}

// NewBatcher starts a batcher over rec that commits at most max answers in
// one transaction, one transaction at a time. Stop it with Close.
func NewBatcher(rec Recorder, max int) *Batcher { return NewLanes(rec, max, 1) }

// NewLanes starts a batcher over rec with the given number of lanes, each
// committing at most max answers in one transaction. Stop it with Close.
func NewLanes(rec Recorder, max, lanes int) *Batcher {
	max, lanes = maxOf(max, 1), maxOf(lanes, 1)
	b := &Batcher{Now: time.Now, rec: rec, max: max}
	for range lanes {
		in := make(chan request, 4*max)
		b.lanes = append(b.lanes, in)
		b.done.Go(func() { b.loop(in) })
	}
	return b
}

func maxOf(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// lane is the lane of a person's answers.
func (b *Batcher) lane(person string) chan request {
	if len(b.lanes) == 1 {
		return b.lanes[0]
	}
	h := fnv.New32a()
	h.Write([]byte(person))
	return b.lanes[h.Sum32()%uint32(len(b.lanes))]
}

// ErrClosed is returned for answers submitted after Close.
var ErrClosed = errors.New("check-ins are shutting down")

// Submit records one answer and returns when it is committed, with the
// answer's own error (unknown person, closed roll call, …) if refused.
func (b *Batcher) Submit(ctx context.Context, c outpost.Checkin) error {
	_, err := b.Record(ctx, c)
	return err
}

// Record is Submit that also returns the answer as written, with its
// time. The audit log names the context's actor.
func (b *Batcher) Record(ctx context.Context, c outpost.Checkin) (_ outpost.Checkin, err error) {
	defer func() {
		if recover() != nil { // the batcher was closed under us
			err = ErrClosed
		}
	}()
	r := request{ctx: ctx, c: c, res: make(chan result, 1)}
	select {
	case b.lane(c.Person) <- r:
	case <-ctx.Done():
		return c, ctx.Err()
	}
	res := <-r.res
	return res.c, res.err
}

// stamp times an answer that has no time: now, and always later than the
// answer taken before it.
func (b *Batcher) stamp(c *outpost.Checkin) {
	if !c.At.IsZero() {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.Now()
	if !t.After(b.last) {
		t = b.last.Add(time.Nanosecond)
	}
	b.last = t
	c.At = t
}

// Close stops taking answers and returns once every queued one is
// written.
func (b *Batcher) Close() {
	for _, in := range b.lanes {
		close(in)
	}
	b.done.Wait()
}

func (b *Batcher) loop(in chan request) {
	batch := make([]request, 0, b.max)
	for first := range in {
		b.stamp(&first.c)
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.max {
			select {
			case r, ok := <-in:
				if !ok {
					break fill
				}
				b.stamp(&r.c)
				batch = append(batch, r)
			default:
				break fill
			}
		}
		b.write(batch)
	}
}

// write records a batch: one transaction for each run of answers sent by
// the same actor, in order, so that the audit log names who sent each
// answer and a later answer still replaces an earlier one.
func (b *Batcher) write(batch []request) {
	live := batch[:0:0]
	for _, r := range batch {
		if r.ctx.Err() != nil {
			r.res <- result{r.c, r.ctx.Err()}
			continue
		}
		live = append(live, r)
	}
	for len(live) > 0 {
		actor := outpost.ActorFrom(live[0].ctx)
		n := 1
		for n < len(live) && outpost.ActorFrom(live[n].ctx) == actor {
			n++
		}
		b.writeRun(live[:n])
		live = live[n:]
	}
}

func (b *Batcher) writeRun(run []request) {
	answers := make([]outpost.Checkin, len(run))
	for i, r := range run {
		answers[i] = r.c
	}
	// The run outlives a caller who gives up while it commits.
	ctx := context.WithoutCancel(run[0].ctx)
	errs, err := b.rec.CheckIn(ctx, answers)
	b.transactions.Add(1)
	b.answers.Add(int64(len(answers)))
	for i, r := range run {
		switch {
		case err != nil:
			r.res <- result{r.c, fmt.Errorf("check in %d answers: %w", len(answers), err)}
		default:
			r.res <- result{answers[i], errs[i]}
		}
	}
}
