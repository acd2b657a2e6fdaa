package welfare

import (
	"context"
	"errors"

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
type Batcher struct {
	rec  Recorder
	in   chan request
	max  int
	done chan struct{}
}

type request struct {
	ctx context.Context
	c   outpost.Checkin
	res chan error
}

// NewBatcher starts a batcher over rec that commits at most max answers in
// one transaction. Stop it with Close.
func NewBatcher(rec Recorder, max int) *Batcher {
	if max < 1 {
		max = 1
	}
	b := &Batcher{rec: rec, in: make(chan request, 4*max), max: max, done: make(chan struct{})}
	go b.loop()
	return b
}

// ErrClosed is returned for answers submitted after Close.
var ErrClosed = errors.New("check-ins are shutting down")

// Submit records one answer and returns when it is committed, with the
// answer's own error (unknown person, closed roll call, …) if refused.
func (b *Batcher) Submit(ctx context.Context, c outpost.Checkin) (err error) {
	defer func() {
		if recover() != nil { // the batcher was closed under us
			err = ErrClosed
		}
	}()
	r := request{ctx: ctx, c: c, res: make(chan error, 1)}
	select {
	case b.in <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.res
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
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.max {
			select {
			case r, ok := <-b.in:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		b.write(batch)
	}
}

func (b *Batcher) write(batch []request) {
	answers := make([]outpost.Checkin, 0, len(batch))
	live := batch[:0:0]
	for _, r := range batch {
		if r.ctx.Err() != nil {
			r.res <- r.ctx.Err()
			continue
		}
		answers = append(answers, r.c)
		live = append(live, r)
	}
	if len(answers) == 0 {
		return
	}
	// The batch is written under the first caller's actor; answers carry
	// their own Via, and the audit entry of each names its person.
	ctx := context.WithoutCancel(live[0].ctx)
	errs, err := b.rec.CheckIn(ctx, answers)
	for i, r := range live {
		switch {
		case err != nil:
			r.res <- err
		default:
			r.res <- errs[i]
		}
	}
}
