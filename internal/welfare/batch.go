package welfare

import (
	"context"
	"errors"
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
type Batcher struct {
	// Now is the clock that times answers (default time.Now); set it
	// before the first Record.
	Now func() time.Time

	rec  Recorder
	in   chan request
	max  int
	done chan struct{}
	last time.Time // the time of the last answer taken; loop only
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
// one transaction. Stop it with Close.
func NewBatcher(rec Recorder, max int) *Batcher {
	if max < 1 {
		max = 1
	}
	b := &Batcher{Now: time.Now, rec: rec, in: make(chan request, 4*max), max: max, done: make(chan struct{})}
	go b.loop()
	return b
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
	case b.in <- r:
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
	close(b.in)
	<-b.done
}

func (b *Batcher) loop() {
	defer close(b.done)
	batch := make([]request, 0, b.max)
	for first := range b.in {
		b.stamp(&first.c)
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.max {
			select {
			case r, ok := <-b.in:
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
	for i, r := range run {
		switch {
		case err != nil:
			r.res <- result{r.c, err}
		default:
			r.res <- result{answers[i], errs[i]}
		}
	}
}
